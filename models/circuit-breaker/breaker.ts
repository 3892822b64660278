/**
 * One circuit breaker (Nygard, "Release It!"; the states of resilience4j and
 * Hystrix), kept by the load balancer for each backend:
 *
 * - closed: calls pass. A call still unanswered after 50 ms counts as a
 *   failure (a slow call); 3 failures within 500 ms open the breaker.
 * - open: no call passes, for 200 ms; then the breaker is half-open.
 * - half-open: one call passes, as a probe. If it answers within 50 ms the
 *   breaker closes (the backend is well again); if it is slow, it opens again.
 *
 * These are plain functions over a plain state, so the load balancer's state
 * (an immer draft) holds one breaker per backend.
 */
import { ms } from '../../src/index.ts';

/** A breaker's state. */
export interface Breaker {
  mode: 'closed' | 'open' | 'half-open';
  /** Times of the failures of the last window, oldest first (closed only). */
  failuresUs: number[];
  /** When it last opened, virtual µs. */
  openedAtUs: number;
  /** Half-open: whether the probe call is out. */
  probing: boolean;
  /** How often it opened, and closed again after being open (since the load balancer started). */
  opened: number;
  closed: number;
}

/** A call unanswered this long counts as a failure. */
export const SLOW_CALL_US = ms(50);
/** Failures within `FAILURE_WINDOW_US` that open a closed breaker. */
export const FAILURE_THRESHOLD = 3;
/** The window failures are counted in. */
export const FAILURE_WINDOW_US = ms(500);
/** How long an open breaker lets nothing through before it tries a probe. */
export const OPEN_US = ms(200);

/** A closed breaker. */
export function closedBreaker(): Breaker {
  return { mode: 'closed', failuresUs: [], openedAtUs: 0, probing: false, opened: 0, closed: 0 };
}

/**
 * Whether a call may go through now; an open breaker whose wait is over turns
 * half-open here. Returns 'probe' for the one call a half-open breaker lets by.
 */
export function admit(breaker: Breaker, nowUs: number): 'pass' | 'probe' | 'refuse' {
  if (breaker.mode === 'open' && nowUs - breaker.openedAtUs >= OPEN_US) breaker.mode = 'half-open';
  if (breaker.mode === 'closed') return 'pass';
  if (breaker.mode === 'open' || breaker.probing) return 'refuse';
  breaker.probing = true;
  return 'probe';
}

/** A call answered in time: a probe closes the breaker. */
export function recordSuccess(breaker: Breaker, probe: boolean): void {
  if (!probe || breaker.mode !== 'half-open') return;
  breaker.mode = 'closed';
  breaker.failuresUs = [];
  breaker.probing = false;
  breaker.closed++;
}

/**
 * A call was slow (or never answered): a probe opens the breaker again;
 * enough failures open a closed one. Returns whether the breaker opened now.
 */
export function recordFailure(breaker: Breaker, probe: boolean, nowUs: number): boolean {
  if (breaker.mode === 'half-open') {
    if (probe) open(breaker, nowUs);
    return probe;
  }
  if (breaker.mode !== 'closed') return false;
  breaker.failuresUs = breaker.failuresUs.filter((atUs) => nowUs - atUs < FAILURE_WINDOW_US);
  breaker.failuresUs.push(nowUs);
  if (breaker.failuresUs.length < FAILURE_THRESHOLD) return false;
  open(breaker, nowUs);
  return true;
}

function open(breaker: Breaker, nowUs: number): void {
  breaker.mode = 'open';
  breaker.openedAtUs = nowUs;
  breaker.failuresUs = [];
  breaker.probing = false;
  breaker.opened++;
}
