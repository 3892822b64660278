/**
 * The fault kinds the swarm can switch on: network loss, duplication,
 * reordering and latency spread, random crashes and partitions (here); the
 * partition shapes, swizzle-clogs, corruption and the adversary
 * (swarm-network-dimensions.ts); pauses, clocks, clock jumps, torn writes and
 * corrupt disk reads (swarm-node-dimensions.ts). Each says how to draw its
 * setting from a profile's range, which options switch it on at that setting,
 * and which switch it off.
 *
 * Left out on purpose: network capacity and disk capacity. Whether a bound
 * hurts depends on the model's load and data size, so no range fits every
 * model; give them as options (`--capacity-inbox`, `--disk-capacity`).
 *
 * To add a kind: write a `SwarmDimension` (its `off` must be what the
 * simulator does without it) and append it to SWARM_DIMENSIONS; then give it
 * a `swarmEntry` in the profiles that should use it (profiles.ts).
 */
import type { CrashFaultOptions, LatencyDistribution, LatencyOptions, PartitionFaultOptions } from '../sim/options.ts';
import { formatDuration, ms } from '../sim/duration.ts';
import type { SwarmDimension } from './swarm.ts';
import { drawDurationUs, drawProbability, quarterOf, span, type DurationRange, type ProbabilityRange } from './swarm-draws.ts';
import { adversaryDimension, clogDimension, corruptDimension, partitionShapesDimension } from './swarm-network-dimensions.ts';
import { clockDimension, clockJumpDimension, diskCorruptDimension, pauseDimension, tornWritesDimension } from './swarm-node-dimensions.ts';

export { drawDurationUs, type CountRange, type DurationRange, type ProbabilityRange } from './swarm-draws.ts';
export * from './swarm-network-dimensions.ts';
export * from './swarm-node-dimensions.ts';

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

/** Random partitions into two halves (the `faults:partition` plan); the partition-shapes kind widens the shapes. */
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
  partitionShapesDimension,
  clogDimension,
  corruptDimension,
  adversaryDimension,
  pauseDimension,
  clockDimension,
  clockJumpDimension,
  tornWritesDimension,
  diskCorruptDimension,
];
