/**
 * gossip — broadcast by gossip: a few peers each originate a value, and every
 * peer must end up holding every value, despite loss, duplication, crashes and
 * partitions. It is the model for the scale benchmark: `--nodes peer=10000`.
 *
 * Protocol (Demers et al., "Epidemic algorithms for replicated database
 * maintenance", 1987). Values are short unique ids (`peer7:v`). Four peers,
 * spread evenly over the cluster, each originate one value in the first
 * second: the value goes on the originator's disk (synced) before the
 * broadcast is acknowledged in the history, so a crash cannot lose it. Every
 * 100 ms each peer runs a round:
 * - rumour mongering: each value it learned recently ("hot") is pushed to two
 *   random peers; a value stays hot for three rounds, then the peer loses
 *   interest (a blind counter). Fast, but it can miss peers: a rumour dies out
 *   while a partition or a crash hides some of them, or its messages are lost.
 * - anti-entropy (push-pull): it sends its whole set of values (a digest: the
 *   values are their own ids) to one random peer, which adds what it lacked
 *   and answers with what the sender lacked. Slow but complete: once the
 *   network heals, every missed value is found again, because every pair of
 *   peers keeps comparing sets for as long as the system runs.
 * Every peer keeps its values on disk (synced as it learns them, with a
 * checksum), so a peer that restarts has them at once; hot rumours are
 * volatile and lost in a crash, which anti-entropy makes up for.
 *
 * The pitfall. Rumour mongering alone is "probably everyone": with fanout 2
 * for 3 rounds, each of 24 peers misses a value with probability about e^-6
 * with no faults at all, and a partition during those rounds cuts off half the
 * cluster for good. Completeness needs the slow, periodic repair.
 *
 * Properties.
 * - `every value reaches every live peer once faults stop` (eventually): every
 *   value whose broadcast was acknowledged (the history's invocations) is held
 *   by every up peer at the end of the run; the defaults give a 1 s liveness
 *   phase (ten rounds).
 * - `a value reached every live peer` (sometimes): at some instant every up
 *   peer held every value broadcast so far (at least one), so a model that
 *   does not gossip fails.
 *
 * Bug flag `no-anti-entropy`: pure rumour mongering, no anti-entropy exchange;
 * a peer that missed a rumour never learns the value.
 */
import { defineModel, eventually, ms, sec, sometimes, type SystemView } from '../../src/index.ts';
import { peer, type Msg, type PeerState, type Timer } from './peer.ts';

/**
 * The distinct values whose broadcast was invoked (each is acknowledged in the
 * same step, once on disk; an originator whose disk read came back corrupted
 * may broadcast its value twice).
 */
function broadcastValues(view: SystemView): Set<string> {
  const values = new Set<string>();
  for (const event of view.history) {
    if (event.type === 'invoke') values.add((event.input as { value: string }).value);
  }
  return values;
}

/**
 * Where the last scan of a view stopped: a peer that lacked a value. Only a
 * speed-up (a run's view is one object for the whole run): the next scan
 * starts there, so while that peer still lacks one the answer costs one look,
 * not a pass over 10,000 peers after every event.
 */
const scanFrom = new WeakMap<SystemView, number>();

/**
 * Whether every up peer holds all `valueCount` values broadcast so far. A peer
 * only ever holds broadcast values, so a peer holding as many holds them all.
 * True only after a full pass around the cluster, from where the last scan
 * stopped; false at the first up peer that lacks one.
 */
function everyPeerHolds(view: SystemView, valueCount: number): boolean {
  const nodes = view.nodes;
  const start = scanFrom.get(view) ?? 0;
  for (let k = 0; k < nodes.length; k++) {
    const index = (start + k) % nodes.length;
    const node = nodes[index]!;
    if (node.up && (node.state as PeerState).values.length < valueCount) {
      scanFrom.set(view, index);
      return false;
    }
  }
  return true;
}

export default defineModel<Msg, Timer>({
  name: 'gossip',
  description: 'Broadcast by gossip (rumour mongering plus push-pull anti-entropy); every value must reach every live peer.',
  roles: {
    peer: { count: 24, node: peer },
  },
  bugs: { 'no-anti-entropy': 'pure rumour mongering: no periodic anti-entropy exchange, so a peer that missed a rumour never learns it' },
  properties: [
    eventually('every value reaches every live peer once faults stop', (view) => everyPeerHolds(view, broadcastValues(view).size)),
    sometimes('a value reached every live peer', (view) => {
      const valueCount = broadcastValues(view).size;
      return valueCount > 0 && everyPeerHolds(view, valueCount);
    }),
  ],
  defaults: {
    timeUs: sec(3),
    settleUs: sec(1),
    network: { lossRate: 0.05, duplicateRate: 0.02 },
    faults: {
      crash: { meanIntervalUs: ms(300), downtime: { minUs: ms(100), maxUs: ms(800) }, maxDown: 2 },
      partition: {
        meanIntervalUs: ms(300),
        duration: { minUs: ms(200), maxUs: ms(800) },
        shapes: ['halves', 'isolate', 'majority', 'asymmetric'],
      },
    },
  },
});
