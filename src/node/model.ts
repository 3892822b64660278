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
import type { SimOptionsInput } from '../sim/options.ts';
import { ModelDefinitionError } from '../sim/errors.ts';

/** Identifies a pending timer, for `cancelTimer`. */
export type TimerId = number;

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
  /** Virtual time now, in integer microseconds. */
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
  /** Fires `onTimer(payload)` after `delayUs` microseconds unless cancelled or the node crashes first. */
  setTimer(delayUs: number, payload: T): TimerId;
  /** Cancels a pending timer; cancelling one that already fired is a no-op. */
  cancelTimer(timer: TimerId): void;
  /** Writes a line into the trace. */
  log(text: string, data?: JsonValue): void;
  /** Whether bug flag `flag` (declared in the model's `bugs`) is switched on for this run. */
  bug(flag: string): boolean;
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
  /** Properties checked during the run. */
  properties?: Property[];
  /** Bug flags this model can switch on, each with a one-line description. */
  bugs?: Record<string, string>;
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

const ROLE_NAME = /^[a-z][a-z0-9-]*$/i;

/** Throws ModelDefinitionError if `model` is not a usable model definition. */
export function validateModel(model: unknown): asserts model is ModelDefinition {
  if (typeof model !== 'object' || model === null) throw new ModelDefinitionError('a model must be an object (use defineModel)');
  const m = model as Partial<ModelDefinition>;
  if (typeof m.name !== 'string' || m.name === '') throw new ModelDefinitionError('a model needs a non-empty string "name"');
  if (typeof m.roles !== 'object' || m.roles === null || Object.keys(m.roles).length === 0) {
    throw new ModelDefinitionError(`model ${m.name}: "roles" must name at least one role`);
  }
  for (const [role, def] of Object.entries(m.roles)) {
    if (!ROLE_NAME.test(role)) throw new ModelDefinitionError(`model ${m.name}: role name "${role}" must be letters, digits and dashes`);
    if (!Number.isSafeInteger(def.count) || def.count < 1) {
      throw new ModelDefinitionError(`model ${m.name}: role ${role} needs a positive integer count`);
    }
    if (typeof def.node?.start !== 'function') {
      throw new ModelDefinitionError(`model ${m.name}: role ${role} needs a node with a start() handler`);
    }
  }
}
