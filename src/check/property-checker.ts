/**
 * Runs a model's properties against read-only views of the nodes: `always`
 * and unseen `sometimes` properties after every event, `eventually` ones when
 * the run ends. Properties get frozen view objects and a frozen node list
 * (never the simulator's own), so a property cannot reorder or replace nodes.
 * The states they read are the nodes' own snapshots: deep-frozen in checking
 * mode, but mutable without it (freezing every state on the fuzz path costs
 * too much), so a property must not change what it reads; `--check` catches
 * one that does.
 */
import type { AlwaysProperty, EventuallyProperty, NodeView, Property, SometimesProperty, SometimesResult, SystemView } from './property.ts';
import type { NodeId } from '../trace/events.ts';
import type { HistoryEvent } from './history.ts';

/** The live facts a view reads through. */
export interface ViewSource {
  readonly nowUs: number;
  /** Number of the last trace event recorded (where a `sometimes` is first seen). */
  readonly eventNumber: number;
  readonly nodes: readonly { readonly id: NodeId; readonly role: string; readonly up: boolean; readonly state: unknown }[];
  /** The run's history so far, events frozen (the array itself is the simulator's). */
  readonly history: readonly HistoryEvent[];
  /** Index of a node id; throws for an unknown id. */
  require(id: NodeId, where: string): number;
}

/** A property that did not hold, or threw. */
export interface PropertyFailure {
  name: string;
  /** What it threw, or undefined when it returned false. */
  error: unknown;
}

/** Checks `always` and `sometimes` properties after every event, `eventually` ones at the end. */
export class PropertyChecker {
  readonly view: SystemView;
  private readonly always: readonly AlwaysProperty[];
  private readonly eventually: readonly EventuallyProperty[];
  private readonly sometimes: readonly SometimesProperty[];
  /** First sighting of each `sometimes` property, by position in `sometimes`. */
  private readonly seen: SometimesResult[];
  /** `sometimes` properties not seen yet: checked after every event until zero. */
  private unseen: number;

  constructor(properties: readonly Property[], private readonly source: ViewSource) {
    this.always = properties.filter((p): p is AlwaysProperty => p.kind === 'always');
    this.eventually = properties.filter((p): p is EventuallyProperty => p.kind === 'eventually');
    this.sometimes = properties.filter((p): p is SometimesProperty => p.kind === 'sometimes');
    this.seen = this.sometimes.map((p) => ({ name: p.name, firstSeenEvent: null, firstSeenUs: null }));
    this.unseen = this.sometimes.length;
    const nodes: readonly NodeView[] = Object.freeze(
      source.nodes.map((node) =>
        Object.freeze({
          id: node.id,
          role: node.role,
          get up() {
            return node.up;
          },
          get state() {
            return node.state;
          },
        }),
      ),
    );
    // A frozen copy of the history, made when a property asks and the history has grown since.
    let history: readonly HistoryEvent[] = Object.freeze([]);
    this.view = Object.freeze({
      get nowUs() {
        return source.nowUs;
      },
      get history() {
        if (history.length !== source.history.length) history = Object.freeze(source.history.slice());
        return history;
      },
      nodes,
      state: <S>(id: NodeId): S | undefined => nodes[source.require(id, 'view.state')]?.state as S | undefined,
    });
  }

  /** Whether there is anything to check after an event (the run loop skips the call otherwise). */
  get active(): boolean {
    return this.always.length > 0 || this.unseen > 0;
  }

  /**
   * After an event: the first `always` property that fails now, or null; then
   * notes which unseen `sometimes` properties hold now. A `sometimes` that
   * throws is returned as a failure like an `always` that throws.
   */
  check(): PropertyFailure | null {
    for (const property of this.always) {
      try {
        if (!property.holds(this.view)) return { name: property.name, error: undefined };
      } catch (error) {
        return { name: property.name, error };
      }
    }
    return this.unseen > 0 ? this.checkSometimes() : null;
  }

  private checkSometimes(): PropertyFailure | null {
    for (let i = 0; i < this.sometimes.length; i++) {
      const record = this.seen[i] as SometimesResult;
      if (record.firstSeenEvent !== null) continue;
      const property = this.sometimes[i] as SometimesProperty;
      try {
        if (!property.holds(this.view)) continue;
      } catch (error) {
        return { name: property.name, error };
      }
      record.firstSeenEvent = this.source.eventNumber;
      record.firstSeenUs = this.source.nowUs;
      this.unseen--;
    }
    return null;
  }

  /** At the end of the run: the first `eventually` property that does not hold (or throws), or null. */
  checkEventually(): PropertyFailure | null {
    for (const property of this.eventually) {
      try {
        if (!property.holds(this.view)) return { name: property.name, error: undefined };
      } catch (error) {
        return { name: property.name, error };
      }
    }
    return null;
  }

  /** Names of the `sometimes` properties never seen so far, in declaration order. */
  neverSeen(): string[] {
    return this.seen.filter((record) => record.firstSeenEvent === null).map((record) => record.name);
  }

  /** Where each `sometimes` property was first seen (copies). */
  sometimesResults(): SometimesResult[] {
    return this.seen.map((record) => ({ ...record }));
  }
}
