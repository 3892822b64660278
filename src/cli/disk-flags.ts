/**
 * The disk options on the command line of `faultline run`: the flags
 * (`--torn-writes`, `--disk-corrupt P`, `--disk-capacity BYTES`) into options,
 * options back into the flags that reproduce them (for the printed re-run
 * command), and a short description for reports.
 */
import { DISK_DEFAULTS, type DiskOptions } from '../storage/disk-options.ts';
import { parseNonNegativeInteger, parseProbability } from './flags.ts';

/** The disk flags of `faultline run`, as commander hands them over. */
export interface DiskFlags {
  tornWrites?: boolean;
  diskCorrupt?: string;
  diskCapacity?: string;
}

/**
 * The `disk` options the flags ask for. `faultsOff` (`--no-faults`) starts
 * from no disk faults rather than from the model's defaults; each flag then
 * sets its own field. Undefined when nothing is asked.
 */
export function diskOptionsFromFlags(flags: DiskFlags, faultsOff: boolean): Partial<DiskOptions> | undefined {
  const disk: Partial<DiskOptions> = faultsOff ? { ...DISK_DEFAULTS } : {};
  if (flags.tornWrites === true) disk.crashLoss = 'torn';
  if (flags.diskCorrupt !== undefined) disk.readCorruptRate = parseProbability(flags.diskCorrupt, '--disk-corrupt');
  if (flags.diskCapacity !== undefined) disk.capacityBytes = parseNonNegativeInteger(flags.diskCapacity, '--disk-capacity');
  return Object.keys(disk).length === 0 ? undefined : disk;
}

/**
 * Whether reaching `disk` from `baseline` needs `--no-faults`: no flag can
 * switch a model's torn crash loss or capacity back off.
 */
export function diskNeedsNoFaults(disk: DiskOptions, baseline: DiskOptions): boolean {
  return (disk.crashLoss === 'all' && baseline.crashLoss !== 'all') || (disk.capacityBytes === null && baseline.capacityBytes !== null);
}

/** Flags that turn `base` (the model's disk options, or none after `--no-faults`) into `disk`. */
export function diskFlagsFor(disk: DiskOptions, base: DiskOptions): string[] {
  const flags: string[] = [];
  if (disk.crashLoss === 'torn' && base.crashLoss !== 'torn') flags.push('--torn-writes');
  if (disk.readCorruptRate !== base.readCorruptRate) flags.push(`--disk-corrupt ${disk.readCorruptRate}`);
  if (disk.capacityBytes !== null && disk.capacityBytes !== base.capacityBytes) flags.push(`--disk-capacity ${disk.capacityBytes}`);
  return flags;
}

/** Words for a one-line option summary; none when no disk fault is on. */
export function describeDisk(disk: DiskOptions): string[] {
  const parts: string[] = [];
  if (disk.crashLoss !== 'all') parts.push(`crash-loss=${disk.crashLoss}`);
  if (disk.readCorruptRate > 0) parts.push(`disk-corrupt=${disk.readCorruptRate}`);
  if (disk.capacityBytes !== null) parts.push(`disk-capacity=${disk.capacityBytes}B`);
  return parts;
}
