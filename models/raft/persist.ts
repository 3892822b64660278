/**
 * Raft's persistent state on a server's disk: currentTerm and votedFor under
 * one key, the log one entry a key (so appending writes only the new entries)
 * and its length under another (so truncating is one write). Writes are
 * buffered until `ctx.storage.sync()`; the caller syncs before it answers,
 * because a crash loses whatever was not synced.
 */
import type { DurableStorage, NodeContext } from '../../src/index.ts';
import type { Entry, Msg, Timer } from './types.ts';

const HARD_STATE_KEY = 'hard';
const LOG_LENGTH_KEY = 'logLength';
const entryKey = (index: number): string => `entry${index}`;

/** What survives a crash: Figure 2's persistent state. */
export interface PersistentState {
  currentTerm: number;
  votedFor: string | null;
  log: Entry[];
}

/** Reads the persistent state back after a (re)start; an empty disk is term 0, no vote, an empty log. */
export function loadPersistent(storage: DurableStorage): PersistentState {
  const hard = storage.get<{ currentTerm: number; votedFor: string | null }>(HARD_STATE_KEY);
  const length = storage.get<number>(LOG_LENGTH_KEY) ?? 0;
  const log: Entry[] = [];
  for (let index = 1; index <= length; index++) log.push(storage.get<Entry>(entryKey(index)) as Entry);
  return { currentTerm: hard?.currentTerm ?? 0, votedFor: hard?.votedFor ?? null, log };
}

/** Buffers currentTerm and votedFor (durable only after a sync). */
export function writeTermAndVote(ctx: NodeContext<Msg, Timer>, currentTerm: number, votedFor: string | null): void {
  ctx.storage.put(HARD_STATE_KEY, { currentTerm, votedFor });
}

/**
 * Buffers the log from index `firstIndex` on: `entries` are the entries at
 * firstIndex, firstIndex + 1, ..., and the log ends after them (a shorter
 * length than before drops the tail: that is how a conflict truncates it).
 * Pass the entries themselves, not drafts of them.
 */
export function writeLogFrom(ctx: NodeContext<Msg, Timer>, firstIndex: number, entries: readonly Entry[]): void {
  entries.forEach((entry, i) => ctx.storage.put(entryKey(firstIndex + i), entry));
  ctx.storage.put(LOG_LENGTH_KEY, firstIndex + entries.length - 1);
}
