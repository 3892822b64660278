/**
 * primary-backup — a replicated key-value store with synchronous replication
 * and failover through a view service, after MIT 6.824's primary/backup lab.
 *
 * Protocol. A view service (`viewservice0`, view-service.ts) names, per view
 * number, a primary and a backup among three servers (server.ts), which ping
 * it every 20 ms; a server silent for 60 ms is presumed dead, and a dead
 * primary's backup is promoted. Two clients send `get(k)` and `put(k, v)` on
 * keys `x` and `y` to the primary they last heard of. The primary takes one
 * operation at a time, applies a put and forwards it to the backup, and
 * answers only once the backup acknowledged: every answered write is on both
 * servers, and a primary that has been replaced cannot answer, because its old
 * backup, now primary of a newer view, refuses forwards from the old view.
 * A new backup first receives the primary's whole state, and the primary
 * acknowledges its view (letting the view service move on) only after that,
 * so a promoted backup always holds every answered write. Servers keep their
 * state on disk (synced before any acknowledgement), so a crash is an outage,
 * not amnesia. Puts carry (client, seq), and a retried put that was applied is
 * answered again, never applied twice.
 *
 * Clients. A client invokes an operation (`ctx.invoke`), sends it and waits
 * 30 ms; with no answer (or a `not-primary`) it asks the view service for the
 * current view and tries again, ten attempts in all. Then a get is recorded
 * `fail` and a put `info` (it may have happened). Values are unique
 * (`"<process>:<seq>"`); seqs are kept on the client's disk.
 *
 * Properties.
 * - `linearizable (kv)` (history checker, `linearizable(kvSpec)`).
 * - `every client is served once faults stop` (eventually): each client had
 *   an operation answered in the last 300 ms (the defaults give a 1 s
 *   liveness phase).
 * - `a read after a failover returned a written value` (sometimes): the view
 *   service promoted a backup, and a get answered in that view or a later one
 *   returned a value some put wrote.
 *
 * Bug flag `read-from-backup`: clients send gets to the backup of the view
 * they know, and a server that believes it is a backup answers from its own
 * copy. That copy lags when the view has moved on without it (it was cut off
 * or down), so a get can miss writes that were answered before it was sent.
 */
import { defineModel, defineNode, eventually, kvSpec, linearizable, ms, scenario, sec, sometimes, type NodeContext, type SystemView } from '../../src/index.ts';
import { NO_VIEW, type Msg, type Op, type Timer, type View } from './messages.ts';
import { server } from './server.ts';
import { viewService, type ViewServiceState } from './view-service.ts';

/** A client: its request counter, the view it knows, the operation it waits for, and its progress. */
export type ClientState = {
  seq: number;
  view: View;
  waiting: { seq: number; op: Op; attempt: number } | null;
  /** The history processes it has run as since it started. */
  processes: number[];
  /** The newest view in which a get of this client returned a written value (0: none yet). */
  valueReadInView: number;
};

type Ctx = NodeContext<Msg, Timer>;

const VIEW_SERVICE = 'viewservice0';
const KEYS = ['x', 'y'];
const TIMEOUT_US = ms(30);
const ATTEMPTS_MAX = 10;
const THINK_US = { min: ms(5), max: ms(20) };
const PROGRESS_WINDOW_US = ms(300);
const SEQ_KEY = 'seq';

/** Sends the operation in flight where the known view says (asking the view service when it names nobody). */
function sendRequest(state: ClientState, ctx: Ctx): void {
  const waiting = state.waiting;
  if (waiting === null) return;
  // The bug: gets go to the backup, which answers from its copy.
  const readsFromBackup = waiting.op.f === 'get' && ctx.bug('read-from-backup');
  const target = (readsFromBackup ? state.view.backup : null) ?? state.view.primary;
  if (target === null) ctx.send(VIEW_SERVICE, { kind: 'get-view' });
  else ctx.send(target, { kind: 'request', seq: waiting.seq, op: waiting.op });
}

/** Ends the operation in flight and schedules the next one. */
function conclude(state: ClientState, ctx: Ctx, outcome: { value: string | null } | 'gave-up'): void {
  const waiting = state.waiting;
  if (waiting === null) return;
  if (outcome === 'gave-up') ctx.complete(waiting.op.f === 'get' ? 'fail' : 'info');
  else if (waiting.op.f === 'get') ctx.complete('ok', outcome.value);
  else ctx.complete('ok');
  state.waiting = null;
  ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
}

const client = defineNode<ClientState, Msg, Timer>({
  start(ctx, storage) {
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
    return { seq: storage.get<number>(SEQ_KEY) ?? 0, view: NO_VIEW, waiting: null, processes: [], valueReadInView: 0 };
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'next') {
      state.seq++;
      ctx.storage.put(SEQ_KEY, state.seq);
      ctx.storage.sync();
      const key = ctx.random.pick(KEYS);
      const op: Op = ctx.random.chance(0.5) ? { f: 'get', key } : { f: 'put', key, value: `${ctx.process}:${state.seq}` };
      if (state.processes.at(-1) !== ctx.process) state.processes.push(ctx.process);
      ctx.invoke(op);
      state.waiting = { seq: state.seq, op, attempt: 1 };
    } else if (timer.kind === 'timeout' && state.waiting?.seq === timer.seq && state.waiting.attempt === timer.attempt) {
      if (timer.attempt >= ATTEMPTS_MAX) return conclude(state, ctx, 'gave-up');
      state.waiting.attempt++;
      ctx.send(VIEW_SERVICE, { kind: 'get-view' }); // perhaps the view has changed
    } else {
      return;
    }
    sendRequest(state, ctx);
    ctx.setTimer(TIMEOUT_US, { kind: 'timeout', seq: state.seq, attempt: state.waiting?.attempt ?? 0 });
  },
  onMessage(state, _from, msg, ctx) {
    if (msg.kind === 'view' && msg.view.num > state.view.num) {
      state.view = msg.view;
      sendRequest(state, ctx); // the same attempt, to the new primary
    } else if (msg.kind === 'not-primary' && msg.seq === state.waiting?.seq) {
      ctx.send(VIEW_SERVICE, { kind: 'get-view' });
    } else if (msg.kind === 'reply' && msg.seq === state.waiting?.seq) {
      if (state.waiting.op.f === 'get' && msg.value !== '') state.valueReadInView = Math.max(state.valueReadInView, msg.viewnum);
      conclude(state, ctx, { value: msg.value });
    }
  },
});

const clientsOf = (view: SystemView) => view.nodes.filter((node) => node.role === 'client');

/** When each process last had an operation answered, from the history (true virtual time, unlike a node's clock). */
function lastAnswerUs(view: SystemView): Map<number, number> {
  const answered = new Map<number, number>();
  for (const event of view.history) if (event.type === 'ok') answered.set(event.process, event.time);
  return answered;
}

export default defineModel<Msg, Timer>({
  name: 'primary-backup',
  description: 'A key-value store replicated synchronously from a primary to a backup, with failover by a view service.',
  roles: {
    viewservice: { count: 1, node: viewService, crashable: false },
    server: { count: 3, node: server },
    client: { count: 2, node: client, crashable: false },
  },
  bugs: { 'read-from-backup': 'clients send gets to the backup, which answers from its copy, stale once the view has moved on without it' },
  properties: [
    eventually('every client is served once faults stop', (view) => {
      const answered = lastAnswerUs(view);
      return clientsOf(view).every((node) => {
        const processes = (node.state as ClientState | undefined)?.processes ?? [];
        return node.up && processes.some((process) => view.nowUs - (answered.get(process) ?? -Infinity) <= PROGRESS_WINDOW_US);
      });
    }),
    sometimes('a read after a failover returned a written value', (view) => {
      const failoverView = view.state<ViewServiceState>(VIEW_SERVICE)?.firstFailoverView ?? 0;
      return failoverView > 0 && clientsOf(view).some((node) => ((node.state as ClientState | undefined)?.valueReadInView ?? 0) >= failoverView);
    }),
  ],
  checkers: [linearizable(kvSpec)],
  defaults: {
    timeUs: sec(3),
    settleUs: sec(1),
    network: { lossRate: 0.02, duplicateRate: 0.02 },
    // A failover drill in the liveness phase, when everything has healed: each server in turn stops
    // for 150 ms (a long GC pause), so whichever is primary is replaced and resumes believing it still is.
    scenario: scenario().at(ms(2200)).pause('server0', '150ms').at(ms(2450)).pause('server1', '150ms').at(ms(2700)).pause('server2', '150ms'),
    faults: {
      crash: { meanIntervalUs: ms(400), downtime: { minUs: ms(100), maxUs: ms(300) } },
      partition: { meanIntervalUs: ms(500), duration: { minUs: ms(100), maxUs: ms(400) }, shapes: ['isolate', 'halves'] },
    },
  },
});
