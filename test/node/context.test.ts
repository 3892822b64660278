/**
 * The handler context's view of the cluster: ids, roles, peers, nodes and
 * nodesOf, as a model sees them at start.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, Simulation, type JsonValue, type NodeId } from '../../src/index.ts';

type Seen = { id: NodeId; role: string; peers: NodeId[]; nodes: NodeId[]; servers: NodeId[]; unknownRole: number };

function observerModel(seen: Seen[]) {
  const node = defineNode<null, JsonValue>({
    start(ctx) {
      seen.push({
        id: ctx.id,
        role: ctx.role,
        peers: [...ctx.peers],
        nodes: [...ctx.nodes],
        servers: [...ctx.nodesOf('server')],
        unknownRole: ctx.nodesOf('nobody').length,
      });
      return null;
    },
  });
  return defineModel<JsonValue>({
    name: 'observer',
    description: 'records what each node sees',
    roles: { server: { count: 3, node }, client: { count: 2, node } },
  });
}

describe('node context', () => {
  it('names nodes by role and index, in declaration order, and lists peers without the node itself', () => {
    const seen: Seen[] = [];
    new Simulation(observerModel(seen), { seed: 1 }).run();
    const all = ['server0', 'server1', 'server2', 'client0', 'client1'];
    expect(seen.map((s) => s.id)).toEqual(all);
    expect(seen.map((s) => s.role)).toEqual(['server', 'server', 'server', 'client', 'client']);
    for (const s of seen) {
      expect(s.nodes).toEqual(all);
      expect(s.peers).toEqual(all.filter((id) => id !== s.id));
      expect(s.servers).toEqual(['server0', 'server1', 'server2']);
      expect(s.unknownRole).toBe(0);
    }
  });

  it('shares one node list between all nodes, so large clusters do not pay a list per node', () => {
    const lists = new Set<readonly NodeId[]>();
    const node = defineNode<null, JsonValue>({
      start(ctx) {
        lists.add(ctx.nodes);
        return null;
      },
    });
    const model = defineModel<JsonValue>({ name: 'many', description: 'x', roles: { n: { count: 2_000, node } } });
    new Simulation(model, { seed: 1 }).run();
    expect(lists.size).toBe(1);
    expect([...lists][0]?.length).toBe(2_000);
  });
});
