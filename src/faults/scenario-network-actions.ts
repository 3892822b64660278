/**
 * Scenario actions on the network beyond partition and heal: the partition
 * shapes (`isolate`, `bridge`, `partitionOneWay`) and clogs (`clog`,
 * `unclog`). Each calls the SimControl method of the same name, which traces
 * the step with `"by":"script"` so replay re-applies it.
 */
import type { ClogRequest } from '../sim/network-control.ts';
import type { ClogDirection, JsonValue, NodeId } from '../trace/events.ts';
import { checkFields, checkNodeId, checkNodeList, defineAction, isNodeId, showValue, type ScenarioAction } from './scenario-args.ts';

/** What a clog step names: a node (both directions), a node and a direction, or one directed link. */
export type ClogArgs = NodeId | { node: NodeId; direction?: ClogDirection } | { from: NodeId; to: NodeId };

const DIRECTIONS: readonly string[] = ['inbound', 'outbound', 'both'];
const CLOG_EXAMPLE = '"server0", { "node": "server0", "direction": "inbound" } or { "from": "server0", "to": "server1" }';

/** Null for two sides of node ids; `shared`: whether they must share a node (a bridge) or may share none (a one-way cut). */
function checkSides(a: unknown, b: unknown, names: [string, string], shared: boolean): string | null {
  const problem = checkNodeList(a, names[0]) ?? checkNodeList(b, names[1]);
  if (problem !== null) return problem;
  const both = (b as NodeId[]).filter((id) => (a as NodeId[]).includes(id));
  if (shared && both.length === 0) return 'the two sides share no node (the bridge is the node named on both; without one, use partition)';
  if (!shared && both.length > 0) return `node "${both[0]}" is on both sides`;
  return null;
}

function checkClog(args: unknown): string | null {
  if (typeof args === 'string') return checkNodeId(args);
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return `expects a node id, { "node": ..., "direction": ... } or { "from": ..., "to": ... }, got ${showValue(args)}`;
  }
  if ('from' in args) {
    const problem = checkFields(args, ['from', 'to'], [], '{ "from": "server0", "to": "server1" }');
    if (problem !== null) return problem;
    const link = args as { from: unknown; to: unknown };
    return isNodeId(link.from) && isNodeId(link.to) ? null : `"from" and "to" must be node ids, got ${showValue(args)}`;
  }
  const problem = checkFields(args, ['node'], ['direction'], CLOG_EXAMPLE);
  if (problem !== null) return problem;
  const target = args as { node: unknown; direction?: unknown };
  if (!isNodeId(target.node)) return `"node" must be a node id, got ${showValue(target.node)}`;
  if (target.direction !== undefined && !DIRECTIONS.includes(target.direction as string)) {
    return `"direction" must be one of ${DIRECTIONS.join(', ')}, got ${showValue(target.direction)}`;
  }
  return null;
}

const clogNodes = (args: ClogArgs): NodeId[] => (typeof args === 'string' ? [args] : 'node' in args ? [args.node] : [args.from, args.to]);
const clogRequest = (args: ClogArgs): ClogRequest => (typeof args === 'string' ? { node: args } : args);

/** The network actions, in the order the README's table lists them. */
export const NETWORK_ACTIONS: readonly ScenarioAction[] = [
  defineAction<NodeId>({
    name: 'isolate',
    example: '"isolate": "server0"',
    check: checkNodeId,
    nodes: (node) => [node],
    apply: (control, node) => control.isolate(node),
  }),
  defineAction<[NodeId[], NodeId[]]>({
    name: 'bridge',
    example: '"bridge": [["server0", "server1"], ["server1", "server2"]]',
    check: (args) =>
      Array.isArray(args) && args.length === 2
        ? checkSides(args[0], args[1], ['side A', 'side B'], true)
        : `expects two sides that share the bridge node, e.g. [["server0", "server1"], ["server1", "server2"]], got ${showValue(args)}`,
    nodes: ([a, b]) => [...a, ...b],
    apply: (control, [a, b]) => control.bridge(a, b),
  }),
  defineAction<{ from: NodeId[]; to: NodeId[] }>({
    name: 'partitionOneWay',
    example: '"partitionOneWay": { "from": ["server0"], "to": ["server1", "server2"] }',
    check: (args) => {
      const problem = checkFields(args, ['from', 'to'], [], '{ "from": ["server0"], "to": ["server1"] }');
      if (problem !== null) return problem;
      const sides = args as { from: unknown; to: unknown };
      return checkSides(sides.from, sides.to, ['"from"', '"to"'], false);
    },
    nodes: ({ from, to }) => [...from, ...to],
    apply: (control, { from, to }) => control.partitionOneWay(from, to),
  }),
  defineAction<ClogArgs>({
    name: 'clog',
    example: '"clog": { "node": "server0", "direction": "inbound" }',
    check: checkClog,
    nodes: clogNodes,
    apply: (control, args) => control.clog(clogRequest(args)),
  }),
  defineAction<ClogArgs>({
    name: 'unclog',
    example: '"unclog": { "node": "server0", "direction": "inbound" }',
    check: checkClog,
    nodes: clogNodes,
    apply: (control, args) => control.unclog(clogRequest(args)),
  }),
];

/** Arguments for a clog step from the builder's `clog(target, direction?)`: a node id alone stays a string. */
export function clogArgs(target: NodeId | ClogRequest, direction?: ClogDirection): JsonValue {
  if (typeof target === 'string') return direction === undefined ? target : { node: target, direction };
  // An object is passed on as given; the step's check says what is wrong with it.
  return target as unknown as JsonValue;
}
