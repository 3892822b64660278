/**
 * retry-client — three clients that retry on timeout against a counter
 * service, and the idempotency key that makes those retries safe.
 *
 * Protocol. `server0` holds one counter. A client invokes `add(n)` (n from 1
 * to 5) or `read`, sends it to the server under a request id
 * `(client, seq)` and waits 20 ms. No answer: it sends the request again,
 * with the same id, up to five attempts in all; then it gives up (an add is
 * recorded `info`, it may have happened; a read `fail`). The server applies an
 * add only if it has not applied that client's `seq` before: it keeps, per
 * client, the highest seq it applied (a client has one request in flight, so
 * its seqs only grow), on its disk with the counter, synced before it answers.
 * A retry or a duplicated message of an applied add is answered again and not
 * applied again. Clients keep their seq on their own disk, so a restarted
 * client never reuses an id.
 *
 * The pitfall. A timeout does not mean the request was lost: the request may
 * have been applied and only the answer lost or slow. Retrying is right (the
 * client must not silently drop an increment), but only an idempotent retry
 * is: with an id the server can recognise, "at least once" delivery becomes
 * "exactly once" effect.
 *
 * Properties.
 * - `no increment is counted twice` (always): the server's counter never
 *   exceeds the sum of every add ever invoked.
 * - `acknowledged increments are counted` (always): the counter is at least
 *   the sum of the adds acknowledged to clients (they are on the server's disk).
 * - `linearizable (counter)` (history checker): reads see a counter that some
 *   order of the adds explains, each add counted once.
 * - `every client is served once faults stop` (eventually).
 * - `a retried add was acknowledged` (sometimes): a retry really happened and
 *   got through, so a run without timeouts, or a client that never retries, fails.
 *
 * Bug flag `retry-without-id`: the client sends each retry as a new request
 * (a fresh seq, as a client that makes up a new request id per attempt does).
 * When the first attempt was applied and only its answer was lost or late,
 * the server applies the retry too: the increment counts twice.
 */
import { always, defineModel, defineNode, eventually, linearizable, ms, sec, sometimes, type NodeContext, type SystemView } from '../../src/index.ts';
import { counterSpec, type CounterInput } from './counter-spec.ts';
import { historyTotals } from './history-totals.ts';

/** Messages of the protocol. */
export type Msg =
  | { kind: 'add'; seq: number; amount: number }
  | { kind: 'read'; seq: number }
  | { kind: 'added'; seq: number }
  | { kind: 'value'; seq: number; value: number };

/** Timer payloads. */
export type Timer = { kind: 'next' } | { kind: 'timeout'; seq: number };

/** The server's state, all of it on its disk. */
export type ServerState = {
  counter: number;
  /** The highest seq applied per client id: an add with a seq at or below it is a retry or a duplicate. */
  applied: Record<string, number>;
};

/** A client: its request counter, the operation it is retrying, and its progress. */
export interface ClientState {
  seq: number;
  /** The operation in flight: what it is, the seqs it went out under (one without the bug), attempts so far. */
  waiting: { input: CounterInput; seqs: number[]; attempts: number } | null;
  /** The history processes it has run as since it started (a give-up retires one). */
  processes: number[];
  /** Adds acknowledged after at least one retry. */
  retriedAcks: number;
}

const SERVER = 'server0';
const TIMEOUT_US = ms(20);
const ATTEMPTS_MAX = 5;
const AMOUNT_MAX = 5;
const THINK_US = { min: ms(5), max: ms(15) };
const PROGRESS_WINDOW_US = ms(300);
const STATE_KEY = 'counter';
const SEQ_KEY = 'seq';

const server = defineNode<ServerState, Msg, Timer>({
  start: (_ctx, storage) => storage.get<ServerState>(STATE_KEY) ?? { counter: 0, applied: {} },
  onMessage(state, from, msg, ctx) {
    if (msg.kind === 'read') {
      ctx.send(from, { kind: 'value', seq: msg.seq, value: state.counter });
    } else if (msg.kind === 'add') {
      if ((state.applied[from] ?? 0) < msg.seq) {
        state.counter += msg.amount;
        state.applied[from] = msg.seq;
        // Durable before the answer: an acknowledged add must survive a crash, and so must its id.
        ctx.storage.put(STATE_KEY, state);
        ctx.storage.sync();
      }
      ctx.send(from, { kind: 'added', seq: msg.seq });
    }
  },
});

type ClientContext = NodeContext<Msg, Timer>;

/** Takes the next seq and makes it durable before it is used, so no id is reused after a crash. */
function nextSeq(state: { seq: number }, ctx: ClientContext): number {
  state.seq++;
  ctx.storage.put(SEQ_KEY, state.seq);
  ctx.storage.sync();
  return state.seq;
}

/** Sends the operation in flight under `seq` and starts its timeout. */
function transmit(input: CounterInput, seq: number, ctx: ClientContext): void {
  ctx.send(SERVER, input.f === 'add' ? { kind: 'add', seq, amount: input.amount } : { kind: 'read', seq });
  ctx.setTimer(TIMEOUT_US, { kind: 'timeout', seq });
}

const client = defineNode<ClientState, Msg, Timer>({
  start(ctx, storage) {
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
    return { seq: storage.get<number>(SEQ_KEY) ?? 0, waiting: null, processes: [], retriedAcks: 0 };
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'next') {
      const input: CounterInput = ctx.random.chance(0.7) ? { f: 'add', amount: ctx.random.between(1, AMOUNT_MAX) } : { f: 'read' };
      const seq = nextSeq(state, ctx);
      if (state.processes.at(-1) !== ctx.process) state.processes.push(ctx.process);
      ctx.invoke(input);
      state.waiting = { input, seqs: [seq], attempts: 1 };
      transmit(input, seq, ctx);
      return;
    }
    const waiting = state.waiting;
    if (waiting === null || waiting.seqs.at(-1) !== timer.seq) return; // answered meanwhile
    if (waiting.attempts < ATTEMPTS_MAX) {
      waiting.attempts++;
      // The bug: a retry goes out as a brand-new request, so the server cannot know it is one.
      const seq = ctx.bug('retry-without-id') ? nextSeq(state, ctx) : timer.seq;
      if (seq !== timer.seq) waiting.seqs.push(seq);
      transmit(waiting.input, seq, ctx);
      return;
    }
    // Given up: an add may have been applied (info); a read changed nothing (fail).
    ctx.complete(waiting.input.f === 'add' ? 'info' : 'fail');
    state.waiting = null;
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
  },
  onMessage(state, _from, msg, ctx) {
    const waiting = state.waiting;
    if ((msg.kind !== 'added' && msg.kind !== 'value') || waiting === null || !waiting.seqs.includes(msg.seq)) return;
    if (msg.kind === 'value') ctx.complete('ok', msg.value);
    else ctx.complete('ok');
    if (msg.kind === 'added' && waiting.attempts > 1) state.retriedAcks++;
    state.waiting = null;
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
  },
});

/** The server's counter, or null while it is down (nothing to judge then). */
const counterOf = (view: SystemView): number | null => view.state<ServerState>(SERVER)?.counter ?? null;

/** Whether every client is up and had an operation acknowledged within the last `windowUs`. */
function everyClientServedWithin(view: SystemView, windowUs: number): boolean {
  const { lastOkUs } = historyTotals(view.history);
  return view.nodes.every((node) => {
    if (node.role !== 'client') return true;
    const processes = (node.state as ClientState | undefined)?.processes ?? [];
    const latestUs = Math.max(-Infinity, ...processes.map((process) => lastOkUs.get(process) ?? -Infinity));
    return node.up && view.nowUs - latestUs <= windowUs;
  });
}

export default defineModel<Msg, Timer>({
  name: 'retry-client',
  description: 'Clients retry on timeout against a counter service; request ids make the retries idempotent.',
  roles: {
    server: { count: 1, node: server },
    client: { count: 3, node: client },
  },
  bugs: { 'retry-without-id': 'clients send each retry as a new request, so the server applies an add whose answer was lost again' },
  properties: [
    always('no increment is counted twice', (view) => {
      const counter = counterOf(view);
      return counter === null || counter <= historyTotals(view.history).invokedSum;
    }),
    always('acknowledged increments are counted', (view) => {
      const counter = counterOf(view);
      return counter === null || counter >= historyTotals(view.history).acknowledgedSum;
    }),
    eventually('every client is served once faults stop', (view) => everyClientServedWithin(view, PROGRESS_WINDOW_US)),
    sometimes('a retried add was acknowledged', (view) =>
      view.nodes.some((node) => node.role === 'client' && node.up && (node.state as ClientState).retriedAcks > 0),
    ),
  ],
  checkers: [linearizable(counterSpec)],
  defaults: {
    timeUs: sec(2),
    settleUs: ms(700),
    network: {
      // Most answers come within the 20 ms timeout, some only after it: a timeout that is not a loss.
      latency: { minUs: ms(1), maxUs: ms(40), distribution: 'exponential' },
      lossRate: 0.05,
      duplicateRate: 0.03,
    },
    faults: {
      crash: { meanIntervalUs: ms(500), downtime: { minUs: ms(20), maxUs: ms(200) } },
      partition: { meanIntervalUs: sec(1), duration: { minUs: ms(50), maxUs: ms(300) }, shapes: ['isolate'] },
    },
  },
});
