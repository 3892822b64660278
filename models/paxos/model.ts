/**
 * paxos — single-decree Paxos (Lamport, "Paxos Made Simple"): three
 * proposers, each wanting its own value, and three acceptors agree on one
 * value, through crashes, partitions, loss, duplication and reordering.
 *
 * Protocol. A proposer picks a ballot (a round and its index: unique, and
 * higher rounds win) and sends `prepare(b)` to every acceptor (phase 1a). An
 * acceptor that has not promised a ballot above b promises b (a duplicated
 * prepare of the ballot it promised gets the same promise again), and
 * answers with the value it accepted in its highest ballot, if any (1b). With
 * promises from a majority, the proposer sends `accept(b, v)` (2a), where v is
 * the value of the highest ballot among those answers, or its own value if
 * none had accepted anything: a value that may already be chosen is carried
 * forward, never replaced. An acceptor accepts (b, v) unless it has promised a
 * higher ballot, and says so (2b). A majority of acceptances means v is
 * chosen; the proposer learns it (proposers are the learners here). Acceptors
 * persist and sync their promise and accepted value before answering; a
 * proposer persists its round before a prepare leaves, so it never reuses a
 * ballot. A ballot rejected or unanswered within 40 ms is abandoned, and the
 * proposer tries a higher one after a randomized backoff that grows with each
 * failure (without it, duelling proposers can pre-empt each other for ever).
 *
 * Properties.
 * - `at most one value is chosen` (always): over the values a majority of
 *   acceptors accepted in one ballot (every acceptance is recorded in the
 *   run's history, acceptances.ts, where an acceptor's crash cannot wipe it)
 *   and every value a proposer learned, there is at most one.
 * - `every proposer learns the chosen value once faults stop` (eventually).
 * - `a proposer learns another proposer's value` (sometimes): the
 *   interesting path, where phase 1 made a proposer give up its own value.
 *
 * Bug flag `ignore-promise`: an acceptor accepts in any ballot, even below
 * the one it promised. Two proposers whose prepares both found nothing
 * accepted then both get their values accepted by a majority: two values
 * chosen.
 *
 * Bug flag `forget-promise`: an acceptor answers before its promise or
 * acceptance is synced; after a crash it has forgotten them, and may promise
 * or accept what it had promised to refuse.
 */
import { defineModel, ms, sec } from '../../src/index.ts';
import { acceptor } from './acceptor.ts';
import type { Msg, Timer } from './messages.ts';
import { paxosProperties } from './properties.ts';
import { proposer } from './proposer.ts';

export default defineModel<Msg, Timer>({
  name: 'paxos',
  description: 'Single-decree Paxos: three proposers with different values, three acceptors that persist their promises; one value must be chosen.',
  roles: {
    proposer: { count: 3, node: proposer },
    acceptor: { count: 3, node: acceptor },
  },
  bugs: {
    'ignore-promise': 'an acceptor accepts in a ballot below the one it promised',
    'forget-promise': 'an acceptor answers before its promise or acceptance is synced, so a crash can make it forget them',
  },
  properties: paxosProperties,
  defaults: {
    timeUs: sec(1),
    settleUs: ms(400),
    network: { lossRate: 0.05, duplicateRate: 0.05 },
    faults: {
      crash: { meanIntervalUs: ms(60), downtime: { minUs: ms(10), maxUs: ms(100) }, maxDown: 1 },
      partition: { meanIntervalUs: ms(150), duration: { minUs: ms(20), maxUs: ms(150) } },
    },
  },
});
