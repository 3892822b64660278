/**
 * A node's simulated disk as a key-value store. Writes go to a buffer (the page
 * cache) and become durable only on `sync()`; a crash throws the buffer away
 * (or, with torn crash loss, keeps part of it). Reads see buffered writes, as
 * reads through a page cache do. Disk faults (src/storage/disk-faults.ts) are
 * asked on every read, put, delete and crash.
 */
import type { JsonValue } from '../trace/events.ts';
import { NO_DISK_FAULTS, type DiskFaultPort } from './disk-faults.ts';

const DELETED = Symbol('deleted');

/** What a node model sees of its disk. Values must be plain JSON data. */
export interface DurableStorage {
  /** The value stored under `key` (synced or not), or undefined. */
  get<V extends JsonValue = JsonValue>(key: string): V | undefined;
  /**
   * Buffers a write; it survives a crash only after `sync()`.
   * @throws DiskFullError when the disk has no room (nothing is written).
   */
  put(key: string, value: JsonValue): void;
  /** Buffers a delete; it survives a crash only after `sync()`. */
  delete(key: string): void;
  /** Makes every buffered write durable. */
  sync(): void;
  /** Keys present (synced or buffered), sorted so iteration order is fixed. */
  keys(): string[];
}

/** The simulator's side of one node's disk. */
export class DurableStore implements DurableStorage {
  private readonly synced = new Map<string, JsonValue>();
  private readonly pending = new Map<string, JsonValue | typeof DELETED>();
  /** Keys whose unsynced write the last crash kept, sorted (null: that crash lost them all, or no crash yet). */
  lastCrashSurvivors: readonly string[] | null = null;

  constructor(
    /** Called on every stored value before it is kept; returns the sealed (validated, frozen) value. */
    private readonly accept: (key: string, value: JsonValue) => JsonValue,
    /** Called before a delete or sync: the node may only touch its disk inside its own handler. */
    private readonly touch: (call: 'storage.delete' | 'storage.sync') => void = () => undefined,
    /** This disk's faults (none by default). */
    private readonly faults: DiskFaultPort = NO_DISK_FAULTS,
  ) {}

  get<V extends JsonValue = JsonValue>(key: string): V | undefined {
    const buffered = this.pending.get(key);
    if (buffered === DELETED) return undefined;
    const value = buffered ?? this.synced.get(key);
    return (value === undefined ? undefined : this.faults.read(key, value)) as V | undefined;
  }

  put(key: string, value: JsonValue): void {
    const sealed = this.accept(key, value);
    this.faults.admit(key, sealed);
    this.pending.set(key, sealed);
  }

  delete(key: string): void {
    this.touch('storage.delete');
    this.faults.removed(key);
    this.pending.set(key, DELETED);
  }

  sync(): void {
    this.touch('storage.sync');
    for (const [key, value] of this.pending) {
      if (value === DELETED) this.synced.delete(key);
      else this.synced.set(key, value);
    }
    this.pending.clear();
  }

  keys(): string[] {
    const keys = new Set(this.synced.keys());
    for (const [key, value] of this.pending) {
      if (value === DELETED) keys.delete(key);
      else keys.add(key);
    }
    return [...keys].sort();
  }

  /**
   * The crash: buffered writes are lost (with torn crash loss, those the disk
   * faults pick reach the disk first; see `lastCrashSurvivors`). Returns how
   * many were lost.
   */
  crash(): number {
    const kept = this.faults.survivors(this.pending.keys());
    let lost = this.pending.size;
    if (kept !== null) {
      for (const key of kept) {
        const value = this.pending.get(key) as JsonValue | typeof DELETED;
        if (value === DELETED) this.synced.delete(key);
        else this.synced.set(key, value);
      }
      lost -= kept.size;
    }
    this.lastCrashSurvivors = kept === null ? null : [...kept].sort();
    this.pending.clear();
    this.faults.recovered(this.synced);
    return lost;
  }

  /** The durable contents (synced only), sorted by key. */
  snapshot(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const key of [...this.synced.keys()].sort()) out[key] = this.synced.get(key) as JsonValue;
    return out;
  }
}
