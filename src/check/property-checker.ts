/**
 * Runs a model's `always` properties against read-only views of the nodes.
 * Properties get frozen view objects and a frozen node list (never the
 * simulator's own), so a property cannot reorder or replace nodes. The states
 * they read are the nodes' own snapshots: deep-frozen in checking mode, but
 * mutable without it (freezing every state on the fuzz path costs too much),
 * so a property must not change what it reads; `--check` catches one that does.
 */
import type { AlwaysProperty, NodeView, Property, SystemView } from './property.ts';
import type { NodeId } from '../trace/events.ts';

/** The live facts a view reads through. */
export interface ViewSource {
  readonly nowUs: number;
  readonly nodes: readonly { readonly id: NodeId; readonly role: string; readonly up: boolean; readonly state: unknown }[];
  /** Index of a node id; throws for an unknown id. */
  require(id: NodeId, where: string): number;
}

/** A property that did not hold, or threw. */
export interface PropertyFailure {
  name: string;
  /** What it threw, or undefined when it returned false. */
  error: unknown;
}

/** Checks `always` properties after every event. */
export class PropertyChecker {
  readonly view: SystemView;
  private readonly always: readonly AlwaysProperty[];

  constructor(properties: readonly Property[], source: ViewSource) {
    this.always = properties.filter((p): p is AlwaysProperty => p.kind === 'always');
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
    this.view = Object.freeze({
      get nowUs() {
        return source.nowUs;
      },
      nodes,
      state: <S>(id: NodeId): S | undefined => nodes[source.require(id, 'view.state')]?.state as S | undefined,
    });
  }

  /** Whether there is anything to check (the run loop skips the call otherwise). */
  get active(): boolean {
    return this.always.length > 0;
  }

  /** The first property that fails now, or null. */
  check(): PropertyFailure | null {
    for (const property of this.always) {
      try {
        if (!property.holds(this.view)) return { name: property.name, error: undefined };
      } catch (error) {
        return { name: property.name, error };
      }
    }
    return null;
  }
}
