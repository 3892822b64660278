/**
 * What a scenario step can do. Each action says what its JSON arguments look
 * like, which node ids they name (checked against the model before the run),
 * and which SimControl call carries it out. The fluent builder, the JSON
 * scenario file and the run all go through this table.
 *
 * To add an action (e.g. `clog`, `pause`, `skew`): append a `defineAction(...)`
 * to SCENARIO_ACTIONS whose `apply` calls the SimControl method that traces it
 * with `"by":"script"` (so replay re-applies it), then add a one-line method
 * to ScenarioBuilder (scenario.ts) that calls `this.step('<name>', args)`.
 */
import type { SimControl } from '../sim/simulation.ts';
import type { JsonValue, NodeId } from '../trace/events.ts';

/** One action a scenario step can take, with its arguments' types erased. */
export interface ScenarioAction {
  /** The step's key in a scenario file (`{ "at": "1s", "crash": "server1" }`) and the builder's method. */
  readonly name: string;
  /** What the arguments look like, shown when they are wrong: `"crash": "server0"`. */
  readonly example: string;
  /** What is wrong with `args`, or null when they are fine. */
  check(args: unknown): string | null;
  /** The node ids `args` name (the run refuses a step naming a node the model does not have). */
  nodes(args: JsonValue): readonly NodeId[];
  /** Carries the step out. */
  apply(control: SimControl, args: JsonValue): void;
}

/** The typed form of an action, for `defineAction`. */
export interface ActionSpec<Args extends JsonValue> {
  name: string;
  example: string;
  /** What is wrong with `args`, or null when they are `Args`. */
  check(args: unknown): string | null;
  nodes(args: Args): readonly NodeId[];
  apply(control: SimControl, args: Args): void;
}

/** An action whose `nodes` and `apply` get arguments that `check` accepted. */
export function defineAction<Args extends JsonValue>(spec: ActionSpec<Args>): ScenarioAction {
  return {
    name: spec.name,
    example: spec.example,
    check: (args) => spec.check(args),
    // Only called with arguments `check` accepted.
    nodes: (args) => spec.nodes(args as Args),
    apply: (control, args) => spec.apply(control, args as Args),
  };
}

/** A short JSON rendering of a wrong value, for messages. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkNodeId(args: unknown): string | null {
  return typeof args === 'string' && args.length > 0 ? null : `expects a node id (a non-empty string), got ${showValue(args)}`;
}

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
];

/** Names of every action, in table order. */
export function actionNames(): string[] {
  return SCENARIO_ACTIONS.map((action) => action.name);
}

/** The action named `name`, or undefined. */
export function findAction(name: string): ScenarioAction | undefined {
  return SCENARIO_ACTIONS.find((action) => action.name === name);
}
