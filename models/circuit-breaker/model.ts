/**
 * circuit-breaker — three clients send requests to a load balancer, which
 * hands them round-robin to three backends with bounded queues. For a while,
 * one backend turns slow. A circuit breaker per backend at the load balancer
 * notices the slow calls and stops sending it work, so the load goes to the
 * healthy two; without it, the slow backend drags the whole service down.
 *
 * The protocol.
 * - Clients send a request every 25–35 ms each (about 100 a second in all),
 *   whatever happened to the earlier ones, and give up after 1.5 s.
 * - The load balancer keeps at most 16 calls pending on backends; a request
 *   beyond that is turned away at once. It waits up to 600 ms for a backend,
 *   then answers the client with an error. It keeps a breaker per backend
 *   (breaker.ts): a call unanswered after 50 ms is a slow call; 3 slow calls
 *   within 500 ms open the breaker for 200 ms; then one probe call decides
 *   whether it closes again or stays open.
 * - A backend serves one call at a time in 4 ms from a queue of at most 8
 *   calls; a call that finds the queue full is dropped. `backend0` turns slow
 *   at a random moment between 200 and 500 ms, for 500–800 ms: 100 ms a call.
 *
 * The pitfall: a cascading failure. A slow dependency is worse than a dead
 * one: it accepts work it cannot finish. Without a breaker the balancer keeps
 * sending `backend0` a third of the traffic (about 33 calls a second) while it
 * serves 10: its queue overflows within half a second, every call there waits
 * out the 600 ms timeout, and those waiting calls fill the balancer's 16
 * slots, so requests that the healthy backends could serve in 4 ms are
 * turned away too. With the breaker, three slow calls open it about 100 ms
 * after the slowness starts; the healthy backends take all the load (at a
 * fifth of their capacity).
 *
 * Properties.
 * - `no request is dropped for a full queue or inbox (backend at most 8
 *   calls, balancer at most 16 pending, inbox at most 32 messages)` (always):
 *   no backend dropped a call because its queue was full, the balancer never
 *   turned a request away because 16 calls were pending, and no client gave
 *   up on an unanswered request (the balancer answers within 600 ms, and the
 *   defaults lose nothing, so that is a message dropped at a full inbox).
 * - `at least 90% of the requests answered in the last 500 ms succeeded`
 *   (eventually): judged at the end, after the liveness phase; at least 10
 *   answers are needed, so a service that answers nothing fails.
 * - `a breaker opened and closed again` (sometimes).
 *
 * Bug flag `no-breaker`: the balancer routes round-robin to every backend,
 * whatever its calls do.
 */
import { always, defineModel, eventually, ms, sec, sometimes, type SystemView } from '../../src/index.ts';
import { backend, type BackendState } from './backend.ts';
import { balancer, type BalancerState } from './balancer.ts';
import { client, type ClientState } from './client.ts';
import { LB, RECENT_WINDOW_US, type Msg, type Timer } from './messages.ts';

/** The safety property's name: a dropped request is the first sign of the cascade. */
export const DROP_FREE = 'no request is dropped for a full queue or inbox (backend at most 8 calls, balancer at most 16 pending, inbox at most 32 messages)';

/** The share of recent answers that must be successes, and how many answers that needs at least. */
const SUCCESS_SHARE_MIN = 0.9;
const RECENT_ANSWERS_MIN = 10;

/** The states of the up nodes of `role`. */
function statesOf<S>(view: SystemView, role: string): S[] {
  const states: S[] = [];
  for (const node of view.nodes) if (node.role === role && node.up) states.push(node.state as S);
  return states;
}

/** Successes and answers in the clients' slices that start within the last `RECENT_WINDOW_US`. */
function recentAnswers(view: SystemView): { ok: number; all: number } {
  let ok = 0;
  let all = 0;
  for (const state of statesOf<ClientState>(view, 'client')) {
    for (const bucket of state.recent) {
      if (view.nowUs - bucket.startUs > RECENT_WINDOW_US) continue;
      ok += bucket.ok;
      all += bucket.ok + bucket.failed;
    }
  }
  return { ok, all };
}

export default defineModel<Msg, Timer>({
  name: 'circuit-breaker',
  description: 'Clients, a load balancer and backends with bounded queues; a breaker stops a slow backend from cascading into an outage.',
  roles: {
    client: { count: 3, node: client, crashable: false },
    lb: { count: 1, node: balancer, crashable: false },
    backend: { count: 3, node: backend },
  },
  bugs: { 'no-breaker': 'the load balancer keeps routing round-robin to every backend, the slow one included' },
  properties: [
    always(DROP_FREE, (view) =>
      (view.state<BalancerState>(LB)?.rejectedFull ?? 0) === 0 &&
      statesOf<BackendState>(view, 'backend').every((state) => state.overflowed === 0) &&
      // A request the balancer never answered was dropped at a full inbox (the defaults lose nothing else).
      statesOf<ClientState>(view, 'client').every((state) => state.lost === 0),
    ),
    eventually('at least 90% of the requests answered in the last 500 ms succeeded', (view) => {
      const { ok, all } = recentAnswers(view);
      return all >= RECENT_ANSWERS_MIN && ok >= SUCCESS_SHARE_MIN * all;
    }),
    sometimes('a breaker opened and closed again', (view) =>
      Object.values(view.state<BalancerState>(LB)?.breakers ?? {}).some((breaker) => breaker.closed > 0),
    ),
  ],
  defaults: {
    timeUs: ms(2_500),
    settleUs: sec(1),
    network: { duplicateRate: 0.01, capacity: { inboxMax: 32, overflow: 'drop' } },
    faults: {
      crash: { meanIntervalUs: ms(500), downtime: { minUs: ms(50), maxUs: ms(200) }, maxDown: 1 },
    },
  },
});
