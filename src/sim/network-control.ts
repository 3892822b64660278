/**
 * Checking a test's scripted network steps (clogs, shaped partitions) and
 * turning their node ids into indices, with one-line InputErrors that name the
 * step and the node, before anything changes.
 */
import type { ClogDirection, NodeId } from '../trace/events.ts';
import type { ClogTarget } from '../trace/network-events.ts';
import { InputError } from './errors.ts';
import type { Topology } from './topology.ts';

/** What a scripted clog or unclog names: a node's traffic (direction default `both`), or one directed link. */
export type ClogRequest = { node: NodeId; direction?: ClogDirection } | { from: NodeId; to: NodeId };

const DIRECTIONS: readonly ClogDirection[] = ['inbound', 'outbound', 'both'];

/** The clog target a request names, by node index. */
export function resolveClog(topology: Topology, request: ClogRequest, where: 'clog' | 'unclog'): ClogTarget {
  if (typeof request !== 'object' || request === null) {
    throw new InputError(`${where}(): expected { node, direction? } or { from, to }, got ${JSON.stringify(request) ?? String(request)}`);
  }
  if ('node' in request) {
    const direction = request.direction ?? 'both';
    if (!DIRECTIONS.includes(direction)) {
      throw new InputError(`${where}(): direction must be one of ${DIRECTIONS.join(', ')}, got ${JSON.stringify(direction)}`);
    }
    return { node: topology.require(request.node, where), direction };
  }
  if ('from' in request && 'to' in request) {
    return { from: topology.require(request.from, where), to: topology.require(request.to, where) };
  }
  throw new InputError(`${where}(): expected { node, direction? } or { from, to }, got ${JSON.stringify(request)}`);
}

/**
 * Two sides of a shaped partition by node index. `shared`: whether a node may
 * be on both (a bridge must share at least one; a one-way cut none).
 */
export function resolveSides(topology: Topology, a: readonly NodeId[], b: readonly NodeId[], where: string, shared: boolean): [number[], number[]] {
  if (!Array.isArray(a) || !Array.isArray(b)) throw new InputError(`${where}(): both sides must be arrays of node ids`);
  const sideA = a.map((id) => topology.require(id, where));
  const sideB = b.map((id) => topology.require(id, where));
  const both = b.filter((id) => a.includes(id));
  if (shared && both.length === 0) throw new InputError(`${where}(): the two sides share no node (a partition without a bridge is partition())`);
  if (!shared && both.length > 0) throw new InputError(`${where}(): node "${both[0]}" is on both sides`);
  if (sideA.length === 0 || sideB.length === 0) throw new InputError(`${where}(): each side needs at least one node`);
  return [sideA, sideB];
}
