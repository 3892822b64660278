/**
 * Properties a run is checked against. `always` holds after every event; a
 * failure stops the run with the event number and virtual time.
 */
import type { NodeId } from '../trace/events.ts';

/** What a property sees: read-only snapshots, never the live simulator. */
export interface SystemView {
  /** Virtual time now, microseconds. */
  readonly nowUs: number;
  /** Every node, in id order of roles as declared. */
  readonly nodes: readonly NodeView[];
  /** The state of node `id` (undefined while it is down). */
  state<S>(id: NodeId): S | undefined;
}

/** One node as a property sees it. */
export interface NodeView {
  readonly id: NodeId;
  readonly role: string;
  readonly up: boolean;
  /** Its state; undefined while the node is down. */
  readonly state: unknown;
}

/** A safety property: must hold after every event. */
export interface AlwaysProperty {
  readonly kind: 'always';
  readonly name: string;
  readonly holds: (view: SystemView) => boolean;
}

/** Any property (more kinds arrive with the checkers). */
export type Property = AlwaysProperty;

/** `always(name, fn)`: `fn` must return true after every event of the run. */
export function always(name: string, holds: (view: SystemView) => boolean): AlwaysProperty {
  return { kind: 'always', name, holds };
}
