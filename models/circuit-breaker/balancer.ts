/**
 * The load balancer of the circuit-breaker model: it hands each client request
 * to the next backend in turn whose breaker admits it, waits for the answer
 * (at most 600 ms) with at most 16 calls pending, and answers the client.
 * When a breaker opens, the calls still waiting on that backend fail at once:
 * the backend was just judged too slow to answer them in time, and their
 * slots are what the other backends' requests need.
 * With the `no-breaker` bug it keeps routing round-robin to every backend,
 * the slow one included.
 */
import { defineNode, type NodeContext, type TimerId } from '../../src/index.ts';
import { admit, closedBreaker, recordFailure, recordSuccess, SLOW_CALL_US, type Breaker } from './breaker.ts';
import { CALL_TIMEOUT_US, PENDING_MAX, type Msg, type Timer } from './messages.ts';

/** A call out to a backend on behalf of a client request. */
interface Call {
  client: string;
  id: number;
  backend: string;
  /** The one call a half-open breaker let through. */
  probe: boolean;
  /** Whether it was already counted as a slow call. */
  slow: boolean;
  /** Its slow-call timer, then its timeout timer. */
  timer: TimerId;
}

/** The load balancer's state (volatile; it is not crashed in this model). */
export interface BalancerState {
  nextCall: number;
  /** Index of the backend to try first for the next request (round-robin). */
  cursor: number;
  /** Calls waiting on backends, by call number. */
  calls: Record<string, Call>;
  pending: number;
  /** The most calls ever pending at once. */
  pendingMax: number;
  breakers: Record<string, Breaker>;
  /** Requests turned away because `PENDING_MAX` calls were pending. */
  rejectedFull: number;
  /** Requests turned away because every breaker was open. */
  unavailable: number;
  /** Calls that timed out. */
  timedOut: number;
  /** Calls failed at once because their backend's breaker opened. */
  failedFast: number;
}

type Ctx = NodeContext<Msg, Timer>;

/** The next backend, round-robin, that may take a call now, and whether the call is a probe; null when none may. */
function route(state: BalancerState, ctx: Ctx): { backend: string; probe: boolean } | null {
  const backends = ctx.nodesOf('backend');
  for (let k = 0; k < backends.length; k++) {
    const index = (state.cursor + k) % backends.length;
    const backend = backends[index] as string;
    const verdict = ctx.bug('no-breaker') ? 'pass' : admit(state.breakers[backend]!, ctx.now);
    if (verdict === 'refuse') continue;
    state.cursor = index + 1;
    return { backend, probe: verdict === 'probe' };
  }
  return null;
}

/** Answers the client of `callId` and forgets the call. */
function finish(state: BalancerState, callId: string, ok: boolean, ctx: Ctx): void {
  const call = state.calls[callId]!;
  ctx.send(call.client, { kind: 'response', id: call.id, ok });
  delete state.calls[callId];
  state.pending--;
}

/** Fails every call waiting on `backend`, whose breaker just opened. */
function failCallsOn(state: BalancerState, backend: string, ctx: Ctx): void {
  for (const [callId, call] of Object.entries(state.calls)) {
    if (call.backend !== backend) continue;
    ctx.cancelTimer(call.timer);
    state.failedFast++;
    finish(state, callId, false, ctx);
  }
}

/** The load balancer node. */
export const balancer = defineNode<BalancerState, Msg, Timer>({
  start(ctx) {
    const breakers: Record<string, Breaker> = {};
    for (const backend of ctx.nodesOf('backend')) breakers[backend] = closedBreaker();
    return { nextCall: 0, cursor: 0, calls: {}, pending: 0, pendingMax: 0, breakers, rejectedFull: 0, unavailable: 0, timedOut: 0, failedFast: 0 };
  },
  onMessage(state, from, msg, ctx) {
    if (msg.kind === 'request') {
      if (state.pending >= PENDING_MAX) {
        state.rejectedFull++;
        ctx.send(from, { kind: 'response', id: msg.id, ok: false });
        return;
      }
      const target = route(state, ctx);
      if (target === null) {
        state.unavailable++;
        ctx.send(from, { kind: 'response', id: msg.id, ok: false });
        return;
      }
      const call = state.nextCall++;
      const timer = ctx.setTimer(SLOW_CALL_US, { kind: 'slow-call', call });
      state.calls[call] = { client: from, id: msg.id, backend: target.backend, probe: target.probe, slow: false, timer };
      state.pending++;
      state.pendingMax = Math.max(state.pendingMax, state.pending);
      ctx.send(target.backend, { kind: 'work', call });
    } else if (msg.kind === 'done') {
      const call = state.calls[msg.call];
      // A duplicate, or an answer after the call timed out: the client was answered already.
      if (call === undefined) return;
      ctx.cancelTimer(call.timer);
      if (!call.slow && !ctx.bug('no-breaker')) recordSuccess(state.breakers[call.backend]!, call.probe);
      finish(state, String(msg.call), true, ctx);
    }
  },
  onTimer(state, timer, ctx) {
    if (timer.kind !== 'slow-call' && timer.kind !== 'call-timeout') return;
    const call = state.calls[timer.call];
    if (call === undefined) return;
    if (timer.kind === 'slow-call') {
      call.slow = true;
      call.timer = ctx.setTimer(CALL_TIMEOUT_US - SLOW_CALL_US, { kind: 'call-timeout', call: timer.call });
      if (!ctx.bug('no-breaker') && recordFailure(state.breakers[call.backend]!, call.probe, ctx.now)) failCallsOn(state, call.backend, ctx);
      return;
    }
    state.timedOut++;
    finish(state, String(timer.call), false, ctx);
  },
});
