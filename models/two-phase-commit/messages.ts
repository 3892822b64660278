/**
 * two-phase-commit — messages, timers and the workload's size. Transactions
 * are numbered 1, 2, … by the coordinator; records keyed by transaction use
 * the number as a string key, so they stay plain JSON.
 */
import { ms } from '../../src/index.ts';

/** A participant's answer to `prepare`. */
export type Vote = 'yes' | 'no';
/** The outcome of a transaction. */
export type Decision = 'commit' | 'abort';

/** Messages between the coordinator and the participants. */
export type Msg =
  | { kind: 'prepare'; txn: number }
  | { kind: 'vote'; txn: number; vote: Vote }
  | { kind: 'decision'; txn: number; decision: Decision }
  /** An uncertain participant asks the coordinator how a transaction ended. */
  | { kind: 'status'; txn: number };

/** Timers: the coordinator's next transaction and its vote deadline; a participant's periodic look at what it is unsure of. */
export type Timer = { kind: 'next' } | { kind: 'vote-deadline'; txn: number } | { kind: 'poll' };

/** Transactions the coordinator runs, one after the other. */
export const TXN_COUNT = 20;

/** The first transaction's prepare leaves at this time exactly (a scripted test can aim a crash right after it). */
export const FIRST_TXN_US = ms(10);
