/**
 * Swarm kinds for the network faults of issue 3: partition shapes beyond
 * halves (a refinement of the partition kind), swizzle-clogs, message
 * corruption and the hostile network. See swarm-dimensions.ts for the list.
 */
import type { AdversaryOptions, ClogFaultOptions, PartitionShape } from '../sim/network-options.ts';
import { PARTITION_SHAPES } from '../sim/network-options.ts';
import { formatDuration } from '../sim/duration.ts';
import type { SwarmDimension } from './swarm.ts';
import { drawDurationUs, drawProbability, type CountRange, type DurationRange, type ProbabilityRange } from './swarm-draws.ts';

/** Which shapes besides `halves` the partition-shapes kind may add (each with chance 1/2, at least one). */
export interface PartitionShapesRange {
  shapes: readonly Exclude<PartitionShape, 'halves'>[];
}

/** How hard random swizzle-clogs may be. */
export interface ClogRange {
  /** Mean gap between swizzles, drawn log-uniformly. */
  meanIntervalUs: DurationRange;
  /** Nodes clogged per swizzle, drawn uniformly (at most every node of the model). */
  nodes: CountRange;
  /** Time between one clog (or unclog) and the next, drawn log-uniformly. */
  stepUs: DurationRange;
  /** Time between the last clog and the first unclog, drawn log-uniformly. */
  holdUs: DurationRange;
}

/** How hostile the adversary may be: a range for each of its rates, drawn one by one. */
export interface AdversaryRange {
  forgeRate: ProbabilityRange;
  replayRate: ProbabilityRange;
  tamperRate: ProbabilityRange;
}

/**
 * Random partitions take more shapes than halves: `halves` plus each shape of
 * the range with chance 1/2 (one picked when none came up), in the fixed shape
 * order. A refinement of `partition`: off (or on a seed whose partitions are
 * off) the partition kind's own `['halves']` stands, so its off sets nothing.
 */
export const partitionShapesDimension: SwarmDimension<PartitionShapesRange, PartitionShape[]> = {
  kind: 'partition-shapes',
  refines: 'partition',
  draw: (random, range) => {
    let extra = range.shapes.filter(() => random.chance(0.5));
    if (extra.length === 0 && range.shapes.length > 0) extra = [random.pick(range.shapes)];
    return PARTITION_SHAPES.filter((shape) => shape === 'halves' || (extra as readonly PartitionShape[]).includes(shape));
  },
  on: (shapes) => ({ faults: { partition: { shapes } } }),
  off: {},
  describe: (shapes) => `partition-shapes ${shapes.join(',')}`,
};

/** Random swizzle-clogs (the `faults:clog` plan). */
export const clogDimension: SwarmDimension<ClogRange, ClogFaultOptions> = {
  kind: 'clog',
  draw: (random, range) => ({
    meanIntervalUs: Math.max(1, drawDurationUs(random, range.meanIntervalUs)),
    nodes: random.between(range.nodes.min, range.nodes.max),
    stepUs: drawDurationUs(random, range.stepUs),
    holdUs: drawDurationUs(random, range.holdUs),
  }),
  on: (clog) => ({ faults: { clog } }),
  off: { faults: { clog: null } },
  describe: (c) => `clog every~${formatDuration(c.meanIntervalUs)} ${c.nodes} nodes step ${formatDuration(c.stepUs)} hold ${formatDuration(c.holdUs)}`,
};

/** Delivered messages with one field changed, at a drawn rate. */
export const corruptDimension: SwarmDimension<ProbabilityRange, number> = {
  kind: 'corrupt',
  draw: drawProbability,
  on: (corruptRate) => ({ network: { corruptRate } }),
  off: { network: { corruptRate: 0 } },
  describe: (corruptRate) => `corrupt ${corruptRate}`,
};

/** A hostile network that forges, replays and tampers, each at a drawn rate. */
export const adversaryDimension: SwarmDimension<AdversaryRange, AdversaryOptions> = {
  kind: 'adversary',
  draw: (random, range) => ({
    forgeRate: drawProbability(random, range.forgeRate),
    replayRate: drawProbability(random, range.replayRate),
    tamperRate: drawProbability(random, range.tamperRate),
  }),
  on: (adversary) => ({ network: { adversary } }),
  off: { network: { adversary: null } },
  describe: (a) => `adversary forge ${a.forgeRate} replay ${a.replayRate} tamper ${a.tamperRate}`,
};
