/**
 * replicated-counter — a grow-only counter (G-Counter CRDT) kept by three
 * replicas that persist their state and recover it after a crash.
 *
 * Protocol. Each replica owns one slot of a vector of counts. A client sends
 * `inc(reqId)` to a random replica; the replica adds one to its own slot,
 * writes the slot to its disk, syncs, and only then answers `ack(reqId)`.
 * Every 50 ms each replica sends its vector to the other replicas, which merge
 * it slot by slot with `max`. The counter's value is the sum of the vector.
 * After a restart a replica reads its own slot back from disk and relearns the
 * others through gossip.
 *
 * What it demonstrates. Durable storage and crash recovery: state that was only
 * written (not synced) is lost in a crash, and an acknowledgement promises the
 * client something that must survive one. Duplicated `inc` messages are applied
 * twice; that over-counts, which a grow-only counter tolerates here because the
 * property is about never losing acknowledged increments.
 *
 * Property. `acknowledged increments survive crashes`: whenever a replica is up,
 * its own slot is at least the number of increments it has acknowledged.
 *
 * Bug flag `ack-before-sync`: the replica acknowledges first and syncs its disk
 * only on a 100 ms flush timer, so a crash inside that window loses increments
 * the client was told were stored.
 */
import { always, defineModel, defineNode, ms, sec, sometimes, type NodeId } from '../../src/index.ts';

/** Messages of the protocol. */
export type Msg =
  | { kind: 'inc'; reqId: number }
  | { kind: 'ack'; reqId: number }
  | { kind: 'gossip'; counts: Record<NodeId, number> };

/** Timer payloads. */
export type Timer = { kind: 'request' } | { kind: 'gossip' } | { kind: 'flush' };

/** A replica's volatile state: the whole vector (its own slot is also on disk). */
export interface ReplicaState {
  counts: Record<NodeId, number>;
}

/** The client's record of what each replica acknowledged. */
export interface ClientState {
  nextReqId: number;
  /** Request ids each replica acknowledged (a duplicated ack is counted once). */
  acked: Record<NodeId, number[]>;
}

const REQUEST_INTERVAL_US = ms(20);
const GOSSIP_INTERVAL_US = ms(50);
const FLUSH_INTERVAL_US = ms(100);
const OWN_SLOT_KEY = 'own';

const replica = defineNode<ReplicaState, Msg, Timer>({
  start(ctx, storage) {
    ctx.setTimer(GOSSIP_INTERVAL_US, { kind: 'gossip' });
    if (ctx.bug('ack-before-sync')) ctx.setTimer(FLUSH_INTERVAL_US, { kind: 'flush' });
    const own = storage.get<number>(OWN_SLOT_KEY) ?? 0;
    if (own > 0) ctx.log(`recovered own count ${own} from disk`);
    return { counts: { [ctx.id]: own } };
  },
  onMessage(state, from, msg, ctx) {
    if (msg.kind === 'inc') {
      const own = (state.counts[ctx.id] ?? 0) + 1;
      state.counts[ctx.id] = own;
      ctx.storage.put(OWN_SLOT_KEY, own);
      if (!ctx.bug('ack-before-sync')) ctx.storage.sync();
      ctx.send(from, { kind: 'ack', reqId: msg.reqId });
    } else if (msg.kind === 'gossip') {
      for (const [id, count] of Object.entries(msg.counts)) {
        // Our own slot is authoritative on our disk; never adopt a larger value for it from gossip.
        if (id !== ctx.id) state.counts[id] = Math.max(state.counts[id] ?? 0, count);
      }
    }
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'gossip') {
      const counts = { ...state.counts };
      for (const peer of ctx.nodesOf('replica')) if (peer !== ctx.id) ctx.send(peer, { kind: 'gossip', counts });
      ctx.setTimer(GOSSIP_INTERVAL_US, { kind: 'gossip' });
    } else if (timer.kind === 'flush') {
      ctx.storage.sync();
      ctx.setTimer(FLUSH_INTERVAL_US, { kind: 'flush' });
    }
  },
});

const client = defineNode<ClientState, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(REQUEST_INTERVAL_US, { kind: 'request' });
    return { nextReqId: 1, acked: {} };
  },
  onTimer(state, _timer, ctx) {
    const target = ctx.random.pick(ctx.nodesOf('replica'));
    ctx.send(target, { kind: 'inc', reqId: state.nextReqId });
    state.nextReqId++;
    ctx.setTimer(REQUEST_INTERVAL_US, { kind: 'request' });
  },
  onMessage(state, from, msg) {
    if (msg.kind !== 'ack') return;
    const ids = (state.acked[from] ??= []);
    if (!ids.includes(msg.reqId)) ids.push(msg.reqId);
  },
});

export default defineModel<Msg, Timer>({
  name: 'replicated-counter',
  description: 'A grow-only counter on three replicas with durable storage; crashes must not lose acknowledged increments.',
  roles: {
    replica: { count: 3, node: replica },
    client: { count: 1, node: client, crashable: false },
  },
  bugs: { 'ack-before-sync': 'acknowledge an increment before syncing it to disk (synced every 100 ms instead)' },
  properties: [
    always('acknowledged increments survive crashes', (view) => {
      const clientState = view.state<ClientState>('client0');
      if (clientState === undefined) return true;
      return view.nodes.every((node) => {
        if (node.role !== 'replica' || !node.up) return true;
        const own = (node.state as ReplicaState).counts[node.id] ?? 0;
        return own >= (clientState.acked[node.id]?.length ?? 0);
      });
    }),
    // The safety property holds trivially until an increment is acknowledged: a run that never gets one must not pass.
    sometimes('an increment was acknowledged', (view) =>
      Object.values(view.state<ClientState>('client0')?.acked ?? {}).some((ids) => ids.length > 0),
    ),
  ],
  defaults: {
    timeUs: sec(5),
    network: { lossRate: 0.02, duplicateRate: 0.02 },
    faults: { crash: { meanIntervalUs: ms(400), downtime: { minUs: ms(50), maxUs: ms(300) } } },
  },
});
