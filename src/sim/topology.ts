/**
 * Who is in a simulation: node ids built from the model's roles (the role name
 * plus an index: `server0`, `server1`, ...), in declaration order, and lookups
 * between ids, indices and roles.
 */
import type { ModelDefinition } from '../node/model.ts';
import type { NodeId } from '../trace/events.ts';
import { InputError } from './errors.ts';

/** The fixed set of nodes of one run. */
export class Topology {
  /** Every node id; a node's index is its position here. */
  readonly ids: readonly NodeId[];
  /** The role of each node, by index. */
  readonly roleOf: readonly string[];
  private readonly indexById = new Map<NodeId, number>();
  private readonly byRole = new Map<string, NodeId[]>();

  /** `counts` replaces the model's node count of the roles it names (the `nodes` option). */
  constructor(model: ModelDefinition, counts: Readonly<Record<string, number>> = {}) {
    for (const role of Object.keys(counts)) {
      if (!Object.hasOwn(model.roles, role)) {
        throw new InputError(`nodes: unknown role "${role}" (roles of ${model.name}: ${Object.keys(model.roles).join(', ')})`);
      }
    }
    const ids: NodeId[] = [];
    const roleOf: string[] = [];
    for (const [role, def] of Object.entries(model.roles)) {
      const ofRole: NodeId[] = [];
      const count = counts[role] ?? def.count;
      for (let i = 0; i < count; i++) ofRole.push(`${role}${i}`);
      // Frozen: models get these very arrays, and one that sorted them would rename nodes in the trace.
      this.byRole.set(role, Object.freeze(ofRole) as NodeId[]);
      for (const id of ofRole) {
        this.indexById.set(id, ids.length);
        ids.push(id);
        roleOf.push(role);
      }
    }
    this.ids = Object.freeze(ids);
    this.roleOf = Object.freeze(roleOf);
  }

  /** Index of `id`, or undefined. */
  indexOf(id: NodeId): number | undefined {
    return this.indexById.get(id);
  }

  /** Index of `id`; an unknown id is bad input, reported with `where`. */
  require(id: NodeId, where: string): number {
    const index = this.indexById.get(id);
    if (index === undefined) throw new InputError(`${where}: unknown node "${id}" (nodes: ${this.describe()})`);
    return index;
  }

  /** The ids of a role's nodes (empty for an unknown role). */
  nodesOf(role: string): readonly NodeId[] {
    return this.byRole.get(role) ?? [];
  }

  /** The node list for messages; long lists are shortened. */
  private describe(): string {
    const shown = this.ids.slice(0, 12).join(', ');
    return this.ids.length > 12 ? `${shown}, ... ${this.ids.length} in all` : shown;
  }
}
