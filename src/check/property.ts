/**
 * Properties a run is checked against, in Stateright's three kinds:
 *
 * - `always`: holds after every event; a failure stops the run (safety).
 * - `eventually`: holds when the run ends, after the liveness phase (see the
 *   `settleUs` option), judged only if nothing failed before (liveness).
 * - `sometimes`: holds after at least one event; its first sighting is
 *   reported, and by default a run that never sees it fails (liveness), so a
 *   model that does nothing cannot pass.
 *
 * Every kind reads the same read-only {@link SystemView}.
 */
import type { NodeId } from '../trace/events.ts';
import type { HistoryEvent } from './history.ts';

/** What a property sees: read-only snapshots, never the live simulator. */
export interface SystemView {
  /** Virtual time now, microseconds. */
  readonly nowUs: number;
  /** Every node, in id order of roles as declared. */
  readonly nodes: readonly NodeView[];
  /** The state of node `id` (undefined while it is down). */
  state<S>(id: NodeId): S | undefined;
  /** The client history so far (see `ctx.invoke`), frozen: events in trace order. */
  readonly history: readonly HistoryEvent[];
}

/** One node as a property sees it. */
export interface NodeView {
  readonly id: NodeId;
  readonly role: string;
  readonly up: boolean;
  /** Its state; undefined while the node is down. */
  readonly state: unknown;
}

/** The kinds of property. */
export type PropertyKind = 'always' | 'eventually' | 'sometimes';

/** A property of one kind: a name for reports and a predicate over the view. */
interface PropertyOf<K extends PropertyKind> {
  readonly kind: K;
  readonly name: string;
  readonly holds: (view: SystemView) => boolean;
}

/** A safety property: must hold after every event. */
export type AlwaysProperty = PropertyOf<'always'>;
/** A liveness property: must hold when the run ends (after the liveness phase). */
export type EventuallyProperty = PropertyOf<'eventually'>;
/** A reachability property: must hold after at least one event of the run (or of a campaign). */
export type SometimesProperty = PropertyOf<'sometimes'>;

/** Any property. */
export type Property = AlwaysProperty | EventuallyProperty | SometimesProperty;

/** Where a `sometimes` property was first seen to hold, as a run reports it. */
export interface SometimesResult {
  name: string;
  /** Number of the trace event after which it first held (the last one recorded then); null if it never did. */
  firstSeenEvent: number | null;
  /** Virtual time when it first held, microseconds; null if it never did. */
  firstSeenUs: number | null;
}

/** `always(name, fn)`: `fn` must return true after every event of the run. */
export function always(name: string, holds: (view: SystemView) => boolean): AlwaysProperty {
  return { kind: 'always', name, holds };
}

/**
 * `eventually(name, fn)`: `fn` must return true when the run ends (time
 * budget, event budget or quiescence). Give the run a liveness phase with the
 * `settleUs` option (`--settle`), so faults have stopped and healed by then.
 * Not judged when the run failed earlier.
 */
export function eventually(name: string, holds: (view: SystemView) => boolean): EventuallyProperty {
  return { kind: 'eventually', name, holds };
}

/**
 * `sometimes(name, fn)`: `fn` must return true after at least one event.
 * Checked after every event until it first holds (then never again). With the
 * default `sometimesScope: 'run'` a run that never sees it fails (liveness);
 * with `'campaign'` the run only reports it, for a fuzz campaign to judge
 * across seeds.
 */
export function sometimes(name: string, holds: (view: SystemView) => boolean): SometimesProperty {
  return { kind: 'sometimes', name, holds };
}
