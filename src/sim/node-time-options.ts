/**
 * Options of the "nodes and time" faults: random pauses (`faults.pause`) and
 * each node's own clock (`clocks`). Their shapes, defaults, how one layer of
 * them merges over another, and their validation (one-line messages naming
 * the option path). Both are off (null) by default: every node then runs
 * without pauses and reads true virtual time, exactly as without this file.
 */
import { InputError } from './errors.ts';
import { ms, sec } from './duration.ts';
import { checkKnownKeys, checkObject } from './options-validation.ts';

/** Random stop-the-world pauses (a long GC, a stalled VM): the node handles nothing until it resumes. */
export interface PauseFaultOptions {
  /** Mean virtual time between pauses (exponentially distributed). */
  meanIntervalUs: number;
  /** How long a pause lasts, drawn uniformly; at least 1 µs. */
  duration: { minUs: number; maxUs: number };
  /** At most this many nodes paused at once (by any cause). */
  maxPaused: number;
}

/** Random steps of a node's clock, forward or back (an NTP step, an operator setting the time). */
export interface ClockJumpOptions {
  /** Mean virtual time between jumps (exponentially distributed), over all nodes. */
  meanIntervalUs: number;
  /** Size of a jump, drawn uniformly; its direction is drawn 50/50. */
  sizeUs: { minUs: number; maxUs: number };
}

/** Each node's own clock: an offset and a rate drawn once per run, and random jumps. */
export interface ClockOptions {
  /** Each node's clock starts this far from true time (drawn per node, uniformly; may be negative). */
  skewUs: { minUs: number; maxUs: number };
  /** Each node's clock rate error in parts per million (drawn per node, an integer; -100 runs 0.01 % slow). */
  driftPpm: { min: number; max: number };
  /** Random clock jumps, or null for none. */
  jumps: ClockJumpOptions | null;
}

/** What users pass for `clocks`: any subset; null turns clocks (or jumps) off. */
export interface ClockOptionsInput {
  skewUs?: Partial<ClockOptions['skewUs']>;
  driftPpm?: Partial<ClockOptions['driftPpm']>;
  jumps?: Partial<ClockJumpOptions> | null;
}

/** What `faults: { pause: {} }` means. */
export const DEFAULT_PAUSE: PauseFaultOptions = {
  meanIntervalUs: sec(2),
  duration: { minUs: ms(100), maxUs: sec(1) },
  maxPaused: 1,
};

/** What `clocks: {}` means: clocks a little off and drifting, no jumps. */
export const DEFAULT_CLOCKS: ClockOptions = {
  skewUs: { minUs: -ms(50), maxUs: ms(50) },
  driftPpm: { min: -100, max: 100 },
  jumps: null,
};

/** What `clocks: { jumps: {} }` means. */
export const DEFAULT_CLOCK_JUMPS: ClockJumpOptions = {
  meanIntervalUs: sec(5),
  sizeUs: { minUs: ms(10), maxUs: sec(1) },
};

/** Largest clock offset or jump size: a day, so every clock reading stays a safe integer. */
export const MAX_CLOCK_OFFSET_US = 86_400_000_000;
/** Largest drift magnitude: a clock between half and one and a half times true speed. */
export const MAX_DRIFT_PPM = 500_000;

const PAUSE_KEYS = ['meanIntervalUs', 'duration', 'maxPaused'];
const CLOCK_KEYS = ['skewUs', 'driftPpm', 'jumps'];
const JUMP_KEYS = ['meanIntervalUs', 'sizeUs'];

/** `faults.pause` of one layer over `base`: absent keeps it, null turns pauses off, an object fills from `base` or the defaults. */
export function mergePause(base: PauseFaultOptions | null, input: Partial<PauseFaultOptions> | null | undefined): PauseFaultOptions | null {
  if (input === undefined) return base;
  if (input === null) return null;
  checkKnownKeys(input, PAUSE_KEYS, 'faults.pause');
  return { ...(base ?? DEFAULT_PAUSE), ...input };
}

/** `clocks` of one layer over `base`, the same way; `skewUs` and `driftPpm` merge field by field, `jumps` like a fault kind. */
export function mergeClocks(base: ClockOptions | null, input: ClockOptionsInput | null | undefined): ClockOptions | null {
  if (input === undefined) return base;
  if (input === null) return null;
  checkKnownKeys(input, CLOCK_KEYS, 'clocks');
  const from = base ?? DEFAULT_CLOCKS;
  let jumps = from.jumps;
  if (input.jumps === null) jumps = null;
  else if (input.jumps !== undefined) {
    checkKnownKeys(input.jumps, JUMP_KEYS, 'clocks.jumps');
    jumps = { ...(from.jumps ?? DEFAULT_CLOCK_JUMPS), ...input.jumps };
  }
  // A null or wrong nested value is kept as given, for validation to refuse by name.
  const skewUs = isObject(input.skewUs) ? { ...from.skewUs, ...input.skewUs } : input.skewUs === undefined ? from.skewUs : input.skewUs;
  const driftPpm = isObject(input.driftPpm) ? { ...from.driftPpm, ...input.driftPpm } : input.driftPpm === undefined ? from.driftPpm : input.driftPpm;
  return { skewUs: skewUs as ClockOptions['skewUs'], driftPpm: driftPpm as ClockOptions['driftPpm'], jumps };
}

/** Throws InputError for the first invalid field of `faults.pause`. */
export function validatePause(pause: PauseFaultOptions | null): void {
  if (pause === null) return;
  checkObject(pause, 'faults.pause');
  integerIn(pause.meanIntervalUs, 'faults.pause.meanIntervalUs', 1, Number.MAX_SAFE_INTEGER);
  checkKnownKeys(pause.duration, ['minUs', 'maxUs'], 'faults.pause.duration');
  integerIn(pause.duration.minUs, 'faults.pause.duration.minUs', 1, Number.MAX_SAFE_INTEGER);
  integerIn(pause.duration.maxUs, 'faults.pause.duration.maxUs', 1, Number.MAX_SAFE_INTEGER);
  ordered(pause.duration.minUs, pause.duration.maxUs, 'faults.pause.duration', 'minUs', 'maxUs');
  integerIn(pause.maxPaused, 'faults.pause.maxPaused', 1, Number.MAX_SAFE_INTEGER);
}

/** Throws InputError for the first invalid field of `clocks`. */
export function validateClocks(clocks: ClockOptions | null): void {
  if (clocks === null) return;
  checkObject(clocks, 'clocks');
  checkKnownKeys(clocks.skewUs, ['minUs', 'maxUs'], 'clocks.skewUs');
  integerIn(clocks.skewUs.minUs, 'clocks.skewUs.minUs', -MAX_CLOCK_OFFSET_US, MAX_CLOCK_OFFSET_US);
  integerIn(clocks.skewUs.maxUs, 'clocks.skewUs.maxUs', -MAX_CLOCK_OFFSET_US, MAX_CLOCK_OFFSET_US);
  ordered(clocks.skewUs.minUs, clocks.skewUs.maxUs, 'clocks.skewUs', 'minUs', 'maxUs');
  checkKnownKeys(clocks.driftPpm, ['min', 'max'], 'clocks.driftPpm');
  integerIn(clocks.driftPpm.min, 'clocks.driftPpm.min', -MAX_DRIFT_PPM, MAX_DRIFT_PPM);
  integerIn(clocks.driftPpm.max, 'clocks.driftPpm.max', -MAX_DRIFT_PPM, MAX_DRIFT_PPM);
  ordered(clocks.driftPpm.min, clocks.driftPpm.max, 'clocks.driftPpm', 'min', 'max');
  const jumps = clocks.jumps;
  if (jumps === null) return;
  checkObject(jumps, 'clocks.jumps');
  integerIn(jumps.meanIntervalUs, 'clocks.jumps.meanIntervalUs', 1, Number.MAX_SAFE_INTEGER);
  checkKnownKeys(jumps.sizeUs, ['minUs', 'maxUs'], 'clocks.jumps.sizeUs');
  integerIn(jumps.sizeUs.minUs, 'clocks.jumps.sizeUs.minUs', 0, MAX_CLOCK_OFFSET_US);
  integerIn(jumps.sizeUs.maxUs, 'clocks.jumps.sizeUs.maxUs', 0, MAX_CLOCK_OFFSET_US);
  ordered(jumps.sizeUs.minUs, jumps.sizeUs.maxUs, 'clocks.jumps.sizeUs', 'minUs', 'maxUs');
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerIn(value: unknown, where: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new InputError(`${where} must be an integer ${bounds}, got ${show(value)}`);
  }
}

function ordered(min: number, max: number, where: string, minName: string, maxName: string): void {
  if (max < min) throw new InputError(`${where}: ${maxName} (${max}) is below ${minName} (${min})`);
}

function show(value: unknown): string {
  const text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
