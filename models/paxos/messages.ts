/**
 * paxos — the messages and timers of single-decree Paxos, and ballot
 * numbers. A ballot is a round and the proposer's index packed into one
 * integer, so ballots of different proposers never tie and a higher round
 * always wins.
 */

/** A value one acceptor accepted, with the ballot it was accepted in. */
export type AcceptedPair = {
  ballot: number;
  value: string;
};

/** Messages between proposers and acceptors (Lamport's 1a, 1b, 2a, 2b, and a rejection). */
export type Msg =
  | { kind: 'prepare'; ballot: number }
  | { kind: 'promise'; ballot: number; accepted: AcceptedPair | null }
  | { kind: 'accept'; ballot: number; value: string }
  | { kind: 'accepted'; ballot: number }
  | { kind: 'reject'; ballot: number; promised: number };

/** Proposer timers: begin a ballot, or give up on one that got no majority in time. */
export type Timer = { kind: 'begin' } | { kind: 'give-up'; ballot: number };

/** Ballots of one round leave room for this many proposers. */
export const PROPOSERS_PER_ROUND = 16;

/** The ballot of `round` for the proposer with index `proposerIndex` (round 1 is the first; 0 means no ballot). */
export function ballotOf(round: number, proposerIndex: number): number {
  return round * PROPOSERS_PER_ROUND + proposerIndex;
}

/** The round a ballot belongs to. */
export function roundOf(ballot: number): number {
  return Math.floor(ballot / PROPOSERS_PER_ROUND);
}

/** How many of `count` nodes form a majority. */
export function majorityOf(count: number): number {
  return Math.floor(count / 2) + 1;
}
