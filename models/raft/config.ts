/**
 * The raft model's timing and sizes. Heartbeats every 50 ms against election
 * timeouts drawn from 150–300 ms (the Raft paper's suggested range), so a
 * follower hears a live leader several times before it gives up on it.
 */
import { ms } from '../../src/index.ts';

/** Servers in the cluster (a majority is 3). */
export const SERVER_COUNT = 5;
/** Clients issuing operations. */
export const CLIENT_COUNT = 3;
/** A leader's heartbeat interval; a candidate re-asks for missing votes at the same pace. */
export const HEARTBEAT_INTERVAL_US = ms(50);
/** Election timeouts are drawn uniformly from this range, so split votes resolve. */
export const ELECTION_TIMEOUT_US = { min: ms(150), max: ms(300) };
/** At most this many entries in one AppendEntries (a limit on every message). */
export const MAX_ENTRIES_PER_APPEND = 32;
/** A client waits this long for one server before it tries another. */
export const CLIENT_RETRY_US = ms(80);
/** A client gives up on an operation after this long (a read: fail, a write: info). */
export const CLIENT_DEADLINE_US = ms(500);
/** At most this many redirects followed within one retry interval (two stale servers could point at each other). */
export const MAX_REDIRECTS = 3;
/** A client's pause between operations. */
export const CLIENT_THINK_US = { min: ms(20), max: ms(60) };
/** The keys clients read and write. */
export const KEYS = ['x', 'y'] as const;
