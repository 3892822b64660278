/**
 * raft — the Raft consensus algorithm (Ongaro & Ousterhout, "In Search of an
 * Understandable Consensus Algorithm", 2014) replicating a key-value store
 * across five servers, used by three clients that record a history.
 *
 * Protocol (Figure 2 of the paper). Each server is a follower, a candidate or
 * the leader of a term. A follower that hears from no leader before its
 * randomized election timeout (150–300 ms) becomes a candidate: it increments
 * its term, votes for itself and asks the others for votes (RequestVote). A
 * server grants one vote per term, to a candidate whose log is at least as up
 * to date as its own; a candidate with a majority leads. The leader takes
 * client commands into its log and replicates them (AppendEntries, also its
 * 50 ms heartbeat): a follower accepts entries only if its log holds the
 * entry just before them (the consistency check), and replaces a conflicting
 * suffix. An entry of the leader's own term stored on a majority is
 * committed, with everything before it; every server applies committed
 * entries in order to its key-value map. currentTerm, votedFor and the log
 * are put on disk and synced before a server answers an RPC, since a crash
 * loses unsynced writes; commitIndex and the map are rebuilt after a restart.
 * Reads go through the log like writes, so a leader that lost its leadership
 * cannot answer one. Clients' commands carry (process, seq), which the state
 * machine deduplicates: the network duplicates messages and clients retry.
 *
 * Properties: at most one leader per term; committed entries are never lost
 * or changed; the history is linearizable (kv); once faults stop, a leader
 * serves every client; and, sometimes, a read returns a written value.
 *
 * Bug flags.
 * - `commit-previous-term`: the leader commits any entry stored on a
 *   majority, also one from an earlier term — the mistake of the paper's
 *   Figure 8: a server whose log ends in a later term can still be elected
 *   without that entry and overwrite it.
 * - `forget-vote`: a server answers RequestVote without syncing its vote; a
 *   crash before some later sync forgets it, and the restarted server votes
 *   again in the same term: two leaders of one term.
 * - `stale-leader-read`: a leader answers reads from its own map without
 *   confirming it still leads: a deposed leader cut off by a partition (or a
 *   new leader that has not applied its predecessor's last commits) returns
 *   stale values.
 *
 * The first two need a crash in a window of a few milliseconds at the right
 * server, which random faults almost never hit; the model's nemeses
 * (nemeses.ts) aim one there: `--nemesis leader-crashes` for
 * `commit-previous-term`, `--nemesis voter-crashes` for `forget-vote`.
 */
import { defineModel, kvSpec, linearizable, ms, sec } from '../../src/index.ts';
import { client } from './client.ts';
import { CLIENT_COUNT, SERVER_COUNT } from './config.ts';
import { committedEntriesStay, leaderAndProgress, oneLeaderPerTerm, readAWrite } from './properties.ts';
import { server } from './server.ts';
import { leaderCrashes, voterCrashes } from './nemeses.ts';
import type { Msg, Timer } from './types.ts';

export default defineModel<Msg, Timer>({
  name: 'raft',
  description: 'Raft replicating a key-value store on five servers; clients record a history checked for linearizability.',
  roles: {
    server: { count: SERVER_COUNT, node: server },
    client: { count: CLIENT_COUNT, node: client, crashable: false },
  },
  bugs: {
    'commit-previous-term': 'a leader commits entries of earlier terms by counting replicas (the Figure 8 mistake)',
    'forget-vote': 'a server answers RequestVote before its vote is synced to disk',
    'stale-leader-read': 'a leader serves reads from its own state without confirming it still leads',
  },
  nemeses: {
    'leader-crashes': leaderCrashes,
    'voter-crashes': voterCrashes,
  },
  properties: [oneLeaderPerTerm, committedEntriesStay, leaderAndProgress, readAWrite],
  checkers: [linearizable(kvSpec)],
  defaults: {
    timeUs: sec(4),
    settleUs: sec(1),
    network: { lossRate: 0.02, duplicateRate: 0.02 },
    faults: {
      crash: { meanIntervalUs: ms(300), downtime: { minUs: ms(20), maxUs: ms(300) } },
      partition: { meanIntervalUs: ms(500), duration: { minUs: ms(100), maxUs: ms(600) }, shapes: ['halves', 'isolate', 'majority'] },
    },
  },
});
