/**
 * What a scenario step can do. Each action says what its JSON arguments look
 * like, which node ids they name (checked against the model before the run),
 * and which SimControl call carries it out. The fluent builder, the JSON
 * scenario file and the run all go through this table: crash, restart,
 * partition and heal here; the partition shapes and clogs in
 * scenario-network-actions.ts; pauses, clocks and full disks in
 * scenario-node-actions.ts.
 *
 * To add an action: append a `defineAction(...)` to one of those lists whose
 * `apply` calls the SimControl method that traces it with `"by":"script"` (so
 * replay re-applies it) and whose `check` refuses whatever that method would,
 * then add a one-line method to ScenarioBuilder (scenario.ts) that calls
 * `this.step('<name>', args)`, and a row to the README's step table.
 */
import type { NodeId } from '../trace/events.ts';
import { checkNodeId, defineAction, showValue, type ScenarioAction } from './scenario-args.ts';
import { NETWORK_ACTIONS } from './scenario-network-actions.ts';
import { NODE_ACTIONS } from './scenario-node-actions.ts';

export { defineAction, showValue, type ActionSpec, type ScenarioAction } from './scenario-args.ts';

function checkGroups(args: unknown): string | null {
  const expected = `expects a list of node groups, e.g. [["server0"], ["server1", "server2"]], got ${showValue(args)}`;
  if (!Array.isArray(args) || args.length === 0) return expected;
  const seen = new Set<string>();
  for (const group of args as unknown[]) {
    if (!Array.isArray(group) || group.length === 0) return expected;
    for (const id of group as unknown[]) {
      if (typeof id !== 'string' || id.length === 0) return expected;
      if (seen.has(id)) return `names node "${id}" in two groups`;
      seen.add(id);
    }
  }
  return null;
}

/** Every action a scenario step can take. */
export const SCENARIO_ACTIONS: readonly ScenarioAction[] = [
  defineAction<NodeId>({
    name: 'crash',
    example: '"crash": "server0"',
    check: checkNodeId,
    nodes: (node) => [node],
    apply: (control, node) => control.crash(node),
  }),
  defineAction<NodeId>({
    name: 'restart',
    example: '"restart": "server0"',
    check: checkNodeId,
    nodes: (node) => [node],
    apply: (control, node) => control.restart(node),
  }),
  defineAction<NodeId[][]>({
    name: 'partition',
    example: '"partition": [["server0"], ["server1", "server2"]]',
    check: checkGroups,
    nodes: (groups) => groups.flat(),
    apply: (control, groups) => control.partition(groups),
  }),
  defineAction<true>({
    name: 'heal',
    example: '"heal": true',
    check: (args) => (args === true ? null : `expects true, got ${showValue(args)}`),
    nodes: () => [],
    apply: (control) => control.heal(),
  }),
  ...NETWORK_ACTIONS,
  ...NODE_ACTIONS,
];

/** Names of every action, in table order. */
export function actionNames(): string[] {
  return SCENARIO_ACTIONS.map((action) => action.name);
}

/** The action named `name`, or undefined. */
export function findAction(name: string): ScenarioAction | undefined {
  return SCENARIO_ACTIONS.find((action) => action.name === name);
}
