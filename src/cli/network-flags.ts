/**
 * The `faultline run` flags of the network faults (partition shapes,
 * swizzle-clogs, capacity, corruption, the adversary, load tracking): parsing
 * them into options, the flags that reproduce options, and the words the
 * report uses for them.
 */
import { parseDuration } from '../sim/duration.ts';
import { formatDuration } from '../sim/duration.ts';
import { InputError } from '../sim/errors.ts';
import { PARTITION_SHAPES, type OverflowPolicy, type PartitionShape } from '../sim/network-options.ts';
import type { SimOptions, SimOptionsInput } from '../sim/options.ts';
import type { NodeId, NodeLoad } from '../trace/events.ts';
import { parseChoice, parsePositiveInteger, parseProbability } from './flags.ts';

/** The network-fault flags of `faultline run`, as commander hands them over. */
export interface NetworkFaultFlags {
  partitionShapes?: string;
  clogEvery?: string;
  clogNodes?: string;
  clogStep?: string;
  clogHold?: string;
  capacityLink?: string;
  capacityInbox?: string;
  overflow?: string;
  corrupt?: string;
  forge?: string;
  replay?: string;
  tamper?: string;
  load?: boolean;
}

/** A comma-separated list of partition shapes; an unknown one is named. */
export function parsePartitionShapes(text: string, flag: string): PartitionShape[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new InputError(`${flag}: "${text}" is not a comma-separated list of shapes (${PARTITION_SHAPES.join(', ')})`);
  for (const name of names) {
    if (!(PARTITION_SHAPES as readonly string[]).includes(name)) {
      throw new InputError(`${flag}: unknown partition shape "${name}" (known: ${PARTITION_SHAPES.join(', ')})`);
    }
  }
  return names as PartitionShape[];
}

/** Adds what the network-fault flags ask for to `options` (whose `network` and `faults` exist). */
export function applyNetworkFaultFlags(flags: NetworkFaultFlags, options: SimOptionsInput): void {
  const network = (options.network ??= {});
  const faults = (options.faults ??= {});
  if (flags.partitionShapes !== undefined) {
    faults.partition = { ...(faults.partition ?? {}), shapes: parsePartitionShapes(flags.partitionShapes, '--partition-shapes') };
  }
  if ([flags.clogEvery, flags.clogNodes, flags.clogStep, flags.clogHold].some((flag) => flag !== undefined)) {
    const clog: NonNullable<NonNullable<SimOptionsInput['faults']>['clog']> = {};
    if (flags.clogEvery !== undefined) clog.meanIntervalUs = parseDuration(flags.clogEvery, '--clog-every');
    if (flags.clogNodes !== undefined) clog.nodes = parsePositiveInteger(flags.clogNodes, '--clog-nodes');
    if (flags.clogStep !== undefined) clog.stepUs = parseDuration(flags.clogStep, '--clog-step');
    if (flags.clogHold !== undefined) clog.holdUs = parseDuration(flags.clogHold, '--clog-hold');
    faults.clog = clog;
  }
  if (flags.capacityLink !== undefined || flags.capacityInbox !== undefined || flags.overflow !== undefined) {
    const capacity: NonNullable<NonNullable<SimOptionsInput['network']>['capacity']> = {};
    if (flags.capacityLink !== undefined) capacity.linkInFlightMax = parsePositiveInteger(flags.capacityLink, '--capacity-link');
    if (flags.capacityInbox !== undefined) capacity.inboxMax = parsePositiveInteger(flags.capacityInbox, '--capacity-inbox');
    if (flags.overflow !== undefined) {
      const policies: OverflowPolicy[] = ['drop', 'backpressure'];
      capacity.overflow = parseChoice(flags.overflow, policies, '--overflow');
    }
    network.capacity = capacity;
  }
  if (flags.corrupt !== undefined) network.corruptRate = parseProbability(flags.corrupt, '--corrupt');
  if (flags.forge !== undefined || flags.replay !== undefined || flags.tamper !== undefined) {
    const adversary: NonNullable<NonNullable<SimOptionsInput['network']>['adversary']> = {};
    if (flags.forge !== undefined) adversary.forgeRate = parseProbability(flags.forge, '--forge');
    if (flags.replay !== undefined) adversary.replayRate = parseProbability(flags.replay, '--replay');
    if (flags.tamper !== undefined) adversary.tamperRate = parseProbability(flags.tamper, '--tamper');
    network.adversary = adversary;
  }
  if (flags.load === true) network.trackLoad = true;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Flags reproducing the network-fault options of `options` on top of `baseline` (partition and clog: see `faultFlags`). */
export function networkFaultFlags(options: SimOptions, baseline: SimOptions): string[] {
  const flags: string[] = [];
  const net = options.network;
  const base = baseline.network;
  const capacity = net.capacity;
  if (capacity !== null && !same(capacity, base.capacity)) {
    if (capacity.linkInFlightMax !== undefined) flags.push(`--capacity-link ${capacity.linkInFlightMax}`);
    if (capacity.inboxMax !== undefined) flags.push(`--capacity-inbox ${capacity.inboxMax}`);
    flags.push(`--overflow ${capacity.overflow}`);
  }
  if (net.corruptRate !== base.corruptRate) flags.push(`--corrupt ${net.corruptRate}`);
  const adversary = net.adversary;
  if (adversary !== null && !same(adversary, base.adversary)) {
    flags.push(`--forge ${adversary.forgeRate}`, `--replay ${adversary.replayRate}`, `--tamper ${adversary.tamperRate}`);
  }
  if (net.trackLoad && !base.trackLoad) flags.push('--load');
  return flags;
}

/** The partition-shape flag, when the shapes differ from what the re-run would otherwise get. */
export function partitionShapeFlags(options: SimOptions, baseline: SimOptions): string[] {
  const shapes = options.faults.partition?.shapes;
  if (shapes === undefined || same(shapes, baseline.faults.partition?.shapes ?? ['halves'])) return [];
  return [`--partition-shapes ${shapes.join(',')}`];
}

/** Flags reproducing a swizzle-clog option. */
export function clogFlags(clog: NonNullable<SimOptions['faults']['clog']>): string[] {
  return [
    `--clog-every ${formatDuration(clog.meanIntervalUs)}`,
    `--clog-nodes ${clog.nodes}`,
    `--clog-step ${formatDuration(clog.stepUs)}`,
    `--clog-hold ${formatDuration(clog.holdUs)}`,
  ];
}

/** Words for the report's options line: only what is switched on. */
export function describeNetworkFaults(o: SimOptions): string[] {
  const parts: string[] = [];
  const shapes = o.faults.partition?.shapes;
  if (shapes !== undefined && !same(shapes, ['halves'])) parts.push(`shapes=${shapes.join(',')}`);
  const clog = o.faults.clog;
  if (clog !== null) {
    parts.push(`clogs=every~${formatDuration(clog.meanIntervalUs)} ${clog.nodes} node(s) step ${formatDuration(clog.stepUs)} hold ${formatDuration(clog.holdUs)}`);
  }
  const capacity = o.network.capacity;
  if (capacity !== null) {
    parts.push(`capacity=link ${capacity.linkInFlightMax ?? '∞'} inbox ${capacity.inboxMax ?? '∞'} ${capacity.overflow}`);
  }
  if (o.network.corruptRate > 0) parts.push(`corrupt=${o.network.corruptRate}`);
  const adversary = o.network.adversary;
  if (adversary !== null) parts.push(`adversary=forge ${adversary.forgeRate} replay ${adversary.replayRate} tamper ${adversary.tamperRate}`);
  if (o.network.trackLoad) parts.push('load');
  return parts;
}

/** The busiest nodes (most received plus dropped; ties by node order), for the report's `load` line. */
export function describeLoad(load: Record<NodeId, NodeLoad>, top = 3): string {
  const rows = Object.entries(load).map(([id, figures], index) => ({ id, figures, index }));
  rows.sort((a, b) => b.figures.received + b.figures.dropped - (a.figures.received + a.figures.dropped) || a.index - b.index);
  const shown = rows.slice(0, top).map(({ id, figures: f }) => {
    const waiting = f.waitingMax > 0 ? ` waiting max ${f.waitingMax}` : '';
    return `${id} sent ${f.sent} received ${f.received} dropped ${f.dropped} queue max ${f.queueDepthMax}${waiting}`;
  });
  const more = rows.length > top ? `; ${rows.length - top} more in --json` : '';
  return `busiest: ${shown.join('; ')}${more}`;
}
