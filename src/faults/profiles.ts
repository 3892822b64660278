/**
 * Named fault profiles (`--profile`, option `profile`). A profile starts from
 * a calm network (no loss, no duplication, FIFO links, 1ms..2ms latency, no
 * crashes, no partitions: every swarm kind off) and lists the kinds the swarm
 * may switch on, each with its chance and its range of how hard.
 *
 * To add a profile: append a `FaultProfile` to PROFILES. Only list a profile
 * whose kinds exist: a name that switches nothing on would lie to its user.
 */
import { ms, sec } from '../sim/duration.ts';
import { InputError } from '../sim/errors.ts';
import { swarmEntry, type SwarmEntry } from './swarm.ts';
import {
  crashDimension,
  duplicateDimension,
  latencyDimension,
  lossDimension,
  partitionDimension,
  reorderDimension,
  type CrashRange,
  type LatencyRange,
  type PartitionRange,
  type ProbabilityRange,
} from './swarm-dimensions.ts';

/** A named fault plan: which kinds the swarm may switch on, how likely, how hard. */
export interface FaultProfile {
  readonly name: string;
  /** One line for `--help` and the README. */
  readonly description: string;
  /** The kinds, in the order they are drawn and shown. */
  readonly entries: readonly SwarmEntry[];
}

/**
 * The share of the time budget a profile gives to the liveness phase when
 * neither the model's defaults nor the user set `settleUs`: the last 20%.
 */
export const PROFILE_SETTLE_FRACTION = 0.2;

const LOSS: ProbabilityRange = { min: 0.01, max: 0.2 };
const DUPLICATE: ProbabilityRange = { min: 0.01, max: 0.1 };
const LATENCY: LatencyRange = {
  minUs: ms(1),
  maxUs: { minUs: ms(5), maxUs: ms(200) },
  distributions: ['uniform', 'exponential', 'normal'],
};
const CRASH: CrashRange = {
  meanIntervalUs: { minUs: ms(100), maxUs: sec(2) },
  downtimeMaxUs: { minUs: ms(50), maxUs: sec(1) },
  maxDown: { min: 1, max: 2 },
};
const PARTITION: PartitionRange = {
  meanIntervalUs: { minUs: ms(100), maxUs: sec(2) },
  durationMaxUs: { minUs: ms(100), maxUs: ms(1_500) },
};

/** Every profile, by name. */
export const PROFILES: readonly FaultProfile[] = [
  { name: 'calm', description: 'no faults: FIFO links, latency 1ms..2ms', entries: [] },
  {
    name: 'flaky',
    description: 'a bad network: loss, duplication, reordering and a wide latency spread, each on for some seeds',
    entries: [
      swarmEntry(lossDimension, 0.6, LOSS),
      swarmEntry(duplicateDimension, 0.5, DUPLICATE),
      swarmEntry(reorderDimension, 0.6, null),
      swarmEntry(latencyDimension, 0.6, LATENCY),
    ],
  },
  { name: 'partitions', description: 'random partitions into two halves, on a calm network', entries: [swarmEntry(partitionDimension, 1, PARTITION)] },
  { name: 'crashes', description: 'random crashes and restarts, on a calm network', entries: [swarmEntry(crashDimension, 1, CRASH)] },
  {
    name: 'chaos',
    description: 'every fault kind, each on for about half the seeds',
    entries: [
      swarmEntry(lossDimension, 0.5, LOSS),
      swarmEntry(duplicateDimension, 0.5, DUPLICATE),
      swarmEntry(reorderDimension, 0.5, null),
      swarmEntry(latencyDimension, 0.5, LATENCY),
      swarmEntry(crashDimension, 0.5, CRASH),
      swarmEntry(partitionDimension, 0.5, PARTITION),
    ],
  },
];

/** Names of every profile, in table order. */
export function profileNames(): string[] {
  return PROFILES.map((profile) => profile.name);
}

/** The profile named `name`; an InputError naming it and the known ones otherwise. `where` names the flag or option. */
export function findProfile(name: unknown, where: string): FaultProfile {
  const profile = typeof name === 'string' ? PROFILES.find((p) => p.name === name) : undefined;
  if (profile === undefined) {
    throw new InputError(`${where}: unknown profile ${JSON.stringify(name) ?? String(name)} (known: ${profileNames().join(', ')})`);
  }
  return profile;
}
