/**
 * Swarm kinds for nodes, time and disks: stop-the-world pauses, each node's
 * clock (skew and drift), clock jumps (a refinement of the clock kind), torn
 * writes (a refinement of the crash kind) and corrupt disk reads. See
 * swarm-dimensions.ts for the list.
 */
import type { ClockJumpOptions, ClockOptions, PauseFaultOptions } from '../sim/node-time-options.ts';
import { formatDuration } from '../sim/duration.ts';
import type { SwarmDimension } from './swarm.ts';
import { drawDurationUs, drawLogInteger, drawProbability, quarterOf, span, type CountRange, type DurationRange, type ProbabilityRange } from './swarm-draws.ts';

/** How hard random pauses may be. */
export interface PauseRange {
  /** Mean gap between pauses, drawn log-uniformly. */
  meanIntervalUs: DurationRange;
  /** The longest pause, drawn log-uniformly; the shortest is a quarter of it. */
  durationMaxUs: DurationRange;
  /** Most nodes paused at once, drawn uniformly. */
  maxPaused: CountRange;
}

/** How far off the clocks may be: each run draws a bound of each, and each node its own value within ± that bound. */
export interface ClockRange {
  /** The bound on a node's skew, drawn log-uniformly; nodes get skews in -bound..bound. */
  skewMaxUs: DurationRange;
  /** The bound on a node's drift in ppm, drawn log-uniformly; nodes get drifts in -bound..bound. */
  driftMaxPpm: CountRange;
}

/** How hard random clock jumps may be. */
export interface ClockJumpRange {
  /** Mean gap between jumps (over all nodes), drawn log-uniformly. */
  meanIntervalUs: DurationRange;
  /** The largest jump, drawn log-uniformly; the smallest is a quarter of it; each jump goes forward or back. */
  sizeMaxUs: DurationRange;
}

/** What the clock kind chose: the ranges each node's skew and drift are drawn from. */
export type ClockSetting = Pick<ClockOptions, 'skewUs' | 'driftPpm'>;

/** Random stop-the-world pauses (the `faults:pause` plan). */
export const pauseDimension: SwarmDimension<PauseRange, PauseFaultOptions> = {
  kind: 'pause',
  draw: (random, range) => {
    const meanIntervalUs = Math.max(1, drawDurationUs(random, range.meanIntervalUs));
    const maxUs = Math.max(1, drawDurationUs(random, range.durationMaxUs));
    const maxPaused = random.between(range.maxPaused.min, range.maxPaused.max);
    return { meanIntervalUs, duration: { minUs: Math.min(maxUs, quarterOf(maxUs)), maxUs }, maxPaused };
  },
  on: (pause) => ({ faults: { pause } }),
  off: { faults: { pause: null } },
  describe: (p) => `pause every~${formatDuration(p.meanIntervalUs)} for ${span(p.duration)} max ${p.maxPaused}`,
};

/**
 * Each node's own clock: skew and drift drawn per node within the bounds this
 * kind drew. On, it also says "no jumps", which the clock-jump kind (listed
 * after it) replaces when it is on; off, every node reads true time.
 */
export const clockDimension: SwarmDimension<ClockRange, ClockSetting> = {
  kind: 'clock',
  draw: (random, range) => {
    const skew = drawDurationUs(random, range.skewMaxUs);
    const drift = drawLogInteger(random, range.driftMaxPpm);
    // 0 - x, not -x: a bound of 0 must not give -0 in the header.
    return { skewUs: { minUs: 0 - skew, maxUs: skew }, driftPpm: { min: 0 - drift, max: drift } };
  },
  on: (clock) => ({ clocks: { skewUs: clock.skewUs, driftPpm: clock.driftPpm, jumps: null } }),
  off: { clocks: null },
  describe: (c) => `clock skew ±${formatDuration(c.skewUs.maxUs)} drift ±${c.driftPpm.max}ppm`,
};

/**
 * Random clock jumps (the `faults:clock-jump` plan). A refinement of `clock`:
 * jumps step the clocks that kind switched on. Off, the clock kind's "no
 * jumps" (or no clocks at all) stands, so its off sets nothing.
 */
export const clockJumpDimension: SwarmDimension<ClockJumpRange, ClockJumpOptions> = {
  kind: 'clock-jump',
  refines: 'clock',
  draw: (random, range) => {
    const meanIntervalUs = Math.max(1, drawDurationUs(random, range.meanIntervalUs));
    const maxUs = drawDurationUs(random, range.sizeMaxUs);
    return { meanIntervalUs, sizeUs: { minUs: Math.min(maxUs, quarterOf(maxUs)), maxUs } };
  },
  on: (jumps) => ({ clocks: { jumps } }),
  off: {},
  describe: (j) => `clock-jump every~${formatDuration(j.meanIntervalUs)} by ${span(j.sizeUs)}`,
};

/**
 * A crash keeps a random subset of the unsynced writes (`disk.crashLoss`
 * 'torn'). A refinement of `crash`: without crashes it could not show.
 */
export const tornWritesDimension: SwarmDimension<null, boolean> = {
  kind: 'torn-writes',
  refines: 'crash',
  draw: () => true,
  on: () => ({ disk: { crashLoss: 'torn' } }),
  off: { disk: { crashLoss: 'all' } },
  describe: () => 'torn-writes',
};

/** Disk reads that return a value with one bit flipped, at a drawn rate. */
export const diskCorruptDimension: SwarmDimension<ProbabilityRange, number> = {
  kind: 'disk-corrupt',
  draw: drawProbability,
  on: (readCorruptRate) => ({ disk: { readCorruptRate } }),
  off: { disk: { readCorruptRate: 0 } },
  describe: (readCorruptRate) => `disk-corrupt ${readCorruptRate}`,
};
