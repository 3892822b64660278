/**
 * The fault kinds the swarm can switch on today: network loss, duplication,
 * reordering and latency spread, random crashes, random partitions. Each says
 * how to draw its setting from a profile's range, which options switch it on
 * at that setting, and which switch it off.
 *
 * To add a kind: write a `SwarmDimension` here (its `off` must be what the
 * simulator does without it) and append it to SWARM_DIMENSIONS; then give it
 * a `swarmEntry` in the profiles that should use it (profiles.ts).
 */
import type { CrashFaultOptions, LatencyDistribution, LatencyOptions, PartitionFaultOptions } from '../sim/options.ts';
import { formatDuration, ms } from '../sim/duration.ts';
import type { RandomStream } from '../random/stream.ts';
import type { SwarmDimension } from './swarm.ts';

/** A range of probabilities, both ends included. */
export interface ProbabilityRange {
  min: number;
  max: number;
}

/** A range of durations in microseconds, both ends included. */
export interface DurationRange {
  minUs: number;
  maxUs: number;
}

/** How hard the latency dimension may be: the spread of its maximum and the distributions to pick from. */
export interface LatencyRange {
  /** Every message takes at least this long. */
  minUs: number;
  /** The maximum latency is drawn (log-uniformly) from this range. */
  maxUs: DurationRange;
  distributions: readonly LatencyDistribution[];
}

/** How hard random crashes may be. */
export interface CrashRange {
  /** Mean time between crashes, drawn log-uniformly. */
  meanIntervalUs: DurationRange;
  /** The longest downtime, drawn log-uniformly; the shortest is a quarter of it. */
  downtimeMaxUs: DurationRange;
  /** Most nodes down at once, drawn uniformly. */
  maxDown: { min: number; max: number };
}

/** How hard random partitions may be. */
export interface PartitionRange {
  /** Mean gap between partitions, drawn log-uniformly. */
  meanIntervalUs: DurationRange;
  /** The longest partition, drawn log-uniformly; the shortest is a quarter of it. */
  durationMaxUs: DurationRange;
}

/** The latency of a network that does nothing unusual: what a profile has when the latency kind is off. */
export const CALM_LATENCY: LatencyOptions = { minUs: ms(1), maxUs: ms(2), distribution: 'uniform' };

/** A probability drawn uniformly, kept to three decimals so the swarm line and header stay readable. */
function drawProbability(random: RandomStream, range: ProbabilityRange): number {
  return Math.round((range.min + random.next() * (range.max - range.min)) * 1000) / 1000;
}

/**
 * A duration drawn log-uniformly (as likely between 10 and 100 ms as between
 * 100 ms and 1 s), rounded to whole milliseconds when it is at least one.
 */
export function drawDurationUs(random: RandomStream, range: DurationRange): number {
  const low = Math.log(Math.max(1, range.minUs));
  const high = Math.log(Math.max(1, range.maxUs));
  const drawn = Math.exp(low + random.next() * (high - low));
  const rounded = drawn >= 1_000 ? Math.round(drawn / 1_000) * 1_000 : Math.round(drawn);
  return Math.min(range.maxUs, Math.max(range.minUs, rounded));
}

/** The shortest of a min..max pair whose maximum was drawn: a quarter of it, in whole ms when it is at least one. */
function quarterOf(maxUs: number): number {
  const quarter = maxUs / 4;
  return quarter >= 1_000 ? Math.round(quarter / 1_000) * 1_000 : Math.round(quarter);
}

const span = (r: DurationRange): string => `${formatDuration(r.minUs)}..${formatDuration(r.maxUs)}`;

/** Messages lost with a drawn probability. */
export const lossDimension: SwarmDimension<ProbabilityRange, number> = {
  kind: 'loss',
  draw: drawProbability,
  on: (lossRate) => ({ network: { lossRate } }),
  off: { network: { lossRate: 0 } },
  describe: (lossRate) => `loss ${lossRate}`,
};

/** Messages delivered twice with a drawn probability. */
export const duplicateDimension: SwarmDimension<ProbabilityRange, number> = {
  kind: 'duplicate',
  draw: drawProbability,
  on: (duplicateRate) => ({ network: { duplicateRate } }),
  off: { network: { duplicateRate: 0 } },
  describe: (duplicateRate) => `duplicate ${duplicateRate}`,
};

/** Messages on one link overtake each other (latency drawn per message); off, links are FIFO. */
export const reorderDimension: SwarmDimension<null, boolean> = {
  kind: 'reorder',
  draw: () => true,
  on: () => ({ network: { reorder: true } }),
  off: { network: { reorder: false } },
  describe: () => 'reorder',
};

/** A wide latency spread: a drawn maximum and distribution; off, the calm 1ms..2ms. */
export const latencyDimension: SwarmDimension<LatencyRange, LatencyOptions> = {
  kind: 'latency',
  draw: (random, range) => ({
    minUs: range.minUs,
    maxUs: Math.max(range.minUs, drawDurationUs(random, range.maxUs)),
    distribution: random.pick(range.distributions),
  }),
  on: (latency) => ({ network: { latency } }),
  off: { network: { latency: CALM_LATENCY } },
  describe: (latency) => `latency ${span(latency)} ${latency.distribution}`,
};

/** Random crashes with restarts (the `faults:crash` plan). */
export const crashDimension: SwarmDimension<CrashRange, CrashFaultOptions> = {
  kind: 'crash',
  draw: (random, range) => {
    const meanIntervalUs = Math.max(1, drawDurationUs(random, range.meanIntervalUs));
    const maxUs = drawDurationUs(random, range.downtimeMaxUs);
    const maxDown = random.between(range.maxDown.min, range.maxDown.max);
    return { meanIntervalUs, downtime: { minUs: quarterOf(maxUs), maxUs }, maxDown };
  },
  on: (crash) => ({ faults: { crash } }),
  off: { faults: { crash: null } },
  describe: (c) => `crash every~${formatDuration(c.meanIntervalUs)} down ${span(c.downtime)} max ${c.maxDown}`,
};

/** Random partitions into two halves (the `faults:partition` plan). */
export const partitionDimension: SwarmDimension<PartitionRange, PartitionFaultOptions> = {
  kind: 'partition',
  draw: (random, range) => {
    const meanIntervalUs = Math.max(1, drawDurationUs(random, range.meanIntervalUs));
    const maxUs = drawDurationUs(random, range.durationMaxUs);
    return { meanIntervalUs, duration: { minUs: quarterOf(maxUs), maxUs }, shapes: ['halves'] };
  },
  on: (partition) => ({ faults: { partition } }),
  off: { faults: { partition: null } },
  describe: (p) => `partition every~${formatDuration(p.meanIntervalUs)} for ${span(p.duration)}`,
};

/**
 * Every kind the swarm knows, in a fixed order. Each profile starts from all of
 * their `off` options, so a profile switches on only the kinds it lists.
 */
export const SWARM_DIMENSIONS: readonly Pick<SwarmDimension<unknown, unknown>, 'kind' | 'off'>[] = [
  lossDimension,
  duplicateDimension,
  reorderDimension,
  latencyDimension,
  crashDimension,
  partitionDimension,
];
