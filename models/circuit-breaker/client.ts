/**
 * A client of the circuit-breaker model: every 25–35 ms it sends a request to
 * the load balancer (it does not wait for the last one: traffic keeps coming
 * whatever the service does), and records how each one ended. A request
 * unanswered after 1.5 s counts as failed, and as lost: the balancer answers
 * every request it gets within 600 ms, so with no loss on the network (the
 * defaults) a lost request or answer was dropped at a full inbox.
 */
import { defineNode, ms } from '../../src/index.ts';
import { LB, RECENT_WINDOW_US, type Msg, type Timer } from './messages.ts';

/** The answers a client got in one slice of virtual time. */
export interface AnswerBucket {
  /** Start of the slice, virtual µs (a multiple of `BUCKET_US`). */
  startUs: number;
  ok: number;
  failed: number;
}

/** Answers are counted in slices of this length, so a window is a few sums. */
export const BUCKET_US = ms(100);

/** A client's state. */
export interface ClientState {
  nextId: number;
  /** Requests waiting for an answer: id → when sent. */
  waiting: Record<string, number>;
  /** Answers of the last `RECENT_WINDOW_US` (and the slice under way), oldest first. */
  recent: AnswerBucket[];
  sent: number;
  ok: number;
  failed: number;
  /** Requests never answered (given up on after `CLIENT_TIMEOUT_US`). */
  lost: number;
}

const INTERVAL_US = { min: ms(25), max: ms(35) };
const CLIENT_TIMEOUT_US = ms(1_500);

/** Counts an answer in the slice under way, and forgets slices older than the window. */
function record(state: ClientState, ok: boolean, nowUs: number): void {
  if (ok) state.ok++;
  else state.failed++;
  const startUs = nowUs - (nowUs % BUCKET_US);
  if (state.recent.at(-1)?.startUs !== startUs) {
    state.recent = state.recent.filter((bucket) => nowUs - bucket.startUs <= RECENT_WINDOW_US);
    state.recent.push({ startUs, ok: 0, failed: 0 });
  }
  const bucket = state.recent.at(-1)!;
  if (ok) bucket.ok++;
  else bucket.failed++;
}

/** The client node. */
export const client = defineNode<ClientState, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(ctx.random.between(INTERVAL_US.min, INTERVAL_US.max), { kind: 'next' });
    return { nextId: 0, waiting: {}, recent: [], sent: 0, ok: 0, failed: 0, lost: 0 };
  },
  onTimer(state, _timer, ctx) {
    // Give up on requests unanswered for too long (checked on each tick, so no timer per request).
    for (const [id, sentUs] of Object.entries(state.waiting)) {
      if (ctx.now - sentUs < CLIENT_TIMEOUT_US) continue;
      delete state.waiting[id];
      state.lost++;
      record(state, false, ctx.now);
    }
    const id = state.nextId++;
    state.waiting[id] = ctx.now;
    state.sent++;
    ctx.send(LB, { kind: 'request', id });
    ctx.setTimer(ctx.random.between(INTERVAL_US.min, INTERVAL_US.max), { kind: 'next' });
  },
  onMessage(state, _from, msg, ctx) {
    if (msg.kind !== 'response' || state.waiting[msg.id] === undefined) return;
    delete state.waiting[msg.id];
    record(state, msg.ok, ctx.now);
  },
});
