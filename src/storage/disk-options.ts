/**
 * Options of the simulated disks (`options.disk`): what a crash does to
 * unsynced writes, read corruption, and a capacity. Off by default: a run that
 * does not ask for disk faults behaves exactly as one without this group.
 */
import { InputError } from '../sim/errors.ts';
import { show } from '../sim/show-value.ts';

/**
 * What a crash does to the writes buffered since the last sync. `all`: every
 * one is lost. `torn`: each key's buffered write independently reaches the
 * disk with probability 1/2 (drawn from the `faults:disk` stream), the way a
 * page cache and a drive's write cache write dirty blocks back out of order.
 */
export type CrashLoss = 'all' | 'torn';

/** The ways a crash can treat unsynced writes. */
export const CRASH_LOSSES: readonly CrashLoss[] = ['all', 'torn'];

/** Every node's disk. */
export interface DiskOptions {
  /** What a crash does to unsynced writes (default 'all'). */
  crashLoss: CrashLoss;
  /**
   * Probability in [0, 1] that a read (`storage.get` inside a handler) returns
   * the value with one bit flipped, drawn from the `faults:disk-corrupt`
   * stream; traced as a `disk-fault` event (`corrupt-read`). Default 0.
   */
  readCorruptRate: number;
  /**
   * Most bytes a node's disk holds, counted as the JSON length (UTF-16 code
   * units of `JSON.stringify`) of every stored value, keys not counted; a put
   * beyond it throws DiskFullError. null (the default): unlimited.
   */
  capacityBytes: number | null;
}

/** Keys of the `disk` group. */
export const DISK_KEYS = ['crashLoss', 'readCorruptRate', 'capacityBytes'];

/** The defaults: no disk faults. */
export const DISK_DEFAULTS: Readonly<DiskOptions> = Object.freeze({ crashLoss: 'all', readCorruptRate: 0, capacityBytes: null });

/** Whether any disk fault is switched on. */
export function diskFaultsOn(disk: DiskOptions): boolean {
  return disk.crashLoss !== 'all' || disk.readCorruptRate > 0 || disk.capacityBytes !== null;
}

/** `input` over `base`, field by field; only an absent field falls back (a null capacity is kept: unlimited). */
export function mergeDiskOptions(base: DiskOptions, input: Partial<DiskOptions> | undefined): DiskOptions {
  if (input === undefined) return { ...base };
  return {
    crashLoss: input.crashLoss === undefined ? base.crashLoss : input.crashLoss,
    readCorruptRate: input.readCorruptRate === undefined ? base.readCorruptRate : input.readCorruptRate,
    capacityBytes: input.capacityBytes === undefined ? base.capacityBytes : input.capacityBytes,
  };
}

/** Throws InputError naming the first invalid field of `disk`. */
export function validateDiskOptions(disk: unknown): void {
  if (typeof disk !== 'object' || disk === null || Array.isArray(disk)) throw new InputError(`disk must be an object, got ${show(disk)}`);
  const d = disk as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!DISK_KEYS.includes(key)) throw new InputError(`disk: unknown option "${key}" (known: ${DISK_KEYS.join(', ')})`);
  }
  if (!(CRASH_LOSSES as readonly unknown[]).includes(d['crashLoss'])) {
    throw new InputError(`disk.crashLoss must be one of ${CRASH_LOSSES.join(', ')}, got ${show(d['crashLoss'])}`);
  }
  const rate = d['readCorruptRate'];
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new InputError(`disk.readCorruptRate must be a probability between 0 and 1, got ${show(rate)}`);
  }
  const capacity = d['capacityBytes'];
  if (capacity !== null && (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 0)) {
    throw new InputError(`disk.capacityBytes must be null (unlimited) or a non-negative integer of bytes, got ${show(capacity)}`);
  }
}
