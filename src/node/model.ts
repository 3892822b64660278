/**
 * The node-model API: what a user writes. A model is a set of roles; each role
 * has a count and a node behaviour with handlers for start (also after a
 * restart), messages and timers. Handlers receive the node's state as an immer
 * draft: mutate it, or return a new state. Effects go through the context.
 */
import type { Draft } from 'immer';
import type { DurableStorage } from '../storage/durable-store.ts';
import type { RandomStream } from '../random/stream.ts';
import type { JsonValue, NodeId } from '../trace/events.ts';
import type { Property } from '../check/property.ts';
import type { HistoryChecker } from '../check/history-checker.ts';
import type { SimOptionsInput } from '../sim/options.ts';
import { ModelDefinitionError } from '../sim/errors.ts';
import { validateNemeses, type ErasedNemesis } from './nemesis.ts';

/** Identifies a pending timer, for `cancelTimer`. */
export type TimerId = number;

/** The client operation a node's process has in flight (see `ctx.invoke`). */
export interface InFlightOperation {
  /** The process that invoked it. */
  readonly process: number;
  /** Its input, as sealed when invoked. */
  readonly input: JsonValue;
  /** Virtual time of the invocation, microseconds. */
  readonly invokedAtUs: number;
}

/** Everything a handler may do to the world. M: message type, T: timer payload type. */
export interface NodeContext<M extends JsonValue, T extends JsonValue> {
  /** This node's id, e.g. `server1`. */
  readonly id: NodeId;
  /** This node's role, e.g. `server`. */
  readonly role: string;
  /** Every other node's id, in a fixed order (built on first use). */
  readonly peers: readonly NodeId[];
  /** Every node's id including this one, in a fixed order (shared, free to read; for large clusters). */
  readonly nodes: readonly NodeId[];
  /**
   * This node's clock now, in integer microseconds: true virtual time, unless
   * clocks are on (the `clocks` option or a test's skew/jump): then the node's
   * own clock, with its skew, drift and jumps (it may even read below 0).
   */
  readonly now: number;
  /** This node's own random stream (`node:<id>`). */
  readonly random: RandomStream;
  /** This node's disk. */
  readonly storage: DurableStorage;
  /** The ids of every node of a role (including this one if it has that role). */
  nodesOf(role: string): readonly NodeId[];
  /** Sends `msg` to `to` over the simulated network. The message is frozen from here on. */
  send(to: NodeId, msg: M): void;
  /** Sends `msg` to every peer. */
  broadcast(msg: M): void;
  /**
   * Fires `onTimer(payload)` after `delayUs` microseconds of this node's clock
   * (measured at its rate; a clock jump does not move it) unless cancelled or
   * the node crashes first. While the node is paused a due timer waits.
   */
  setTimer(delayUs: number, payload: T): TimerId;
  /** Cancels a pending timer; cancelling one that already fired is a no-op. */
  cancelTimer(timer: TimerId): void;
  /** Writes a line into the trace. */
  log(text: string, data?: JsonValue): void;
  /** Whether bug flag `flag` (declared in the model's `bugs`) is switched on for this run. */
  bug(flag: string): boolean;
  /**
   * This node's client process id (Jepsen's `:process`), for the run's history.
   * It starts as the node's index in `nodes`; after an `info` completion, or a
   * crash with an operation in flight, the node continues as a fresh process
   * (the next unused id, counting up from the number of nodes).
   */
  readonly process: number;
  /**
   * The operation this node's process has in flight, or null. Kept by the
   * simulator, not in the node's state; a crash ends it (as `info`), so after
   * a restart it is null.
   */
  readonly inFlight: InFlightOperation | null;
  /**
   * Starts a client operation: records an `invoke` with `input` (plain JSON
   * data, frozen from here on) for this node's process, in the trace and the
   * run's history. Returns the process id.
   * @throws ModelContractError when this process already has an operation in flight.
   */
  invoke(input: JsonValue): number;
  /**
   * Completes the operation in flight. `'ok'`: it happened, with `output`
   * (plain JSON data; none for an operation that returns nothing). `'fail'`: it
   * certainly did not happen. `'info'`: nobody knows (a timeout): the process
   * is retired and this node continues as a fresh one. A crash with an
   * operation in flight records `info` for it by itself.
   * @throws ModelContractError when no operation is in flight, or an output is given for fail or info.
   */
  complete(type: 'ok', output?: JsonValue): void;
  complete(type: 'fail' | 'info'): void;
}

/** One kind of node. S: its state; M: messages; T: timer payloads. */
export interface NodeBehaviour<S, M extends JsonValue, T extends JsonValue = never> {
  /** Builds the node's state at time 0 and again after every restart, from what is on its disk. */
  start(ctx: NodeContext<M, T>, storage: DurableStorage): S;
  /** Handles a delivered message. Mutate `state` or return a new state. */
  onMessage?(state: Draft<S>, from: NodeId, msg: M, ctx: NodeContext<M, T>): S | void;
  /** Handles a timer. Mutate `state` or return a new state. */
  onTimer?(state: Draft<S>, timer: T, ctx: NodeContext<M, T>): S | void;
}

/**
 * A node behaviour with its state type erased, so roles with different state
 * types can sit in one model. Any `NodeBehaviour<S, M, T>` is assignable to it.
 */
export interface ErasedNodeBehaviour<M extends JsonValue, T extends JsonValue> {
  start(ctx: NodeContext<M, T>, storage: DurableStorage): unknown;
  onMessage?(state: never, from: NodeId, msg: M, ctx: NodeContext<M, T>): unknown;
  onTimer?(state: never, timer: T, ctx: NodeContext<M, T>): unknown;
}

/** A role: how many nodes, and their behaviour. */
export interface RoleDefinition<M extends JsonValue, T extends JsonValue> {
  count: number;
  node: ErasedNodeBehaviour<M, T>;
  /** Whether random crash faults may pick nodes of this role (default true). */
  crashable?: boolean;
}

/** A protocol model: its roles, properties, bug flags and default options. */
export interface ModelDefinition<M extends JsonValue = JsonValue, T extends JsonValue = JsonValue> {
  /** Short name, e.g. `ping-pong`. */
  name: string;
  /** One line for `faultline models`. */
  description: string;
  /** Node roles; node ids are the role name plus an index (`server0`, `server1`, ...). */
  roles: Record<string, RoleDefinition<M, T>>;
  /** Properties checked during the run (always, eventually, sometimes). */
  properties?: Property[];
  /** Judges of the client history, run when the run ends (for example a linearizability checker). */
  checkers?: HistoryChecker[];
  /** Bug flags this model can switch on, each with a one-line description. */
  bugs?: Record<string, string>;
  /** Targeted fault setups a run can switch on by name (`nemeses` option, `--nemesis`); see src/node/nemesis.ts. */
  nemeses?: Record<string, ErasedNemesis>;
  /** Options this model runs with unless the user overrides them. */
  defaults?: SimOptionsInput;
}

/** Declares a node behaviour with its state, message and timer types checked at compile time. */
export function defineNode<S, M extends JsonValue, T extends JsonValue = never>(
  behaviour: NodeBehaviour<S, M, T>,
): NodeBehaviour<S, M, T> {
  return behaviour;
}

/** Declares a model; checks its shape now so mistakes surface before any run. */
export function defineModel<M extends JsonValue, T extends JsonValue = never>(
  model: ModelDefinition<M, T>,
): ModelDefinition<M, T> {
  validateModel(model);
  return model;
}

/** The `kind` of every property made by always, eventually and sometimes. */
const PROPERTY_KINDS: readonly string[] = ['always', 'eventually', 'sometimes'];

/** Letters, digits and dashes, starting with a letter and not ending in a digit (so `role + index` ids never clash). */
const ROLE_NAME = /^[a-z](?:[a-z0-9-]*[a-z-])?$/i;

/** A short, one-line description of a wrong value for an error message. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws ModelDefinitionError if `model` is not a usable model definition. */
export function validateModel(model: unknown): asserts model is ModelDefinition {
  if (!isPlainObject(model)) throw new ModelDefinitionError(`a model must be an object (use defineModel), got ${describeValue(model)}`);
  const m = model as Partial<Record<keyof ModelDefinition, unknown>>;
  if (typeof m.name !== 'string' || m.name === '') throw new ModelDefinitionError('a model needs a non-empty string "name"');
  const name = m.name.replace(/\s+/g, ' '); // messages stay on one line
  const fail = (message: string): never => {
    throw new ModelDefinitionError(`model ${name}: ${message}`);
  };
  if (typeof m.description !== 'string') fail(`"description" must be a string (one line for \`faultline models\`), got ${describeValue(m.description)}`);
  if (!isPlainObject(m.roles) || Object.keys(m.roles).length === 0) fail('"roles" must name at least one role');
  validateRoles(m.roles as Record<string, unknown>, fail);
  if (m.properties !== undefined) validateProperties(m.properties, fail);
  if (m.checkers !== undefined) validateCheckers(m.checkers, (m.properties ?? []) as { name: string }[], fail);
  if (m.bugs !== undefined) validateBugs(m.bugs, fail);
  if (m.nemeses !== undefined) validateNemeses(m.nemeses, fail);
  if (m.defaults !== undefined && !isPlainObject(m.defaults)) {
    fail(`"defaults" must be an object of options, got ${describeValue(m.defaults)}`);
  }
}

/** Throws a ModelDefinitionError with the model's name. */
type Fail = (message: string) => never;

/** Role names, counts and node behaviours. */
function validateRoles(roles: Record<string, unknown>, fail: Fail): void {
  for (const [role, def] of Object.entries(roles)) {
    const quoted = JSON.stringify(role);
    if (!/^[a-z][a-z0-9-]*$/i.test(role)) fail(`role name ${quoted} must be letters, digits and dashes, starting with a letter`);
    if (!ROLE_NAME.test(role)) {
      fail(`role name ${quoted} must not end in a digit (node ids are the role name plus an index, so ${quoted} and another role could both produce "${role}0")`);
    }
    if (!isPlainObject(def)) fail(`roles.${role} must be an object { count, node }, got ${describeValue(def)}`);
    const r = def as Record<string, unknown>;
    if (typeof r['count'] !== 'number' || !Number.isSafeInteger(r['count']) || r['count'] < 1) {
      fail(`roles.${role}.count must be a positive integer, got ${describeValue(r['count'])}`);
    }
    const node = r['node'];
    if ((typeof node !== 'object' && typeof node !== 'function') || node === null) {
      fail(`roles.${role}.node must be a node behaviour (use defineNode), got ${describeValue(node)}`);
    }
    const behaviour = node as Record<string, unknown>;
    if (typeof behaviour['start'] !== 'function') fail(`roles.${role}.node needs a start() handler`);
    for (const handler of ['onMessage', 'onTimer']) {
      const value = behaviour[handler];
      if (value !== undefined && typeof value !== 'function') {
        fail(`roles.${role}.node.${handler} must be a function when given, got ${describeValue(value)}`);
      }
    }
    if (r['crashable'] !== undefined && typeof r['crashable'] !== 'boolean') {
      fail(`roles.${role}.crashable must be true or false when given, got ${describeValue(r['crashable'])}`);
    }
  }
}

/** Properties: made by always/eventually/sometimes, named, names unique. */
function validateProperties(properties: unknown, fail: Fail): void {
  if (!Array.isArray(properties)) {
    fail(`"properties" must be an array of always/eventually/sometimes(name, holds), got ${describeValue(properties)}`);
  }
  const names = new Set<string>();
  (properties as unknown[]).forEach((property, i) => {
    const p = isPlainObject(property) ? property : null;
    if (p === null || !PROPERTY_KINDS.includes(p['kind'] as string) || typeof p['name'] !== 'string' || p['name'] === '' || typeof p['holds'] !== 'function') {
      fail(`properties[${i}] must be a property made by always, eventually or sometimes(name, holds) with a non-empty name, got ${describeValue(property)}`);
    }
    const propertyName = (p as { name: string }).name;
    // Reports and results (the `sometimes` list) name properties: two with one name could not be told apart.
    if (names.has(propertyName)) fail(`properties[${i}]: another property is already named ${JSON.stringify(propertyName)}`);
    names.add(propertyName);
  });
}

/** History checkers: named, names unique among checkers and properties. */
function validateCheckers(checkers: unknown, properties: readonly { name: string }[], fail: Fail): void {
  if (!Array.isArray(checkers)) fail(`"checkers" must be an array of history checkers { name, check(operations) }, got ${describeValue(checkers)}`);
  const propertyNames = new Set(properties.map((p) => p.name));
  const names = new Set<string>();
  (checkers as unknown[]).forEach((checker, i) => {
    const c = isPlainObject(checker) ? checker : null;
    if (c === null || typeof c['name'] !== 'string' || c['name'] === '' || typeof c['check'] !== 'function') {
      fail(`checkers[${i}] must be a history checker { name, check(operations) } with a non-empty name, got ${describeValue(checker)}`);
    }
    const checkerName = (c as { name: string }).name;
    if (names.has(checkerName) || propertyNames.has(checkerName)) {
      fail(`checkers[${i}]: a property or another checker is already named ${JSON.stringify(checkerName)}`);
    }
    names.add(checkerName);
  });
}

/** Bug flags: names with one-line descriptions. */
function validateBugs(bugs: unknown, fail: Fail): void {
  if (!isPlainObject(bugs)) fail(`"bugs" must be an object mapping bug-flag names to one-line descriptions, got ${describeValue(bugs)}`);
  for (const [flag, about] of Object.entries(bugs as Record<string, unknown>)) {
    if (flag === '') fail('"bugs" has an empty flag name');
    if (typeof about !== 'string') fail(`bugs[${JSON.stringify(flag)}] must be a one-line description string, got ${describeValue(about)}`);
  }
}
