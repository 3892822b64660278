/**
 * two-phase-commit — atomic commitment (Gray, 1978): a coordinator runs 20
 * transactions, one after another, over three participants with durable
 * logs; each transaction must commit everywhere or abort everywhere.
 *
 * Protocol. Phase 1: the coordinator logs that the transaction began and
 * sends `prepare`; each participant votes yes or no, logging (and syncing)
 * its vote before it answers; a no-voter aborts at once. Phase 2: all yes
 * means commit, any no or a missing vote after 40 ms means abort; the
 * coordinator logs the decision (synced) and only then sends it. A
 * participant that voted yes may not decide on its own any more: until it
 * hears the decision it is uncertain, and asks the coordinator every 25 ms
 * (after a restart it re-reads its log and keeps asking). A restarted
 * coordinator aborts the transaction it began and never decided, and answers
 * questions from its log.
 *
 * The pitfall. Two-phase commit blocks: while the coordinator is down, an
 * uncertain participant can neither commit (another may have voted no) nor
 * abort (the coordinator may have committed), and must wait, holding its
 * locks, however long that takes.
 *
 * Properties.
 * - `atomicity: no transaction commits at one node and aborts at another`
 *   (always), over the decisions logged by every node that is up.
 * - `every transaction is decided everywhere once faults stop` (eventually):
 *   the coordinator decided all 20, and no participant is uncertain.
 * - `every transaction the coordinator committed is committed at every
 *   participant` (eventually): a participant that forgot its vote is not
 *   uncertain, so only the coordinator's log shows what it missed.
 * - `a transaction commits at every participant` and `the coordinator aborts
 *   a transaction` (sometimes): both outcomes happen.
 *
 * Bug flag `unilateral-abort`: a participant that voted yes and has waited
 * 60 ms for the decision aborts on its own, the tempting way out of
 * blocking; if the coordinator had committed, atomicity is gone.
 *
 * Bug flag `vote-not-synced`: a participant answers its vote before syncing
 * it; a crash then loses the vote, the participant never asks about the
 * transaction, and a commit the coordinator decided never reaches it.
 */
import { defineModel, ms, sec } from '../../src/index.ts';
import { coordinator } from './coordinator.ts';
import type { Msg, Timer } from './messages.ts';
import { participant } from './participant.ts';
import { twoPhaseCommitProperties } from './properties.ts';

export default defineModel<Msg, Timer>({
  name: 'two-phase-commit',
  description: 'Two-phase commit: a coordinator and three participants with durable logs; every transaction commits everywhere or aborts everywhere.',
  roles: {
    coordinator: { count: 1, node: coordinator },
    participant: { count: 3, node: participant },
  },
  bugs: {
    'unilateral-abort': 'a participant that voted yes aborts on its own after waiting 60 ms for the decision',
    'vote-not-synced': 'a participant answers its vote before syncing it, so a crash makes it forget the vote',
  },
  properties: twoPhaseCommitProperties,
  defaults: {
    timeUs: sec(2),
    settleUs: ms(600),
    network: { lossRate: 0.05, duplicateRate: 0.05 },
    faults: {
      crash: { meanIntervalUs: ms(150), downtime: { minUs: ms(20), maxUs: ms(150) }, maxDown: 1 },
      partition: { meanIntervalUs: ms(300), duration: { minUs: ms(30), maxUs: ms(200) } },
    },
  },
});
