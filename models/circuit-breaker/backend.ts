/**
 * A backend of the circuit-breaker model: it serves calls one at a time from a
 * bounded queue and drops a call that finds the queue full. `backend0` turns
 * slow for a while (a GC storm, a noisy neighbour, a failing disk): it still
 * accepts work at the same rate, but serves it 25 times more slowly, so its
 * queue fills.
 */
import { defineNode, ms, type NodeContext } from '../../src/index.ts';
import { QUEUE_MAX, SERVICE_US, SLOW_BACKEND, SLOW_SERVICE_US, type Msg, type Timer } from './messages.ts';

/** A queued call and who to answer. */
interface QueuedCall {
  call: number;
  from: string;
}

/** A backend's state: volatile, apart from the slow window (on its disk, so a restart keeps it). */
export interface BackendState {
  /** Calls waiting, the one being served first. */
  queue: QueuedCall[];
  /** Whether a call is being served (its `served` timer is set). */
  busy: boolean;
  /** Calls served since the last start. */
  served: number;
  /** Calls dropped because the queue was full, since the last start. */
  overflowed: number;
  /** When this backend is slow, virtual µs [from, until); null for a backend that never is. */
  slow: { fromUs: number; untilUs: number } | null;
}

/** When the slow backend turns slow, and for how long. */
const SLOW_FROM_US = { min: ms(200), max: ms(500) };
const SLOW_FOR_US = { min: ms(500), max: ms(800) };
const SLOW_KEY = 'slow';

type Ctx = NodeContext<Msg, Timer>;

/** Starts serving the head of the queue, at the speed of the moment. */
function serveNext(state: BackendState, ctx: Ctx): void {
  if (state.busy || state.queue.length === 0) return;
  const slow = state.slow !== null && ctx.now >= state.slow.fromUs && ctx.now < state.slow.untilUs;
  ctx.setTimer(slow ? SLOW_SERVICE_US : SERVICE_US, { kind: 'served' });
  state.busy = true;
}

/** The backend node. */
export const backend = defineNode<BackendState, Msg, Timer>({
  start(ctx, storage) {
    let slow = storage.get<{ fromUs: number; untilUs: number }>(SLOW_KEY) ?? null;
    if (ctx.id === SLOW_BACKEND && slow === null) {
      // Drawn once, on the first start, and kept: the machine is slow, whether or not the process restarts.
      const fromUs = ctx.random.between(SLOW_FROM_US.min, SLOW_FROM_US.max);
      slow = { fromUs, untilUs: fromUs + ctx.random.between(SLOW_FOR_US.min, SLOW_FOR_US.max) };
      storage.put(SLOW_KEY, slow);
      storage.sync();
    }
    return { queue: [], busy: false, served: 0, overflowed: 0, slow };
  },
  onMessage(state, from, msg, ctx) {
    if (msg.kind !== 'work') return;
    if (state.queue.length >= QUEUE_MAX) {
      state.overflowed++;
      return;
    }
    state.queue.push({ call: msg.call, from });
    serveNext(state, ctx);
  },
  onTimer(state, _timer, ctx) {
    const head = state.queue.shift();
    state.busy = false;
    if (head !== undefined) {
      ctx.send(head.from, { kind: 'done', call: head.call });
      state.served++;
    }
    serveNext(state, ctx);
  },
});
