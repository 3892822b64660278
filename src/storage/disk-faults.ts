/**
 * The faults of every node's disk in one run: torn crash loss, read
 * corruption, a capacity, and disks a test makes full. Each node's
 * DurableStore asks its NodeDisk (a DiskFaultPort) on every read, put, delete
 * and crash; with the options off and no disk made full, every answer is
 * "nothing happens", with no draw and no trace event, so such a run is exactly
 * a run without disk faults. Once the liveness phase begins they all stop
 * (disks made full get room again), but what was lost stays lost.
 */
import { RandomStream, StreamName } from '../random/stream.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { JsonValue, NodeId } from '../trace/events.ts';
import type { Acting } from '../sim/cluster-control.ts';
import { corruptValue } from './corrupt.ts';
import { DiskFullError } from './disk-full-error.ts';
import type { DiskOptions } from './disk-options.ts';

/** What a node's store asks of its disk's faults. */
export interface DiskFaultPort {
  /** A read of `key` found `value`; returns what the node gets (the value, or a corrupted copy). */
  read(key: string, value: JsonValue): JsonValue;
  /** Before a put of `value` (sealed) under `key`: throws DiskFullError, and nothing is written, when there is no room. */
  admit(key: string, value: JsonValue): void;
  /** `key` was deleted (its space is free). */
  removed(key: string): void;
  /** At a crash: which of the keys with unsynced writes reach the disk (null: none, the 'all' loss). */
  survivors(pendingKeys: Iterable<string>): Set<string> | null;
  /** After a crash: what the disk holds now. */
  recovered(contents: ReadonlyMap<string, JsonValue>): void;
}

/** A port with no faults, for a store used on its own. */
export const NO_DISK_FAULTS: DiskFaultPort = {
  read: (_key, value) => value,
  admit: () => undefined,
  removed: () => undefined,
  survivors: () => null,
  recovered: () => undefined,
};

/** Counts the run reports (fields of RunStats). */
export interface DiskStats {
  corruptReads: number;
  diskFullPuts: number;
}

/** Stream names of the disk faults: one per kind, so switching one on never shifts another's draws. */
export const DiskStream = {
  torn: `${StreamName.faults}:disk`,
  corrupt: `${StreamName.faults}:disk-corrupt`,
} as const;

/** Every node's disk faults in one run. */
export class DiskFaults {
  /** True once the liveness phase began: no more disk faults from the options. */
  settled = false;
  private readonly disks: NodeDisk[];
  /** The `faults:disk` stream, only with torn crash loss: a behaviour that is off never draws. */
  readonly tornRandom: RandomStream | null;
  /** The `faults:disk-corrupt` stream, only with a read corruption rate above 0. */
  readonly corruptRandom: RandomStream | null;

  constructor(
    readonly options: DiskOptions,
    seed: number,
    ids: readonly NodeId[],
    readonly recorder: Recorder,
    readonly stats: DiskStats,
    /** Virtual time now. */
    readonly clock: { readonly nowUs: number },
    /** Whose handler is running: only a node's own reads inside its handler are its I/O, and may be corrupted. */
    readonly acting: Readonly<Acting>,
  ) {
    this.tornRandom = options.crashLoss === 'torn' ? new RandomStream(seed, DiskStream.torn) : null;
    this.corruptRandom = options.readCorruptRate > 0 ? new RandomStream(seed, DiskStream.corrupt) : null;
    this.disks = ids.map((id, index) => new NodeDisk(this, index, id));
  }

  /** The port of node `index`'s store. */
  port(index: number): DiskFaultPort {
    return this.disks[index] as NodeDisk;
  }

  /**
   * Makes a disk full (every put throws DiskFullError) or gives it room again,
   * traced as a `disk-fault` `fill` or `free`. Asking for what already holds
   * does nothing and records nothing.
   */
  setFull(index: number, full: boolean, scripted: boolean): void {
    const disk = this.disks[index] as NodeDisk;
    if (disk.filled === full) return;
    disk.filled = full;
    this.recorder.diskFault(this.clock.nowUs, index, { fault: full ? 'fill' : 'free' }, scripted);
  }

  /** The liveness phase begins: the options' faults stop and every disk made full gets room again (in node order). */
  settle(): void {
    this.settled = true;
    for (const disk of this.disks) if (disk.filled) this.setFull(disk.index, false, false);
  }
}

/** One node's disk faults, and its space accounting when a capacity is set. */
class NodeDisk implements DiskFaultPort {
  /** Made full by a test. */
  filled = false;
  /** JSON length of each stored (visible) value; kept only with a capacity. */
  private readonly sizes: Map<string, number> | null;
  private usedBytes = 0;

  constructor(
    private readonly all: DiskFaults,
    readonly index: number,
    private readonly id: NodeId,
  ) {
    this.sizes = all.options.capacityBytes === null ? null : new Map();
  }

  read(key: string, value: JsonValue): JsonValue {
    const random = this.all.corruptRandom;
    const acting = this.all.acting;
    // A read from anywhere else (a test, a callback after the handler) is not the node's I/O: no fault, no draw.
    if (random === null || this.all.settled || !acting.inHandler || acting.node !== this.index) return value;
    if (!random.chance(this.all.options.readCorruptRate)) return value;
    const corruption = corruptValue(value, random);
    if (corruption === null) return value;
    this.all.stats.corruptReads++;
    const { path, bit } = corruption;
    this.all.recorder.diskFault(this.all.clock.nowUs, this.index, { fault: 'corrupt-read', key, path, bit }, false);
    return corruption.value;
  }

  admit(key: string, value: JsonValue): void {
    // Without a capacity nothing is measured, unless the put is about to be refused.
    if (!this.filled && this.sizes === null) return;
    const capacityBytes = this.all.options.capacityBytes;
    const bytes = JSON.stringify(value).length;
    const oldBytes = this.sizes?.get(key) ?? 0;
    const freeBytes = this.filled || capacityBytes === null ? 0 : Math.max(0, capacityBytes - this.usedBytes);
    // An overwrite gives back the old value's space first; in the liveness phase the capacity no longer applies.
    const overCapacity = capacityBytes !== null && !this.all.settled && this.usedBytes - oldBytes + bytes > capacityBytes;
    if (this.filled || overCapacity) {
      this.all.stats.diskFullPuts++;
      this.all.recorder.diskFault(this.all.clock.nowUs, this.index, { fault: 'full', key, bytes, freeBytes }, false);
      throw new DiskFullError(this.id, key, bytes, freeBytes, capacityBytes, this.filled);
    }
    if (this.sizes === null) return;
    this.usedBytes += bytes - oldBytes;
    this.sizes.set(key, bytes);
  }

  removed(key: string): void {
    if (this.sizes === null) return;
    this.usedBytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }

  survivors(pendingKeys: Iterable<string>): Set<string> | null {
    const random = this.all.tornRandom;
    if (random === null || this.all.settled) return null;
    const kept = new Set<string>();
    // One draw per key, in the order the store first buffered them (deterministic), even for a lone key.
    for (const key of pendingKeys) if (random.chance(0.5)) kept.add(key);
    return kept;
  }

  recovered(contents: ReadonlyMap<string, JsonValue>): void {
    if (this.sizes === null) return;
    this.sizes.clear();
    this.usedBytes = 0;
    for (const [key, value] of contents) {
      const bytes = JSON.stringify(value).length;
      this.sizes.set(key, bytes);
      this.usedBytes += bytes;
    }
  }
}
