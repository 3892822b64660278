/**
 * Named fault profiles (`--profile`, option `profile`). A profile starts from
 * a calm network (no loss, no duplication, FIFO links, 1ms..2ms latency, no
 * crashes, partitions, clogs, corruption, adversary, pauses, clocks or disk
 * faults: every swarm kind off) and lists the kinds the swarm may switch on,
 * each with its chance and its range of how hard.
 *
 * To add a profile: append a `FaultProfile` to PROFILES. Only list a profile
 * whose kinds exist: a name that switches nothing on would lie to its user.
 */
import { ms, sec } from '../sim/duration.ts';
import { InputError } from '../sim/errors.ts';
import { checkProfileEntries, swarmEntry, type SwarmEntry } from './swarm.ts';
import {
  adversaryDimension,
  clockDimension,
  clockJumpDimension,
  clogDimension,
  corruptDimension,
  crashDimension,
  diskCorruptDimension,
  duplicateDimension,
  latencyDimension,
  lossDimension,
  partitionDimension,
  partitionShapesDimension,
  pauseDimension,
  reorderDimension,
  tornWritesDimension,
  type AdversaryRange,
  type ClockJumpRange,
  type ClockRange,
  type ClogRange,
  type CrashRange,
  type LatencyRange,
  type PartitionRange,
  type PartitionShapesRange,
  type PauseRange,
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
const PARTITION_SHAPES: PartitionShapesRange = { shapes: ['isolate', 'majority', 'asymmetric', 'bridge'] };
// Swizzles as FoundationDB runs them: a few nodes, clogged tens of ms apart, held up to a second.
const CLOG: ClogRange = {
  meanIntervalUs: { minUs: ms(200), maxUs: sec(3) },
  nodes: { min: 1, max: 3 },
  stepUs: { minUs: ms(5), maxUs: ms(100) },
  holdUs: { minUs: ms(50), maxUs: sec(1) },
};
// A rare bad frame up to one in twenty: a checksum catches each; a model without one fails.
const CORRUPT: ProbabilityRange = { min: 0.001, max: 0.05 };
const ADVERSARY: AdversaryRange = {
  forgeRate: { min: 0, max: 0.05 },
  replayRate: { min: 0, max: 0.05 },
  tamperRate: { min: 0, max: 0.05 },
};
// GC-like stalls: tens of ms to a second, about as often as a crash.
const PAUSE: PauseRange = {
  meanIntervalUs: { minUs: ms(200), maxUs: sec(3) },
  durationMaxUs: { minUs: ms(20), maxUs: sec(1) },
  maxPaused: { min: 1, max: 2 },
};
// From a well-synced clock (±1 ms, 10 ppm) to a bad VM clock (±500 ms, 1% fast or slow).
const CLOCK: ClockRange = { skewMaxUs: { minUs: ms(1), maxUs: ms(500) }, driftMaxPpm: { min: 10, max: 10_000 } };
// NTP steps and operators: up to two seconds either way, every half second to five seconds.
const CLOCK_JUMP: ClockJumpRange = {
  meanIntervalUs: { minUs: ms(500), maxUs: sec(5) },
  sizeMaxUs: { minUs: ms(10), maxUs: sec(2) },
};
const DISK_CORRUPT: ProbabilityRange = { min: 0.001, max: 0.05 };

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
  {
    name: 'partitions',
    description: 'random partitions (halves, and on some seeds other shapes too), on a calm network',
    entries: [swarmEntry(partitionDimension, 1, PARTITION), swarmEntry(partitionShapesDimension, 0.5, PARTITION_SHAPES)],
  },
  { name: 'crashes', description: 'random crashes and restarts, on a calm network', entries: [swarmEntry(crashDimension, 1, CRASH)] },
  {
    name: 'disk',
    description: 'random crashes, with torn writes and corrupt reads on some seeds, on a calm network',
    entries: [
      swarmEntry(crashDimension, 1, CRASH),
      swarmEntry(tornWritesDimension, 0.7, null),
      swarmEntry(diskCorruptDimension, 0.6, DISK_CORRUPT),
    ],
  },
  {
    name: 'clocks',
    description: 'clock skew and drift, clock jumps and stop-the-world pauses, each on for some seeds, on a calm network',
    entries: [
      swarmEntry(clockDimension, 0.8, CLOCK),
      swarmEntry(clockJumpDimension, 0.6, CLOCK_JUMP),
      swarmEntry(pauseDimension, 0.6, PAUSE),
    ],
  },
  {
    name: 'hostile',
    description: 'an adversary that forges, replays and tampers, and message corruption, on an otherwise calm network',
    entries: [swarmEntry(adversaryDimension, 0.8, ADVERSARY), swarmEntry(corruptDimension, 0.6, CORRUPT)],
  },
  {
    name: 'chaos',
    description: 'every fault kind, each on for some seeds',
    // The first six keep the chances they had before the others existed: a seed's choices for them stay as they were.
    entries: [
      swarmEntry(lossDimension, 0.5, LOSS),
      swarmEntry(duplicateDimension, 0.5, DUPLICATE),
      swarmEntry(reorderDimension, 0.5, null),
      swarmEntry(latencyDimension, 0.5, LATENCY),
      swarmEntry(crashDimension, 0.5, CRASH),
      swarmEntry(partitionDimension, 0.5, PARTITION),
      swarmEntry(partitionShapesDimension, 0.5, PARTITION_SHAPES),
      swarmEntry(clogDimension, 0.3, CLOG),
      swarmEntry(pauseDimension, 0.3, PAUSE),
      swarmEntry(clockDimension, 0.3, CLOCK),
      swarmEntry(clockJumpDimension, 0.5, CLOCK_JUMP),
      swarmEntry(corruptDimension, 0.15, CORRUPT),
      swarmEntry(adversaryDimension, 0.15, ADVERSARY),
      swarmEntry(tornWritesDimension, 0.5, null),
      swarmEntry(diskCorruptDimension, 0.3, DISK_CORRUPT),
    ],
  },
];

for (const profile of PROFILES) checkProfileEntries(profile.name, profile.entries);

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
