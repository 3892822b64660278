/**
 * The `faultline run` flags of the "nodes and time" faults (pauses, clocks):
 * parsing them into options, the flags that re-create given options (for the
 * printed re-run command), and their part of the one-line option summary.
 */
import { formatDuration, parseDuration, parseDurationRange } from '../sim/duration.ts';
import { formatSignedDuration, parseSignedDurationRange } from '../sim/signed-duration.ts';
import { InputError } from '../sim/errors.ts';
import type { ClockOptionsInput, SimOptions, SimOptionsInput } from '../sim/options.ts';
import { MAX_DRIFT_PPM } from '../sim/node-time-options.ts';
import { parsePositiveInteger } from './flags.ts';

/** The flags as commander hands them over (`clocks`/`clockJumps` are false only for --no-clocks/--no-clock-jumps). */
export interface NodeTimeFlags {
  pauseEvery?: string;
  pauseFor?: string;
  maxPaused?: string;
  clockSkew?: string;
  clockDrift?: string;
  clockJumpEvery?: string;
  clockJump?: string;
  clocks?: boolean;
  clockJumps?: boolean;
}

/** Sets `options.faults.pause` and `options.clocks` from the flags (after --no-faults was applied). */
export function applyNodeTimeFlags(flags: NodeTimeFlags, options: SimOptionsInput): void {
  if (flags.pauseEvery !== undefined || flags.pauseFor !== undefined || flags.maxPaused !== undefined) {
    const pause: NonNullable<NonNullable<SimOptionsInput['faults']>['pause']> = {};
    if (flags.pauseEvery !== undefined) pause.meanIntervalUs = positiveDuration(flags.pauseEvery, '--pause-every');
    if (flags.pauseFor !== undefined) {
      const duration = parseDurationRange(flags.pauseFor, '--pause-for');
      if (duration.minUs < 1) throw new InputError(`--pause-for: "${flags.pauseFor}" must be at least 1us`);
      pause.duration = duration;
    }
    if (flags.maxPaused !== undefined) pause.maxPaused = parsePositiveInteger(flags.maxPaused, '--max-paused');
    options.faults = { ...options.faults, pause };
  }
  const given = (['clockSkew', 'clockDrift', 'clockJumpEvery', 'clockJump'] as const).filter((key) => flags[key] !== undefined);
  if (flags.clocks === false) {
    if (given.length > 0 || flags.clockJumps === false) {
      throw new InputError('--no-clocks cannot be combined with other --clock-* flags (every node reads true time with it)');
    }
    options.clocks = null;
    return;
  }
  if (given.length === 0 && flags.clockJumps !== false) return;
  const clocks: ClockOptionsInput = {};
  if (flags.clockSkew !== undefined) clocks.skewUs = parseSignedDurationRange(flags.clockSkew, '--clock-skew');
  if (flags.clockDrift !== undefined) clocks.driftPpm = parsePpmRange(flags.clockDrift, '--clock-drift');
  if (flags.clockJumps === false) {
    if (flags.clockJumpEvery !== undefined || flags.clockJump !== undefined) {
      throw new InputError('--no-clock-jumps cannot be combined with --clock-jump-every or --clock-jump');
    }
    clocks.jumps = null;
  } else if (flags.clockJumpEvery !== undefined || flags.clockJump !== undefined) {
    clocks.jumps = {};
    if (flags.clockJumpEvery !== undefined) clocks.jumps.meanIntervalUs = positiveDuration(flags.clockJumpEvery, '--clock-jump-every');
    if (flags.clockJump !== undefined) clocks.jumps.sizeUs = parseDurationRange(flags.clockJump, '--clock-jump');
  }
  options.clocks = clocks;
}

/** Parses `-200ppm..200ppm` (the `ppm` suffix optional; one value means min = max) into integer ppm. */
export function parsePpmRange(text: string, flag: string): { min: number; max: number } {
  const parts = text.split('..');
  if (parts.length > 2) throw new InputError(`${flag}: "${text}" is not a range; use MINppm..MAXppm, e.g. -200ppm..200ppm`);
  const parse = (part: string): number => {
    const match = /^([+-]?\d+)(ppm)?$/.exec(part.trim());
    if (match === null) throw new InputError(`${flag}: "${text}" is not a range of whole parts per million, e.g. -200ppm..200ppm`);
    // 0 + x: "-0ppm" must be 0, not -0.
    const ppm = 0 + Number(match[1]);
    if (Math.abs(ppm) > MAX_DRIFT_PPM) throw new InputError(`${flag}: "${text}" is beyond ±${MAX_DRIFT_PPM}ppm (a clock at half or one and a half times true speed)`);
    return ppm;
  };
  const min = parse(parts[0] ?? '');
  const max = parts.length === 2 ? parse(parts[1] ?? '') : min;
  if (max < min) throw new InputError(`${flag}: "${text}" has its maximum below its minimum`);
  return { min, max };
}

/**
 * Flags reproducing `options`' pauses and clocks on top of `baseline`.
 * `noFaults`: the flags already carry --no-faults (so a pause the baseline
 * has must be given again).
 */
export function nodeTimeRerunFlags(options: SimOptions, baseline: SimOptions, noFaults: boolean): string[] {
  const flags: string[] = [];
  const pause = options.faults.pause;
  if (pause !== null && (noFaults || !same(pause, baseline.faults.pause))) {
    flags.push(`--pause-every ${formatDuration(pause.meanIntervalUs)}`, `--pause-for ${range(pause.duration)}`, `--max-paused ${pause.maxPaused}`);
  }
  const clocks = options.clocks;
  if (clocks === null) {
    if (baseline.clocks !== null) flags.push('--no-clocks');
    return flags;
  }
  if (same(clocks, baseline.clocks)) return flags;
  flags.push(
    `--clock-skew ${formatSignedDuration(clocks.skewUs.minUs)}..${formatSignedDuration(clocks.skewUs.maxUs)}`,
    `--clock-drift ${clocks.driftPpm.min}ppm..${clocks.driftPpm.max}ppm`,
  );
  if (clocks.jumps !== null) {
    flags.push(`--clock-jump-every ${formatDuration(clocks.jumps.meanIntervalUs)}`, `--clock-jump ${range(clocks.jumps.sizeUs)}`);
  } else if (baseline.clocks?.jumps != null) {
    flags.push('--no-clock-jumps');
  }
  return flags;
}

/** The pause and clock parts of the one-line option summary (nothing when both are off). */
export function describeNodeTime(options: SimOptions): string[] {
  const parts: string[] = [];
  const pause = options.faults.pause;
  if (pause !== null) {
    parts.push(`pauses=every~${formatDuration(pause.meanIntervalUs)} for ${range(pause.duration)} max ${pause.maxPaused}`);
  }
  const clocks = options.clocks;
  if (clocks !== null) {
    const skew = `${formatSignedDuration(clocks.skewUs.minUs)}..${formatSignedDuration(clocks.skewUs.maxUs)}`;
    const jumps = clocks.jumps === null ? 'no jumps' : `jumps every~${formatDuration(clocks.jumps.meanIntervalUs)} of ${range(clocks.jumps.sizeUs)}`;
    parts.push(`clocks=skew ${skew} drift ${clocks.driftPpm.min}..${clocks.driftPpm.max}ppm ${jumps}`);
  }
  return parts;
}

function positiveDuration(text: string, flag: string): number {
  const micros = parseDuration(text, flag);
  if (micros < 1) throw new InputError(`${flag}: "${text}" must be at least 1us`);
  return micros;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const range = (r: { minUs: number; maxUs: number }): string => `${formatDuration(r.minUs)}..${formatDuration(r.maxUs)}`;
