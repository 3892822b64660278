/**
 * The messages, timers and shared figures of the circuit-breaker model:
 * clients → load balancer → backends, and back.
 */
import { ms } from '../../src/index.ts';

/** Messages of the model. */
export type Msg =
  /** A client asks the load balancer for something. */
  | { kind: 'request'; id: number }
  /** The load balancer answers a client: served by a backend, or not. */
  | { kind: 'response'; id: number; ok: boolean }
  /** The load balancer hands a call to a backend. */
  | { kind: 'work'; call: number }
  /** A backend finished a call. */
  | { kind: 'done'; call: number };

/** Timer payloads. */
export type Timer =
  | { kind: 'next' }
  | { kind: 'served' }
  | { kind: 'slow-call'; call: number }
  | { kind: 'call-timeout'; call: number };

/** The load balancer's node id. */
export const LB = 'lb0';
/** The backend that turns slow during a run. */
export const SLOW_BACKEND = 'backend0';
/** A backend's bounded queue of calls (the one it is serving included); a call beyond it is dropped. */
export const QUEUE_MAX = 8;
/** Calls the load balancer can have waiting on backends; a request beyond it is turned away. */
export const PENDING_MAX = 16;
/** How long a healthy backend takes to serve a call. */
export const SERVICE_US = ms(4);
/** How long the slow backend takes to serve a call while it is slow (25 times longer). */
export const SLOW_SERVICE_US = ms(100);
/** How long the load balancer waits for a backend before it answers the client with an error. */
export const CALL_TIMEOUT_US = ms(600);
/** The success-rate window of the `eventually` property. */
export const RECENT_WINDOW_US = ms(500);
