/**
 * Options of the network faults of issue 3 (partition shapes, clogs, bounded
 * capacity, corruption, the adversary): their types, defaults and validation.
 * Every one is off by default, so a run that does not ask for them is the run
 * it was before they existed.
 */
import { InputError } from './errors.ts';
import { ms, sec } from './duration.ts';
import { checkKnownKeys, checkObject, nonNegativeInteger, positiveInteger, probability } from './options-validation.ts';
import { show } from './show-value.ts';

/**
 * How a random partition cuts the network (see README, "Network faults"):
 * `halves` two random groups; `isolate` one node cut off from all others;
 * `majority` a random minority of floor((n-1)/2) nodes cut off from the rest;
 * `asymmetric` two random groups where the first cannot reach the second but
 * the second still reaches the first; `bridge` two sides that share one node,
 * which reaches both.
 */
export type PartitionShape = 'halves' | 'isolate' | 'majority' | 'asymmetric' | 'bridge';

/** Every partition shape, in a fixed order (its index is the shape's code in the trace hash). */
export const PARTITION_SHAPES: readonly PartitionShape[] = ['halves', 'isolate', 'majority', 'asymmetric', 'bridge'];

/** What a full link or inbox does to one more message. */
export type OverflowPolicy = 'drop' | 'backpressure';

/**
 * Bounded network capacity. A message is in flight from its send until it is
 * delivered or dropped (a clog holding it keeps it in flight). Limits left out
 * are unbounded; at least one must be given.
 */
export interface CapacityOptions {
  /** Most messages in flight on one directed link. */
  linkInFlightMax?: number;
  /** Most messages in flight towards one node (its inbox). */
  inboxMax?: number;
  /** `drop`: one more message is dropped (reason `overflow`); `backpressure`: it waits at its sender until there is room. */
  overflow: OverflowPolicy;
}

/** A hostile network: probabilities per message sent (see README, "Network faults"). */
export interface AdversaryOptions {
  /** Probability that a message sent makes the adversary forge one: an old payload to some node, with a spoofed sender. */
  forgeRate: number;
  /** Probability that a message sent makes the adversary replay an old message (same sender, receiver and payload). */
  replayRate: number;
  /** Probability that a message sent has one field changed in flight. */
  tamperRate: number;
}

/** Random swizzle-clogs (FoundationDB's "swizzle"): clog a random subset one by one, unclog in another order. */
export interface ClogFaultOptions {
  /** Mean virtual time between the last unclog of one swizzle and the first clog of the next (exponential). */
  meanIntervalUs: number;
  /** How many nodes each swizzle clogs (at most the number of nodes). */
  nodes: number;
  /** Virtual time between one clog (or unclog) and the next. */
  stepUs: number;
  /** Virtual time between the last clog and the first unclog. */
  holdUs: number;
}

/** Capacity when switched on with nothing but a limit given. */
export const DEFAULT_CAPACITY: CapacityOptions = { overflow: 'drop' };
/** The adversary when switched on: every rate 0 until given. */
export const DEFAULT_ADVERSARY: AdversaryOptions = { forgeRate: 0, replayRate: 0, tamperRate: 0 };
/** Swizzle-clog defaults. */
export const DEFAULT_CLOG: ClogFaultOptions = { meanIntervalUs: sec(2), nodes: 2, stepUs: ms(100), holdUs: ms(500) };

/** Keys of `network.capacity`. */
export const CAPACITY_KEYS = ['linkInFlightMax', 'inboxMax', 'overflow'];
/** Keys of `network.adversary`. */
export const ADVERSARY_KEYS = ['forgeRate', 'replayRate', 'tamperRate'];
/** Keys of `faults.clog`. */
export const CLOG_KEYS = ['meanIntervalUs', 'nodes', 'stepUs', 'holdUs'];

/** The network-fault fields of a full `network` option. */
export interface NetworkFaultFields {
  capacity: CapacityOptions | null;
  corruptRate: number;
  adversary: AdversaryOptions | null;
  trackLoad: boolean;
}

/** Throws InputError for the first invalid network-fault option of `network`. */
export function validateNetworkFaults(network: NetworkFaultFields): void {
  const capacity = network.capacity;
  if (capacity !== null) {
    checkKnownKeys(capacity, CAPACITY_KEYS, 'network.capacity');
    if (capacity.linkInFlightMax !== undefined) positiveInteger(capacity.linkInFlightMax, 'network.capacity.linkInFlightMax');
    if (capacity.inboxMax !== undefined) positiveInteger(capacity.inboxMax, 'network.capacity.inboxMax');
    if (capacity.linkInFlightMax === undefined && capacity.inboxMax === undefined) {
      throw new InputError('network.capacity needs linkInFlightMax (--capacity-link) or inboxMax (--capacity-inbox), or both; null means unbounded');
    }
    const policies: OverflowPolicy[] = ['drop', 'backpressure'];
    if (!policies.includes(capacity.overflow)) {
      throw new InputError(`network.capacity.overflow must be one of ${policies.join(', ')}, got ${show(capacity.overflow)}`);
    }
  }
  probability(network.corruptRate, 'network.corruptRate');
  const adversary = network.adversary;
  if (adversary !== null) {
    checkKnownKeys(adversary, ADVERSARY_KEYS, 'network.adversary');
    for (const key of ['forgeRate', 'replayRate', 'tamperRate'] as const) probability(adversary[key], `network.adversary.${key}`);
  }
  if (typeof network.trackLoad !== 'boolean') throw new InputError(`network.trackLoad must be true or false, got ${show(network.trackLoad)}`);
}

/** Throws InputError unless `shapes` is a non-empty list of known shapes, naming the first unknown one. */
export function validatePartitionShapes(shapes: unknown, where = 'faults.partition.shapes'): void {
  if (!Array.isArray(shapes) || shapes.length === 0) {
    throw new InputError(`${where} must be a non-empty list of shapes (${PARTITION_SHAPES.join(', ')}), got ${show(shapes)}`);
  }
  for (const shape of shapes) {
    if (!(PARTITION_SHAPES as readonly unknown[]).includes(shape)) {
      throw new InputError(`${where}: unknown partition shape ${show(shape)} (known: ${PARTITION_SHAPES.join(', ')})`);
    }
  }
}

/** Throws InputError for the first invalid field of a swizzle-clog option. */
export function validateClogFault(clog: ClogFaultOptions | null): void {
  if (clog === null) return;
  checkObject(clog, 'faults.clog');
  checkKnownKeys(clog, CLOG_KEYS, 'faults.clog');
  positiveInteger(clog.meanIntervalUs, 'faults.clog.meanIntervalUs');
  positiveInteger(clog.nodes, 'faults.clog.nodes');
  nonNegativeInteger(clog.stepUs, 'faults.clog.stepUs');
  nonNegativeInteger(clog.holdUs, 'faults.clog.holdUs');
}
