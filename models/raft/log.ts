/**
 * A server's log as an immutable value: Raft's indices start at 1, and a
 * change (append, or replace a conflicting suffix) makes a new log. It is a
 * class on purpose: immer drafts plain objects and arrays, and drafting a
 * long log on every handler call (then walking it for changes) cost more than
 * the rest of a step; immer leaves a class instance as it is.
 */
import type { Entry } from './types.ts';

/** An immutable Raft log. */
export class RaftLog {
  /** The empty log. */
  static readonly EMPTY = new RaftLog([]);

  private constructor(private readonly entries: readonly Entry[]) {
    Object.freeze(entries);
    Object.freeze(this);
  }

  /** A log holding `entries` at indices 1, 2, .... */
  static of(entries: readonly Entry[]): RaftLog {
    return entries.length === 0 ? RaftLog.EMPTY : new RaftLog([...entries]);
  }

  /** Index of the last entry (0: empty). */
  get lastIndex(): number {
    return this.entries.length;
  }

  /** Term of the last entry (0: empty). */
  get lastTerm(): number {
    return this.entries.at(-1)?.term ?? 0;
  }

  /** Term of the entry at `index`: 0 at index 0 (the empty prefix), undefined past the end. */
  termAt(index: number): number | undefined {
    return index === 0 ? 0 : this.entries[index - 1]?.term;
  }

  /** The entry at `index`; asserts that it exists, since callers check the index against lastIndex first. */
  entryAt(index: number): Entry {
    const entry = this.entries[index - 1];
    if (entry === undefined) throw new Error(`raft: no log entry at index ${index} (last index ${this.lastIndex})`);
    return entry;
  }

  /** Up to `count` entries from index `fromIndex` on. */
  entriesFrom(fromIndex: number, count: number): Entry[] {
    return this.entries.slice(fromIndex - 1, fromIndex - 1 + count);
  }

  /** This log with `entries` appended. */
  append(entries: readonly Entry[]): RaftLog {
    return new RaftLog([...this.entries, ...entries]);
  }

  /** This log cut after `index - 1`, then `entries` at index, index + 1, .... */
  replaceFrom(index: number, entries: readonly Entry[]): RaftLog {
    return new RaftLog([...this.entries.slice(0, index - 1), ...entries]);
  }
}
