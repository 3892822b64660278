/**
 * A gossip peer: it learns values, spreads new ones as rumours for a few
 * rounds, and (unless the `no-anti-entropy` bug is on) runs one push-pull
 * anti-entropy exchange with a random peer every round. A few peers also
 * originate one value each. The protocol is described in model.ts.
 */
import { checksum, defineNode, ms, type DurableStorage, type NodeContext } from '../../src/index.ts';

/** Messages of the protocol. Values are short unique ids, so a peer's set of them is its own digest. */
export type Msg =
  /** Rumour mongering: values the sender learned in its last few rounds. */
  | { kind: 'rumour'; values: string[] }
  /** Anti-entropy, push half: every value the sender holds. */
  | { kind: 'digest'; values: string[] }
  /** Anti-entropy, pull half: the values the digest lacked. */
  | { kind: 'missing'; values: string[] };

/** Timer payloads. */
export type Timer = { kind: 'round' } | { kind: 'originate' };

/** What a peer holds. */
export interface PeerState {
  /** Every value it knows, in the order it learned them (kept on disk too). */
  values: string[];
  /** Rumours it is still spreading: value → rounds left. Volatile: a restart forgets them. */
  hot: Record<string, number>;
}

/** How many values a run originates (by peers spread evenly over the cluster). */
export const VALUE_COUNT = 4;
/** One gossip round: each peer pushes its rumours and runs one anti-entropy exchange. */
export const ROUND_US = ms(100);
/** Rounds a peer keeps a new value hot (Demers et al.'s blind counter). */
export const RUMOUR_ROUNDS = 3;
/** Peers a rumour is pushed to each round. */
export const FANOUT = 2;
/** Values are originated before this virtual time, so the run has time to spread them. */
export const ORIGINATE_BY_US = ms(1_000);

const VALUES_KEY = 'values';
const ORIGINATED_KEY = 'originated';

type Ctx = NodeContext<Msg, Timer>;

/** Whether this peer originates a value: peers floor(j * n / VALUE_COUNT), spread over the cluster. */
function isOriginator(ctx: Ctx): boolean {
  const peers = ctx.nodesOf('peer');
  const index = Number(ctx.id.slice('peer'.length));
  for (let j = 0; j < VALUE_COUNT; j++) if (Math.floor((j * peers.length) / VALUE_COUNT) === index) return true;
  return false;
}

/** A random peer other than this one; the shared id list is read, never copied (10,000 peers). */
function randomPeer(ctx: Ctx): string | null {
  const peers = ctx.nodesOf('peer');
  if (peers.length < 2) return null;
  const index = ctx.random.int(peers.length - 1);
  const pick = peers[index] as string;
  // Indices past our own shift by one, so every other peer is equally likely.
  return pick === ctx.id ? (peers[peers.length - 1] as string) : pick;
}

/** Sends `msg` to `to` unless there is nobody to send to (a cluster of one peer). */
function send(ctx: Ctx, to: string | null, msg: Msg): void {
  if (to !== null) ctx.send(to, msg);
}

/** Adds the values not known yet, persists the set (synced, so a restart keeps it) and makes them hot. */
function learn(state: PeerState, values: readonly string[], ctx: Ctx): void {
  let learned = false;
  for (const value of values) {
    if (state.values.includes(value)) continue;
    state.values.push(value);
    state.hot[value] = RUMOUR_ROUNDS;
    learned = true;
  }
  if (!learned) return;
  const saved = [...state.values];
  ctx.storage.put(VALUES_KEY, { values: saved, sum: checksum(saved) });
  ctx.storage.sync();
}

/**
 * The values on disk; none when the record does not match its checksum (a
 * corrupted read, under a profile with disk faults): anti-entropy teaches
 * them again, and a peer never holds a value nobody broadcast.
 */
function savedValues(storage: DurableStorage): string[] {
  const saved = storage.get<{ values: string[]; sum: string }>(VALUES_KEY);
  return saved !== undefined && checksum(saved.values) === saved.sum ? [...saved.values] : [];
}

/** The peer node. */
export const peer = defineNode<PeerState, Msg, Timer>({
  start(ctx, storage) {
    ctx.setTimer(ctx.random.between(1, ROUND_US), { kind: 'round' });
    // An originator that crashed before originating tries again, while there is time for the value to spread.
    if (isOriginator(ctx) && storage.get<boolean>(ORIGINATED_KEY) !== true && ctx.now < ORIGINATE_BY_US) {
      ctx.setTimer(ctx.random.between(1, ORIGINATE_BY_US - ctx.now), { kind: 'originate' });
    }
    return { values: savedValues(storage), hot: {} };
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'originate') {
      const value = `${ctx.id}:v`;
      ctx.invoke({ f: 'broadcast', value });
      learn(state, [value], ctx);
      ctx.storage.put(ORIGINATED_KEY, true);
      ctx.storage.sync();
      // Acknowledged only once it is on disk: a crash from here on cannot lose it.
      ctx.complete('ok');
      return;
    }
    const rumours = Object.keys(state.hot);
    if (rumours.length > 0) {
      for (let i = 0; i < FANOUT; i++) send(ctx, randomPeer(ctx), { kind: 'rumour', values: rumours });
      for (const value of rumours) if (--state.hot[value]! <= 0) delete state.hot[value];
    }
    if (!ctx.bug('no-anti-entropy')) send(ctx, randomPeer(ctx), { kind: 'digest', values: [...state.values] });
    ctx.setTimer(ROUND_US, { kind: 'round' });
  },
  onMessage(state, from, msg, ctx) {
    if (msg.kind === 'digest') {
      const lacking = state.values.filter((value) => !msg.values.includes(value));
      if (lacking.length > 0) ctx.send(from, { kind: 'missing', values: lacking });
    }
    learn(state, msg.values, ctx);
  },
});
