/**
 * The pieces every scenario action is made of: the action's shape
 * (`ScenarioAction`, built with `defineAction`) and the checks of its JSON
 * arguments (node ids, sides, objects with known keys, durations), each
 * returning what is wrong in a few words, or null. The step's index and
 * action are added by the caller (scenario.ts), so every message is one line.
 */
import type { SimControl } from '../sim/simulation.ts';
import { parseDuration } from '../sim/duration.ts';
import { parseSignedDuration } from '../sim/signed-duration.ts';
import type { JsonValue, NodeId } from '../trace/events.ts';
import { show } from '../sim/show-value.ts';

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

/** A wrong argument for a one-line message (the shared `show`). */
export const showValue = show;

/** A duration in a step's arguments: integer microseconds, or a string as on the command line (`"200ms"`, `"-50ms"`; a bare number in a string is ms). */
export type ScenarioDuration = number | string;

export const isNodeId = (value: unknown): value is NodeId => typeof value === 'string' && value.length > 0;

/** Null for a node id; else what is wrong. */
export function checkNodeId(args: unknown): string | null {
  return isNodeId(args) ? null : `expects a node id (a non-empty string), got ${showValue(args)}`;
}

/** Null for a non-empty list of distinct node ids; else what is wrong (`what` names the list). */
export function checkNodeList(value: unknown, what: string): string | null {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isNodeId)) {
    return `${what} must be a non-empty list of node ids, got ${showValue(value)}`;
  }
  const twice = value.find((id, index) => value.indexOf(id) !== index);
  return twice === undefined ? null : `${what} names node "${twice}" twice`;
}

/**
 * Null when `value` is an object whose keys are all in `required` or
 * `optional` and has every `required` one; else what is wrong.
 */
export function checkFields(value: unknown, required: readonly string[], optional: readonly string[], example: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expects an object like ${example}, got ${showValue(value)}`;
  const known = [...required, ...optional];
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) return `unknown key "${unknown}" (known: ${known.join(', ')})`;
  const missing = required.find((key) => !(key in value));
  return missing === undefined ? null : `missing "${missing}"`;
}

/**
 * A step's duration in integer microseconds, or what is wrong with it.
 * `signed`: negative values are allowed (a skew, a jump back).
 */
export function readDuration(value: unknown, what: string, signed: boolean): number | string {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && (signed || value >= 0)) return value;
    return `"${what}" must be ${signed ? 'an' : 'a non-negative'} integer of microseconds or a duration string such as "${signed ? '-50ms' : '200ms'}", got ${showValue(value)}`;
  }
  if (typeof value !== 'string') return `"${what}" must be a duration such as "${signed ? '-50ms' : '200ms'}" or an integer of microseconds, got ${showValue(value)}`;
  try {
    return signed ? parseSignedDuration(value, `"${what}"`) : parseDuration(value, `"${what}"`);
  } catch (error) {
    return (error as Error).message;
  }
}

/** The duration `value` in microseconds; only for arguments a check accepted. */
export function durationUs(value: JsonValue | undefined, signed: boolean): number {
  const read = readDuration(value, 'duration', signed);
  // A step's arguments were checked when it was built or read; a string here is a bug.
  if (typeof read === 'string') throw new Error(`unchecked scenario duration: ${read}`);
  return read;
}
