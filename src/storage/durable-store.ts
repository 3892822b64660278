/**
 * A node's simulated disk as a key-value store. Writes go to a buffer (the page
 * cache) and become durable only on `sync()`; a crash throws the buffer away.
 * Reads see buffered writes, as reads through a page cache do.
 */
import type { JsonValue } from '../trace/events.ts';

const DELETED = Symbol('deleted');

/** What a node model sees of its disk. Values must be plain JSON data. */
export interface DurableStorage {
  /** The value stored under `key` (synced or not), or undefined. */
  get<V extends JsonValue = JsonValue>(key: string): V | undefined;
  /** Buffers a write; it survives a crash only after `sync()`. */
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

  constructor(
    /** Called on every stored value before it is kept; returns the sealed (validated, frozen) value. */
    private readonly accept: (key: string, value: JsonValue) => JsonValue,
    /** Called before a delete or sync: the node may only touch its disk inside its own handler. */
    private readonly touch: (call: 'storage.delete' | 'storage.sync') => void = () => undefined,
  ) {}

  get<V extends JsonValue = JsonValue>(key: string): V | undefined {
    const buffered = this.pending.get(key);
    if (buffered === DELETED) return undefined;
    return (buffered ?? this.synced.get(key)) as V | undefined;
  }

  put(key: string, value: JsonValue): void {
    this.pending.set(key, this.accept(key, value));
  }

  delete(key: string): void {
    this.touch('storage.delete');
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

  /** The crash: buffered writes are lost. Returns how many. */
  crash(): number {
    const lost = this.pending.size;
    this.pending.clear();
    return lost;
  }

  /** The durable contents (synced only), sorted by key. */
  snapshot(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const key of [...this.synced.keys()].sort()) out[key] = this.synced.get(key) as JsonValue;
    return out;
  }
}
