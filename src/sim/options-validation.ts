/**
 * Validation of a full option set, with one-line messages naming the option
 * path (`faults.crash.maxDown`, `network.links[2].lossRate`).
 */
import { InputError } from './errors.ts';
import { linkBehaviour } from '../network/link-behaviour.ts';
import { formatDuration } from './duration.ts';
import { validateClocks, validatePause } from './node-time-options.ts';
import type { LatencyDistribution, LinkBehaviour, SimOptions, SometimesScope } from './options.ts';
import { validateDiskOptions } from '../storage/disk-options.ts';
import { validateClogFault, validateNetworkFaults, validatePartitionShapes } from './network-options.ts';
import { show } from './show-value.ts';

/** Keys of a latency object. */
export const LATENCY_KEYS = ['minUs', 'maxUs', 'distribution'];
/** Keys of a link override. */
export const LINK_KEYS = ['from', 'to', 'latency', 'lossRate', 'duplicateRate'];

/** Throws unless `value` is a plain object. */
export function checkObject(value: unknown, where: string): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${where} must be an object, got ${show(value)}`);
  }
}

/** Throws for a key of `value` that is not in `known` (a typo must not silently mean nothing). */
export function checkKnownKeys(value: unknown, known: string[], where: string): void {
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
  nonNegativeInteger(o.settleUs, 'settleUs');
  if (o.settleUs > o.timeUs) {
    throw new InputError(
      `settleUs (--settle) is ${formatDuration(o.settleUs)}, longer than the time budget timeUs (--time) of ${formatDuration(o.timeUs)}; the liveness phase is the last part of the run`,
    );
  }
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
  validateNetworkFaults(o.network);
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
    validatePartitionShapes(partition.shapes);
  }
  validateClogFault(o.faults.clog);
  validatePause(o.faults.pause);
  validateClocks(o.clocks);
  if (!Array.isArray(o.bugs) || o.bugs.some((b) => typeof b !== 'string')) {
    throw new InputError(`bugs must be an array of bug-flag names, got ${show(o.bugs)}`);
  }
  if (o.nemeses !== undefined && (!Array.isArray(o.nemeses) || o.nemeses.some((n) => typeof n !== 'string'))) {
    throw new InputError(`nemeses must be an array of nemesis names, got ${show(o.nemeses)}`);
  }
  if (typeof o.checkMode !== 'boolean') throw new InputError(`checkMode must be true or false, got ${show(o.checkMode)}`);
  const scopes: SometimesScope[] = ['run', 'campaign'];
  if (!scopes.includes(o.sometimesScope)) {
    throw new InputError(`sometimesScope must be one of ${scopes.join(', ')}, got ${show(o.sometimesScope)}`);
  }
  validateDiskOptions(o.disk);
  if (o.nodes !== undefined) {
    checkObject(o.nodes, 'nodes');
    for (const [role, count] of Object.entries(o.nodes)) positiveInteger(count, `nodes.${role}`);
  }
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

/** Throws unless `value` is a non-negative safe integer. */
export function nonNegativeInteger(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InputError(`${where} must be a non-negative integer, got ${show(value)}`);
  }
}

/** Throws unless `value` is a positive safe integer. */
export function positiveInteger(value: unknown, where: string): void {
  nonNegativeInteger(value, where);
  if (value === 0) throw new InputError(`${where} must be at least 1`);
}

/** Throws unless `value` is a number in [0, 1]. */
export function probability(value: unknown, where: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InputError(`${where} must be a probability between 0 and 1, got ${show(value)}`);
  }
}
