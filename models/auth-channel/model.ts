/**
 * auth-channel — a payment service that takes transfer commands from two
 * authorized clients over a hostile network, and authenticates them.
 *
 * Protocol. Each client shares a secret key with `service0` (the table
 * `SECRETS` below: known to the nodes, never sent, so the simulator's
 * adversary, which sees only payloads, cannot learn it). A client numbers its
 * commands (`seq`, kept on its disk so a restart never reuses one), records
 * `transfer(to, amount)` in the history and sends `{ seq, to, amount, mac }`,
 * where `mac` is a keyed checksum over its key, its id and the command. The
 * service recomputes the MAC with the key of the sender the message claims; a
 * forged message (a copied payload under another sender's name) or a tampered
 * one (a field changed in flight) does not match and is rejected. A command
 * whose MAC matches but whose seq is not above the last seq executed for that
 * client is a replay (or a duplicate) and is refused. The service executes
 * the rest: it moves the money, appends the command to its log, stores log,
 * balances and last seqs on its disk, syncs, and answers `done(seq)` under a
 * MAC of its own, so a client is not fooled by a forged answer either.
 *
 * The MAC is simulated: `checksum` (FNV-1a) is not a cryptographic MAC, and a
 * real service would use HMAC-SHA-256. It stands in for one faithfully here
 * because the adversary never computes MACs: it copies, replays and changes
 * leaves of payloads, and checksum changes with any one changed unit.
 *
 * The pitfall. On a network an attacker can write to, the sender field of a
 * message is a claim, not a fact, and a message that was genuine once can
 * arrive again. Authentication (the MAC) answers "who sent this, unchanged";
 * only freshness (the seq) answers "and not already".
 *
 * Properties.
 * - `every executed command was issued by its client, once` (always): each
 *   entry of the service's log matches a `transfer` some client invoked, with
 *   the same client, seq, account and amount, and no (client, seq) twice.
 * - `a forged or tampered command was rejected` (sometimes): the adversary
 *   acted and was caught, so a run where it never reaches the service fails.
 * - `a replayed command was refused` (sometimes).
 *
 * Bug flags.
 * - `trust-sender`: the service believes the sender field and skips the MAC:
 *   it executes forged commands under another client's name and tampered
 *   amounts.
 * - `no-replay-check`: the MAC is checked but the seq is not: a replayed or
 *   duplicated command is executed again.
 */
import { always, checksum, defineModel, defineNode, ms, sec, sometimes, type DurableStorage, type HistoryEvent, type JsonValue, type NodeContext, type NodeId } from '../../src/index.ts';
import { issuedCommands } from './issued-commands.ts';

/** What a client asks for: move `amount` into account `to`. */
export type Transfer = { to: string; amount: number };

/** Messages of the protocol. */
export type Msg = { kind: 'command'; seq: number; to: string; amount: number; mac: string } | { kind: 'done'; seq: number; mac: string };

/** Timer payloads. */
export type Timer = { kind: 'next' } | { kind: 'timeout'; seq: number };

/** One executed command, as the service's log keeps it. */
export type Executed = { client: string; seq: number; to: string; amount: number };

/** The service's state: the log is on its disk (balances and last seqs follow from it); the rejection counts are not. */
export type ServiceState = {
  log: Executed[];
  balances: Record<string, number>;
  /** The last seq executed per client: a seq at or below it is a replay. */
  lastSeq: Record<string, number>;
  rejectedMac: number;
  rejectedReplay: number;
};

/** A client: its command counter and the command it waits for. */
export type ClientState = { seq: number; waiting: number | null };

/** The keys each client shares with the service. Nodes know them; no message carries them. */
const SECRETS: Readonly<Record<NodeId, string>> = { client0: 'k0-5d1f9e2a', client1: 'k1-b7734c06' };
const SERVICE = 'service0';
const ACCOUNTS = ['alice', 'bob', 'carol'];
const AMOUNT_MAX = 100;
const TIMEOUT_US = ms(30);
const THINK_US = { min: ms(5), max: ms(15) };
const LOG_PREFIX = 'log/';
const SEQ_KEY = 'seq';

/** The simulated MAC of `fields`, keyed with `client`'s secret (both directions use the client's key). */
function mac(client: NodeId, fields: JsonValue[]): string {
  return checksum([SECRETS[client] ?? '', client, ...fields]);
}

/** Whether `msg` is a well-formed command: the adversary forges from any payload it saw, answers included. */
function isCommand(msg: Msg): msg is Extract<Msg, { kind: 'command' }> {
  return msg.kind === 'command' && Number.isInteger(msg.seq) && typeof msg.to === 'string' && Number.isInteger(msg.amount) && typeof msg.mac === 'string';
}

/** Rebuilds the service's state from its log on disk: balances and last seqs follow from the commands executed. */
function recover(storage: DurableStorage): ServiceState {
  const state: ServiceState = { log: [], balances: {}, lastSeq: {}, rejectedMac: 0, rejectedReplay: 0 };
  const indices = storage.keys().filter((key) => key.startsWith(LOG_PREFIX)).map((key) => Number(key.slice(LOG_PREFIX.length)));
  for (const index of indices.sort((a, b) => a - b)) {
    const entry = storage.get<Executed>(`${LOG_PREFIX}${index}`);
    if (entry !== undefined) apply(state, entry);
  }
  return state;
}

/** Executes one command: moves the money, appends it to the log, remembers its seq. */
function apply(state: ServiceState, entry: Executed): void {
  state.balances[entry.to] = (state.balances[entry.to] ?? 0) + entry.amount;
  state.log.push(entry);
  state.lastSeq[entry.client] = Math.max(entry.seq, state.lastSeq[entry.client] ?? 0);
}

const service = defineNode<ServiceState, Msg, Timer>({
  start: (_ctx, storage) => recover(storage),
  onMessage(state, from, msg, ctx) {
    if (!isCommand(msg) || SECRETS[from] === undefined) return;
    const authentic = msg.mac === mac(from, ['command', msg.seq, msg.to, msg.amount]);
    // The bug: whoever the sender field names is believed, MAC or not.
    if (!authentic && !ctx.bug('trust-sender')) {
      state.rejectedMac++;
      ctx.log(`rejected a command claiming ${from}: its MAC does not match`);
      return;
    }
    const fresh = msg.seq > (state.lastSeq[from] ?? 0);
    if (!fresh && !ctx.bug('no-replay-check')) {
      state.rejectedReplay++;
      return;
    }
    const entry: Executed = { client: from, seq: msg.seq, to: msg.to, amount: msg.amount };
    apply(state, entry);
    // Durable before the answer, one key per entry (a crash keeps an entry whole or not at all):
    // an executed command must not run again after a restart.
    ctx.storage.put(`${LOG_PREFIX}${state.log.length - 1}`, entry);
    ctx.storage.sync();
    ctx.send(from, { kind: 'done', seq: msg.seq, mac: mac(from, ['done', msg.seq]) });
  },
});

/** Picks the next command, records it in the history and sends it under its MAC. */
function issue(state: ClientState, ctx: NodeContext<Msg, Timer>): void {
  state.seq++;
  ctx.storage.put(SEQ_KEY, state.seq);
  ctx.storage.sync();
  const transfer: Transfer = { to: ctx.random.pick(ACCOUNTS), amount: ctx.random.between(1, AMOUNT_MAX) };
  ctx.invoke({ f: 'transfer', client: ctx.id, seq: state.seq, ...transfer });
  ctx.send(SERVICE, { kind: 'command', seq: state.seq, ...transfer, mac: mac(ctx.id, ['command', state.seq, transfer.to, transfer.amount]) });
  state.waiting = state.seq;
  ctx.setTimer(TIMEOUT_US, { kind: 'timeout', seq: state.seq });
}

const client = defineNode<ClientState, Msg, Timer>({
  start(ctx, storage) {
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
    return { seq: storage.get<number>(SEQ_KEY) ?? 0, waiting: null };
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'next') return issue(state, ctx);
    if (state.waiting !== timer.seq) return;
    // No answer: the command may have been executed, or rejected, or lost.
    ctx.complete('info');
    state.waiting = null;
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
  },
  onMessage(state, from, msg, ctx) {
    if (from !== SERVICE || msg.kind !== 'done' || msg.seq !== state.waiting || msg.mac !== mac(ctx.id, ['done', msg.seq])) return;
    ctx.complete('ok');
    state.waiting = null;
    ctx.setTimer(ctx.random.between(THINK_US.min, THINK_US.max), { kind: 'next' });
  },
});

/**
 * The last log judged, the history length it was judged against, and its
 * verdict: the log changes only when a command runs, and is judged after every
 * event. The verdict depends on the issued commands too, which grow with the
 * history, so a cached verdict holds only for the same log and history length.
 */
let judged: { log: readonly Executed[]; historyLength: number; genuine: boolean } | null = null;

/** Whether every entry of `log` matches a command issued in `history` and no (client, seq) appears twice. */
function onlyGenuineOnce(log: readonly Executed[], history: readonly HistoryEvent[]): boolean {
  if (judged?.log === log && judged.historyLength === history.length) return judged.genuine;
  const issued = issuedCommands(history);
  const executed = new Set<string>();
  let genuine = true;
  for (const entry of log) {
    const id = `${entry.client}:${entry.seq}`;
    if (executed.has(id) || issued.get(id) !== `${entry.to}:${entry.amount}`) genuine = false;
    executed.add(id);
  }
  judged = { log, historyLength: history.length, genuine };
  return genuine;
}

/** The service's state, or undefined while it is down. */
const serviceOf = (view: { state<S>(id: NodeId): S | undefined }): ServiceState | undefined => view.state<ServiceState>(SERVICE);

export default defineModel<Msg, Timer>({
  name: 'auth-channel',
  description: 'A payment service on a hostile network: a MAC rejects forged and tampered commands, a sequence number refuses replays.',
  roles: {
    client: { count: 2, node: client },
    service: { count: 1, node: service },
  },
  bugs: {
    'trust-sender': 'the service believes the sender field and skips the MAC: forged and tampered commands are executed',
    'no-replay-check': 'the service checks the MAC but not the sequence number: replayed and duplicated commands run again',
  },
  properties: [
    always('every executed command was issued by its client, once', (view) => {
      const log = serviceOf(view)?.log;
      return log === undefined || onlyGenuineOnce(log, view.history);
    }),
    sometimes('a forged or tampered command was rejected', (view) => (serviceOf(view)?.rejectedMac ?? 0) > 0),
    sometimes('a replayed command was refused', (view) => (serviceOf(view)?.rejectedReplay ?? 0) > 0),
  ],
  defaults: {
    timeUs: sec(2),
    settleUs: ms(500),
    network: { lossRate: 0.01, duplicateRate: 0.02, adversary: { forgeRate: 0.1, replayRate: 0.1, tamperRate: 0.1 } },
    faults: { crash: { meanIntervalUs: ms(500), downtime: { minUs: ms(20), maxUs: ms(200) } } },
  },
});
