/**
 * register — one read/write register on a primary with two backups, used by
 * two clients that record what they did as a history (invoke, then ok, fail
 * or info), the way Jepsen's clients do.
 *
 * Protocol. replica0 is the primary; it alone serves clients. A client picks
 * `read` or `write(v)` (values are unique: `"<process>:<seq>"`), invokes it
 * (`ctx.invoke`), sends it to the primary and waits up to 100 ms. The primary
 * applies a write, persists the register and syncs, and only then answers; a
 * read is answered with the current value. Each write carries (process, seq),
 * and the primary keeps the last seq it applied per process on disk with the
 * value, so a duplicated write is acknowledged again but never applied twice
 * (a late duplicate would otherwise overwrite newer writes). Every 50 ms the
 * primary pushes (value, version) to the backups, which keep the newest.
 *
 * The history. An answer completes the operation `ok` (a read with the value
 * it saw). No answer in time: a read completes `fail` (a read changes nothing,
 * so it certainly did not take effect), a write completes `info` (it may have
 * happened), which retires the client's process: it goes on as a fresh one. A
 * client that crashes with an operation in flight gets an `info` for it from
 * the simulator. Each client keeps its request counter on its disk, so a
 * restarted client never reuses a (process, seq) the primary has seen.
 *
 * Properties.
 * - `linearizable (register)` (history checker): the history must be
 *   linearizable — some order of all operations, each placed at an instant
 *   between its invocation and its answer, is a run of one sequential
 *   register. Indeterminate writes may or may not have happened.
 * - `every client is served once faults stop` (eventually): each client has
 *   completed an operation `ok` in the last 600 ms of the run. It needs the
 *   liveness phase: the defaults give the run one (settle 1 s).
 * - `a read returns a written value` (sometimes): the workload really reads
 *   what it wrote, so a client that never gets through cannot pass.
 *
 * Bug flag `read-any-replica`: clients send reads to a random replica, and a
 * backup answers from its copy, which lags the primary by up to a push
 * interval: a read after a completed write can return the value before it,
 * which no order of the operations explains.
 */
import { defineModel, defineNode, eventually, linearizable, ms, registerSpec, sec, sometimes } from '../../src/index.ts';

/** An operation on the register (the shape Jepsen's and Porcupine's register checkers use). */
export type Input = { f: 'read' } | { f: 'write'; value: string };
/** A read returns the value (null: never written); a write returns nothing. */
export type Output = string | null | undefined;

/** Messages of the protocol. */
export type Msg =
  | { kind: 'write'; process: number; seq: number; value: string }
  | { kind: 'read'; seq: number }
  | { kind: 'written'; seq: number }
  | { kind: 'value'; seq: number; value: string | null }
  | { kind: 'push'; value: string | null; version: number };

/** Timer payloads. */
export type Timer = { kind: 'next' } | { kind: 'timeout'; seq: number } | { kind: 'push' };

/** What the primary keeps on disk (and backups in memory, without `applied`). */
export type ReplicaState = {
  value: string | null;
  /** Writes applied so far (a backup: the version of its copy). */
  version: number;
  /** The last seq applied per process (primary only), so duplicates are not applied twice. */
  applied: Record<string, number>;
};

/** A client: its request counter, the operation it waits for, and its progress. */
export interface ClientState {
  seq: number;
  waiting: { seq: number; f: 'read' | 'write' } | null;
  /**
   * The processes it has run as since it started, so a property can find its
   * operations in the history (timed in true virtual time, unlike ctx.now,
   * which is the node's own clock and may be skewed).
   */
  processes: number[];
  /** Reads that returned a value some write wrote. */
  valuesRead: number;
}

const PRIMARY = 'replica0';
const TIMEOUT_US = ms(100);
const PUSH_INTERVAL_US = ms(50);
const THINK_US = { min: ms(10), max: ms(30) };
// Long enough for several timed-out tries in a row: the liveness phase stops faults, not the 2% loss.
const PROGRESS_WINDOW_US = ms(600);
const REGISTER_KEY = 'register';
const SEQ_KEY = 'seq';

const replica = defineNode<ReplicaState, Msg, Timer>({
  start(ctx, storage) {
    if (ctx.id !== PRIMARY) return { value: null, version: 0, applied: {} };
    ctx.setTimer(PUSH_INTERVAL_US, { kind: 'push' });
    return storage.get<ReplicaState>(REGISTER_KEY) ?? { value: null, version: 0, applied: {} };
  },
  onMessage(state, from, msg, ctx) {
    if (msg.kind === 'push') {
      if (msg.version > state.version) [state.value, state.version] = [msg.value, msg.version];
    } else if (msg.kind === 'read') {
      // Only the primary serves reads, unless the bug lets a backup answer from its copy.
      if (ctx.id === PRIMARY || ctx.bug('read-any-replica')) ctx.send(from, { kind: 'value', seq: msg.seq, value: state.value });
    } else if (msg.kind === 'write' && ctx.id === PRIMARY) {
      const key = String(msg.process);
      if ((state.applied[key] ?? 0) < msg.seq) {
        state.value = msg.value;
        state.version++;
        state.applied[key] = msg.seq;
        ctx.storage.put(REGISTER_KEY, state);
        ctx.storage.sync();
      }
      ctx.send(from, { kind: 'written', seq: msg.seq });
    }
  },
  onTimer(state, _timer, ctx) {
    for (const backup of ctx.nodesOf('replica')) {
      if (backup !== ctx.id) ctx.send(backup, { kind: 'push', value: state.value, version: state.version });
    }
    ctx.setTimer(PUSH_INTERVAL_US, { kind: 'push' });
  },
});

const client = defineNode<ClientState, Msg, Timer>({
  start(ctx, storage) {
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
    return { seq: storage.get<number>(SEQ_KEY) ?? 0, waiting: null, processes: [], valuesRead: 0 };
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'next') {
      state.seq++;
      ctx.storage.put(SEQ_KEY, state.seq);
      ctx.storage.sync();
      const seq = state.seq;
      if (state.processes.at(-1) !== ctx.process) state.processes.push(ctx.process);
      if (ctx.random.chance(0.5)) {
        ctx.invoke({ f: 'read' });
        const target = ctx.bug('read-any-replica') ? ctx.random.pick(ctx.nodesOf('replica')) : PRIMARY;
        ctx.send(target, { kind: 'read', seq });
        state.waiting = { seq, f: 'read' };
      } else {
        const value = `${ctx.process}:${seq}`;
        ctx.invoke({ f: 'write', value });
        ctx.send(PRIMARY, { kind: 'write', process: ctx.process, seq, value });
        state.waiting = { seq, f: 'write' };
      }
      ctx.setTimer(TIMEOUT_US, { kind: 'timeout', seq });
    } else if (timer.kind === 'timeout' && state.waiting?.seq === timer.seq) {
      // No answer: a read certainly changed nothing; a write may or may not have happened.
      ctx.complete(state.waiting.f === 'read' ? 'fail' : 'info');
      state.waiting = null;
      ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
    }
  },
  onMessage(state, _from, msg, ctx) {
    if ((msg.kind !== 'written' && msg.kind !== 'value') || state.waiting?.seq !== msg.seq) return;
    if (msg.kind === 'value') {
      ctx.complete('ok', msg.value);
      if (msg.value !== null) state.valuesRead++;
    } else {
      ctx.complete('ok');
    }
    state.waiting = null;
    // The timeout timer stays set; it finds nothing waiting under its seq and does nothing.
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
  },
});

export default defineModel<Msg, Timer>({
  name: 'register',
  description: 'A register on a primary with two backups; clients record a history that is checked for stale reads.',
  roles: {
    replica: { count: 3, node: replica },
    client: { count: 2, node: client },
  },
  bugs: { 'read-any-replica': 'clients read from a random replica, and backups answer from their possibly stale copy' },
  properties: [
    eventually('every client is served once faults stop', (view) =>
      view.nodes.every((node) => {
        if (node.role !== 'client') return true;
        const mine = new Set((node.state as ClientState | undefined)?.processes ?? []);
        let lastOkUs = -Infinity;
        for (const event of view.history) if (event.type === 'ok' && mine.has(event.process)) lastOkUs = event.time;
        return node.up && view.nowUs - lastOkUs <= PROGRESS_WINDOW_US;
      }),
    ),
    sometimes('a read returns a written value', (view) =>
      view.nodes.some((node) => node.role === 'client' && node.up && (node.state as ClientState).valuesRead > 0),
    ),
  ],
  // The full check: is there one order of all operations, each at an instant
  // between its call and its answer, that a single register could have run?
  checkers: [linearizable(registerSpec)],
  defaults: {
    timeUs: sec(5),
    settleUs: sec(1),
    network: { lossRate: 0.02, duplicateRate: 0.02 },
    faults: {
      crash: { meanIntervalUs: ms(400), downtime: { minUs: ms(50), maxUs: ms(300) } },
      partition: { meanIntervalUs: sec(1), duration: { minUs: ms(100), maxUs: ms(500) } },
    },
  },
});
