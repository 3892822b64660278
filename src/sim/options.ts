/**
 * Simulation options: the full set (every field present, as written to a trace
 * header), the partial form users pass, defaults, and validation with messages
 * that name the option path.
 */
import { InputError } from './errors.ts';
import { sec, ms } from './duration.ts';

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

/** The simulated network. */
export interface NetworkOptions extends LinkBehaviour {
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

/** Random network partitions into two halves. */
export interface PartitionFaultOptions {
  /** Mean virtual time between the heal of one partition and the start of the next. */
  meanIntervalUs: number;
  /** How long a partition lasts, drawn uniformly. */
  duration: { minUs: number; maxUs: number };
}

/** Random faults drawn from the `faults` stream; null turns a kind off. */
export interface FaultOptions {
  crash: CrashFaultOptions | null;
  partition: PartitionFaultOptions | null;
}

/** Every option of a run. Written whole into the trace header. */
export interface SimOptions {
  /** Root seed: a non-negative safe integer. */
  seed: number;
  /** Virtual-time budget: the run stops before any event later than this. */
  timeUs: number;
  /** Scheduler-event budget: the run stops after this many steps. */
  maxEvents: number;
  network: NetworkOptions;
  faults: FaultOptions;
  /** Bug flags of the model to switch on. */
  bugs: string[];
  /**
   * Checking mode: node states are deep-frozen after every handler (immer
   * autoFreeze), so a model that mutates state outside a handler throws. Slower.
   */
  checkMode: boolean;
}

/** What users pass: any subset; nested objects may be partial too. */
export interface SimOptionsInput {
  seed?: number;
  timeUs?: number;
  maxEvents?: number;
  network?: Partial<Omit<NetworkOptions, 'latency'>> & { latency?: Partial<LatencyOptions> };
  faults?: { crash?: Partial<CrashFaultOptions> | null; partition?: Partial<PartitionFaultOptions> | null };
  bugs?: string[];
  checkMode?: boolean;
}

/** Defaults for every option. */
export const DEFAULT_OPTIONS: SimOptions = {
  seed: 0,
  timeUs: sec(10),
  maxEvents: 1_000_000,
  network: {
    latency: { minUs: ms(1), maxUs: ms(10), distribution: 'uniform' },
    lossRate: 0,
    duplicateRate: 0,
    reorder: true,
    links: [],
  },
  faults: { crash: null, partition: null },
  bugs: [],
  checkMode: false,
};

const DEFAULT_CRASH: CrashFaultOptions = {
  meanIntervalUs: sec(2),
  downtime: { minUs: ms(100), maxUs: sec(1) },
  maxDown: 1,
};

const DEFAULT_PARTITION: PartitionFaultOptions = {
  meanIntervalUs: sec(2),
  duration: { minUs: ms(200), maxUs: sec(2) },
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

const LATENCY_KEYS = ['minUs', 'maxUs', 'distribution'];
const LINK_KEYS = ['from', 'to', 'latency', 'lossRate', 'duplicateRate'];

function mergeLayer(base: SimOptions, input: SimOptionsInput): SimOptions {
  checkKnownKeys(input, ['seed', 'timeUs', 'maxEvents', 'network', 'faults', 'bugs', 'checkMode'], 'options');
  // Only an absent (undefined) option falls back; null or any other wrong value reaches validation and is refused.
  const network = input.network === undefined ? {} : input.network;
  checkKnownKeys(network, ['latency', 'lossRate', 'duplicateRate', 'reorder', 'links'], 'network');
  if (network.latency !== undefined) checkKnownKeys(network.latency, LATENCY_KEYS, 'network.latency');
  const faults = input.faults === undefined ? {} : input.faults;
  checkKnownKeys(faults, ['crash', 'partition'], 'faults');
  if (faults.crash != null) checkKnownKeys(faults.crash, ['meanIntervalUs', 'downtime', 'maxDown'], 'faults.crash');
  if (faults.partition != null) checkKnownKeys(faults.partition, ['meanIntervalUs', 'duration'], 'faults.partition');
  return {
    seed: pick(input.seed, base.seed),
    timeUs: pick(input.timeUs, base.timeUs),
    maxEvents: pick(input.maxEvents, base.maxEvents),
    network: {
      latency: { ...base.network.latency, ...network.latency },
      lossRate: pick(network.lossRate, base.network.lossRate),
      duplicateRate: pick(network.duplicateRate, base.network.duplicateRate),
      reorder: pick(network.reorder, base.network.reorder),
      links: pick(network.links, base.network.links),
    },
    faults: {
      crash: mergeFault(base.faults.crash, faults.crash, DEFAULT_CRASH),
      partition: mergeFault(base.faults.partition, faults.partition, DEFAULT_PARTITION),
    },
    bugs: pick(input.bugs, base.bugs),
    checkMode: pick(input.checkMode, base.checkMode),
  };
}

/** `value` unless it is absent; a null is kept (and refused by validation). */
function pick<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function mergeFault<T extends object>(base: T | null, input: Partial<T> | null | undefined, defaults: T): T | null {
  if (input === undefined) return base;
  if (input === null) return null;
  return { ...(base ?? defaults), ...input };
}

function checkObject(value: unknown, where: string): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${where} must be an object, got ${show(value)}`);
  }
}

function checkKnownKeys(value: unknown, known: string[], where: string): void {
  checkObject(value, where);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new InputError(`${where}: unknown option "${key}" (known: ${known.join(', ')})`);
  }
}

/** Throws InputError for the first invalid option. */
export function validateOptions(o: SimOptions): void {
  checkObject(o, 'options');
  nonNegativeInteger(o.seed, 'seed');
  nonNegativeInteger(o.timeUs, 'timeUs');
  positiveInteger(o.maxEvents, 'maxEvents');
  checkObject(o.network, 'network');
  checkObject(o.network.latency, 'network.latency');
  validateLink(o.network, 'network');
  if (typeof o.network.reorder !== 'boolean') throw new InputError(`network.reorder must be true or false, got ${show(o.network.reorder)}`);
  if (!Array.isArray(o.network.links)) throw new InputError(`network.links must be an array, got ${show(o.network.links)}`);
  // Overrides of one link stack (a later one wins field by field), exactly as the network merges them:
  // validate what each link ends up with after every override, not each override alone.
  const merged = new Map<string, { behaviour: LinkBehaviour; indices: number[] }>();
  o.network.links.forEach((link, i) => {
    const where = `network.links[${i}]`;
    checkKnownKeys(link, LINK_KEYS, where);
    if (typeof link.from !== 'string' || typeof link.to !== 'string') {
      throw new InputError(`${where} needs string "from" and "to" node ids`);
    }
    if (link.latency !== undefined) checkKnownKeys(link.latency, LATENCY_KEYS, `${where}.latency`);
    const key = `${link.from}\u0000${link.to}`;
    const earlier = merged.get(key);
    const behaviour = linkBehaviour(earlier?.behaviour ?? o.network, link);
    try {
      validateLink(behaviour, where);
    } catch (error) {
      if (earlier === undefined || !(error instanceof InputError)) throw error;
      const before = earlier.indices.map((j) => `network.links[${j}]`).join(', ');
      throw new InputError(`${error.message}, once stacked on ${before} for the same link ${link.from} -> ${link.to}`);
    }
    merged.set(key, { behaviour, indices: [...(earlier?.indices ?? []), i] });
  });
  checkObject(o.faults, 'faults');
  const crash = o.faults.crash;
  if (crash !== null) {
    checkObject(crash, 'faults.crash');
    positiveInteger(crash.meanIntervalUs, 'faults.crash.meanIntervalUs');
    checkKnownKeys(crash.downtime, ['minUs', 'maxUs'], 'faults.crash.downtime');
    range(crash.downtime, 'faults.crash.downtime');
    positiveInteger(crash.maxDown, 'faults.crash.maxDown');
  }
  const partition = o.faults.partition;
  if (partition !== null) {
    checkObject(partition, 'faults.partition');
    positiveInteger(partition.meanIntervalUs, 'faults.partition.meanIntervalUs');
    checkKnownKeys(partition.duration, ['minUs', 'maxUs'], 'faults.partition.duration');
    range(partition.duration, 'faults.partition.duration');
  }
  if (!Array.isArray(o.bugs) || o.bugs.some((b) => typeof b !== 'string')) {
    throw new InputError(`bugs must be an array of bug-flag names, got ${show(o.bugs)}`);
  }
  if (typeof o.checkMode !== 'boolean') throw new InputError(`checkMode must be true or false, got ${show(o.checkMode)}`);
}

/** The behaviour of a link: `base` with the override's fields on top (latency field by field). */
export function linkBehaviour(base: LinkBehaviour, link: LinkOverride): LinkBehaviour {
  return {
    latency: { ...base.latency, ...link.latency },
    lossRate: link.lossRate ?? base.lossRate,
    duplicateRate: link.duplicateRate ?? base.duplicateRate,
  };
}

function validateLink(link: LinkBehaviour, where: string): void {
  range(link.latency, `${where}.latency`);
  const distributions: LatencyDistribution[] = ['uniform', 'exponential', 'normal'];
  if (!distributions.includes(link.latency.distribution)) {
    throw new InputError(`${where}.latency.distribution must be one of ${distributions.join(', ')}`);
  }
  probability(link.lossRate, `${where}.lossRate`);
  probability(link.duplicateRate, `${where}.duplicateRate`);
}

function range(value: { minUs: number; maxUs: number }, where: string): void {
  nonNegativeInteger(value.minUs, `${where}.minUs`);
  nonNegativeInteger(value.maxUs, `${where}.maxUs`);
  if (value.maxUs < value.minUs) throw new InputError(`${where}: maxUs (${value.maxUs}) is below minUs (${value.minUs})`);
}

function nonNegativeInteger(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InputError(`${where} must be a non-negative integer, got ${show(value)}`);
  }
}

function positiveInteger(value: unknown, where: string): void {
  nonNegativeInteger(value, where);
  if (value === 0) throw new InputError(`${where} must be at least 1`);
}

function probability(value: unknown, where: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InputError(`${where} must be a probability between 0 and 1, got ${show(value)}`);
  }
}

/** A wrong value for a one-line message: JSON when possible (not for a BigInt or a cycle), clipped. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value === 'bigint' ? `${value}n` : Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
