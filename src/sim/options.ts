/**
 * Simulation options: the full set (every field present, as written to a trace
 * header), the partial form users pass, the defaults, and how layers of them
 * (defaults, a model's defaults, the user's) resolve into one validated set.
 */
import { checkKnownKeys, LATENCY_KEYS, validateOptions } from './options-validation.ts';
import { sec, ms } from './duration.ts';
import { InputError } from './errors.ts';
import type { Scenario } from '../faults/scenario.ts';
import { DISK_DEFAULTS, DISK_KEYS, mergeDiskOptions, type DiskOptions } from '../storage/disk-options.ts';

export type { CrashLoss, DiskOptions } from '../storage/disk-options.ts';
import {
  ADVERSARY_KEYS,
  CAPACITY_KEYS,
  CLOG_KEYS,
  DEFAULT_ADVERSARY,
  DEFAULT_CAPACITY,
  DEFAULT_CLOG,
  type AdversaryOptions,
  type CapacityOptions,
  type ClogFaultOptions,
  type NetworkFaultFields,
  type PartitionShape,
} from './network-options.ts';
import { mergeClocks, mergePause, type ClockOptions, type ClockOptionsInput, type PauseFaultOptions } from './node-time-options.ts';

export type { ClockJumpOptions, ClockOptions, ClockOptionsInput, PauseFaultOptions } from './node-time-options.ts';

/** How a link's latency is drawn between `minUs` and `maxUs`. */
export type LatencyDistribution = 'uniform' | 'exponential' | 'normal';

/** Latency of a link, in integer microseconds. */
export interface LatencyOptions {
  minUs: number;
  maxUs: number;
  /**
   * uniform: every value in [min, max] equally likely. exponential: min plus an
   * exponential tail with mean (max-min)/4, capped at max (most messages fast, a
   * few slow). normal: centred between min and max, sd (max-min)/6, clamped.
   */
  distribution: LatencyDistribution;
}

/** Behaviour of one directed link (or the default for all links). */
export interface LinkBehaviour {
  latency: LatencyOptions;
  /** Probability in [0, 1] that a message is lost. */
  lossRate: number;
  /** Probability in [0, 1] that a message is delivered twice. */
  duplicateRate: number;
}

/** An override for the directed link `from` → `to`; latency fields may be given one by one. */
export interface LinkOverride {
  from: string;
  to: string;
  latency?: Partial<LatencyOptions>;
  lossRate?: number;
  duplicateRate?: number;
}

/** The simulated network (the network-fault fields are described in network-options.ts). */
export interface NetworkOptions extends LinkBehaviour, NetworkFaultFields {
  /**
   * When true (the default) each message's latency is drawn on its own, so
   * messages on one link overtake each other. When false, links are FIFO.
   */
  reorder: boolean;
  /** Per-link overrides, applied in order (a later one wins). */
  links: LinkOverride[];
}

/** Random crash-and-restart faults. */
export interface CrashFaultOptions {
  /** Mean virtual time between crashes (exponentially distributed). */
  meanIntervalUs: number;
  /** How long a crashed node stays down, drawn uniformly. */
  downtime: { minUs: number; maxUs: number };
  /** At most this many nodes down at once. */
  maxDown: number;
}

/** Random network partitions of the given shapes. */
export interface PartitionFaultOptions {
  /** Mean virtual time between the heal of one partition and the start of the next. */
  meanIntervalUs: number;
  /** How long a partition lasts, drawn uniformly. */
  duration: { minUs: number; maxUs: number };
  /** The shapes a partition may take, one drawn per partition when there are several (default ['halves']). */
  shapes: PartitionShape[];
}

/** Random faults drawn from the `faults` stream; null turns a kind off. */
export interface FaultOptions {
  crash: CrashFaultOptions | null;
  partition: PartitionFaultOptions | null;
  /** Random swizzle-clogs (network-options.ts). */
  clog: ClogFaultOptions | null;
  /** Random stop-the-world pauses of nodes (see node-time-options.ts). */
  pause: PauseFaultOptions | null;
}

/**
 * Who judges a `sometimes` property: each run on its own ('run': a run that
 * never sees it fails), or a fuzz campaign across its seeds ('campaign': a run
 * only reports it).
 */
export type SometimesScope = 'run' | 'campaign';

/** Every option of a run. Written whole into the trace header. */
export interface SimOptions {
  /** Root seed: a non-negative safe integer. */
  seed: number;
  /** Virtual-time budget: the run stops before any event later than this. */
  timeUs: number;
  /** Scheduler-event budget: the run stops after this many steps. */
  maxEvents: number;
  /**
   * Length of the liveness phase at the end of the time budget (0: none). At
   * virtual time `timeUs - settleUs` random crashes and partitions stop, every
   * partition heals and every crashed node restarts; loss, duplication and
   * latency stay as configured. `eventually` properties are judged at the end.
   */
  settleUs: number;
  network: NetworkOptions;
  faults: FaultOptions;
  /** Each node's own clock (skew, drift, jumps); null: every node reads true time. */
  clocks: ClockOptions | null;
  /** Bug flags of the model to switch on. */
  bugs: string[];
  /** Nemeses of the model to switch on (see src/node/nemesis.ts); absent when none, so other headers do not change. */
  nemeses?: string[];
  /**
   * Checking mode: node states are deep-frozen after every handler (immer
   * autoFreeze), so a model that mutates state outside a handler throws. Slower.
   */
  checkMode: boolean;
  /** Who judges `sometimes` properties (default 'run'). */
  sometimesScope: SometimesScope;
  /** Every node's disk: torn crash loss, read corruption, capacity (default: no disk faults). */
  disk: DiskOptions;
  /**
   * Node counts that replace the model's, by role (`{ peer: 10000 }`); absent
   * when no role is overridden, so the header of a run at the model's sizes
   * does not change. An unknown role is refused when the run is built.
   */
  nodes?: Record<string, number>;
}

/** What users pass: any subset; nested objects may be partial too. */
export interface SimOptionsInput {
  seed?: number;
  timeUs?: number;
  maxEvents?: number;
  settleUs?: number;
  network?: Partial<Omit<NetworkOptions, 'latency' | 'capacity' | 'adversary'>> & {
    latency?: Partial<LatencyOptions>;
    capacity?: Partial<CapacityOptions> | null;
    adversary?: Partial<AdversaryOptions> | null;
  };
  faults?: {
    crash?: Partial<CrashFaultOptions> | null;
    partition?: Partial<PartitionFaultOptions> | null;
    clog?: Partial<ClogFaultOptions> | null;
    pause?: Partial<PauseFaultOptions> | null;
  };
  clocks?: ClockOptionsInput | null;
  bugs?: string[];
  /** Names of the model's nemeses to switch on. */
  nemeses?: string[];
  checkMode?: boolean;
  sometimesScope?: SometimesScope;
  /**
   * A named fault profile (`calm`, `flaky`, `partitions`, `crashes`, `disk`, `clocks`, `hostile`, `chaos`):
   * the seed's swarm chooses which of its fault kinds are on and how hard; the
   * other options given here override those choices. See src/faults/plan.ts.
   */
  profile?: string;
  /** Scripted steps to apply (`scenario()` or a scenario file), traced with `"by":"script"`. */
  scenario?: Scenario;
  disk?: Partial<DiskOptions>;
  /** Node counts by role, replacing the model's (`{ peer: 10000 }`); layers merge role by role. */
  nodes?: Record<string, number>;
}

/** Defaults for every option. */
export const DEFAULT_OPTIONS: SimOptions = {
  seed: 0,
  timeUs: sec(10),
  maxEvents: 1_000_000,
  settleUs: 0,
  network: {
    latency: { minUs: ms(1), maxUs: ms(10), distribution: 'uniform' },
    lossRate: 0,
    duplicateRate: 0,
    reorder: true,
    links: [],
    capacity: null,
    corruptRate: 0,
    adversary: null,
    trackLoad: false,
  },
  faults: { crash: null, partition: null, clog: null, pause: null },
  clocks: null,
  bugs: [],
  checkMode: false,
  sometimesScope: 'run',
  disk: { ...DISK_DEFAULTS },
};

const DEFAULT_CRASH: CrashFaultOptions = {
  meanIntervalUs: sec(2),
  downtime: { minUs: ms(100), maxUs: sec(1) },
  maxDown: 1,
};

const DEFAULT_PARTITION: PartitionFaultOptions = {
  meanIntervalUs: sec(2),
  duration: { minUs: ms(200), maxUs: sec(2) },
  shapes: ['halves'],
};

/**
 * Fills `input` over `base` (model defaults over global defaults, then the
 * user's options) and validates the result. Throws InputError naming the path.
 */
export function resolveOptions(...layers: (SimOptionsInput | undefined)[]): SimOptions {
  let options: SimOptions = structuredClone(DEFAULT_OPTIONS);
  for (const layer of layers) if (layer !== undefined) options = mergeLayer(options, layer);
  validateOptions(options);
  return options;
}


function mergeLayer(base: SimOptions, input: SimOptionsInput): SimOptions {
  if (typeof input === 'object' && input !== null && (input.profile !== undefined || input.scenario !== undefined)) {
    throw new InputError('options: "profile" and "scenario" are resolved by new Simulation() or resolvePlan(), not resolveOptions()');
  }
  checkKnownKeys(input, ['seed', 'timeUs', 'maxEvents', 'settleUs', 'network', 'faults', 'bugs', 'nemeses', 'checkMode', 'sometimesScope', 'disk', 'clocks', 'nodes'], 'options');
  if (input.disk !== undefined) checkKnownKeys(input.disk, DISK_KEYS, 'disk');
  // Only an absent (undefined) option falls back; null or any other wrong value reaches validation and is refused.
  const network = input.network === undefined ? {} : input.network;
  checkKnownKeys(network, ['latency', 'lossRate', 'duplicateRate', 'reorder', 'links', 'capacity', 'corruptRate', 'adversary', 'trackLoad'], 'network');
  if (network.latency !== undefined) checkKnownKeys(network.latency, LATENCY_KEYS, 'network.latency');
  if (network.capacity != null) checkKnownKeys(network.capacity, CAPACITY_KEYS, 'network.capacity');
  if (network.adversary != null) checkKnownKeys(network.adversary, ADVERSARY_KEYS, 'network.adversary');
  const faults = input.faults === undefined ? {} : input.faults;
  checkKnownKeys(faults, ['crash', 'partition', 'clog', 'pause'], 'faults');
  if (faults.crash != null) checkKnownKeys(faults.crash, ['meanIntervalUs', 'downtime', 'maxDown'], 'faults.crash');
  if (faults.partition != null) checkKnownKeys(faults.partition, ['meanIntervalUs', 'duration', 'shapes'], 'faults.partition');
  if (faults.clog != null) checkKnownKeys(faults.clog, CLOG_KEYS, 'faults.clog');
  return {
    seed: pick(input.seed, base.seed),
    timeUs: pick(input.timeUs, base.timeUs),
    maxEvents: pick(input.maxEvents, base.maxEvents),
    settleUs: pick(input.settleUs, base.settleUs),
    network: {
      latency: { ...base.network.latency, ...network.latency },
      lossRate: pick(network.lossRate, base.network.lossRate),
      duplicateRate: pick(network.duplicateRate, base.network.duplicateRate),
      reorder: pick(network.reorder, base.network.reorder),
      links: pick(network.links, base.network.links),
      capacity: mergeFault(base.network.capacity, network.capacity, DEFAULT_CAPACITY),
      corruptRate: pick(network.corruptRate, base.network.corruptRate),
      adversary: mergeFault(base.network.adversary, network.adversary, DEFAULT_ADVERSARY),
      trackLoad: pick(network.trackLoad, base.network.trackLoad),
    },
    faults: {
      crash: mergeFault(base.faults.crash, faults.crash, DEFAULT_CRASH),
      partition: mergeFault(base.faults.partition, faults.partition, DEFAULT_PARTITION),
      clog: mergeFault(base.faults.clog, faults.clog, DEFAULT_CLOG),
      pause: mergePause(base.faults.pause, faults.pause),
    },
    clocks: mergeClocks(base.clocks, input.clocks),
    bugs: pick(input.bugs, base.bugs),
    checkMode: pick(input.checkMode, base.checkMode),
    sometimesScope: pick(input.sometimesScope, base.sometimesScope),
    disk: mergeDiskOptions(base.disk, input.disk),
    ...mergeNodes(base.nodes, input.nodes),
    ...mergeNemeses(base.nemeses, input.nemeses),
  };
}

/** Role counts of `input` over those of `base`; no key at all when neither has any. */
function mergeNodes(base: Record<string, number> | undefined, input: Record<string, number> | undefined): { nodes?: Record<string, number> } {
  if (input === undefined) return base === undefined ? {} : { nodes: { ...base } };
  // A wrong value (null, an array) reaches validation as it is and is refused there.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { nodes: input };
  return { nodes: { ...base, ...input } };
}

/** The nemeses of `input`, else of `base`; no key at all when the list is empty (a wrong value reaches validation). */
function mergeNemeses(base: string[] | undefined, input: string[] | undefined): { nemeses?: string[] } {
  const chosen = input === undefined ? base : input;
  return chosen === undefined || (Array.isArray(chosen) && chosen.length === 0) ? {} : { nemeses: chosen };
}

/** `value` unless it is absent; a null is kept (and refused by validation). */
function pick<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function mergeFault<T extends object>(base: T | null, input: Partial<T> | null | undefined, defaults: T): T | null {
  if (input === undefined) return base;
  if (input === null) return null;
  // A copy of the defaults: their nested parts (a shape list, a range) must not be shared with a result.
  return { ...(base ?? structuredClone(defaults)), ...input };
}

export { validateOptions } from './options-validation.ts';
