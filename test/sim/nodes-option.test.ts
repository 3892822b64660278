/**
 * The `nodes` option: node counts by role that replace the model's. It builds
 * that many nodes, is recorded in the trace header (and only when given), a
 * replay of that header rebuilds the same cluster, and bad counts or roles are
 * refused with a one-line InputError naming them.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, resolveOptions, Simulation, type SimOptionsInput } from '../../src/index.ts';
import { MemorySink } from '../../src/trace/sink.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { expectInputError } from '../support/expect-input-error.ts';

/** Each node says hello to one random node once, so the cluster's size shows in the trace. */
const greeter = defineNode<null, string, 'hello'>({
  start(ctx) {
    ctx.setTimer(1_000, 'hello');
    return null;
  },
  onTimer(_state, _timer, ctx) {
    ctx.send(ctx.random.pick(ctx.nodes), `hi from ${ctx.id}`);
  },
});

const model = defineModel<string, 'hello'>({
  name: 'nodes-probe',
  description: 'greeters of two roles',
  roles: { peer: { count: 3, node: greeter }, client: { count: 1, node: greeter } },
});

const raw = (value: unknown): SimOptionsInput => value as SimOptionsInput;

describe('nodes option', () => {
  it("replaces the named role's count and keeps the others, in declaration order", () => {
    const sim = new Simulation(model, { nodes: { peer: 5 } });
    expect(sim.nodeIds).toEqual(['peer0', 'peer1', 'peer2', 'peer3', 'peer4', 'client0']);
    expect(new Simulation(model, {}).nodeIds).toEqual(['peer0', 'peer1', 'peer2', 'client0']);
  });

  it('merges layer by layer, role by role (model defaults, then the user)', () => {
    expect(resolveOptions({ nodes: { peer: 7, client: 2 } }, { nodes: { peer: 9 } }).nodes).toEqual({ peer: 9, client: 2 });
    // Absent unless given, so a header at the model's own sizes is unchanged.
    expect('nodes' in resolveOptions({ seed: 1 })).toBe(false);
  });

  it('is recorded in the header, and a replay rebuilds the same cluster', () => {
    const sink = new MemorySink();
    const result = new Simulation(model, { seed: 3, timeUs: 10_000, nodes: { peer: 40 } }, { sinks: [sink] }).run();
    expect(sink.headerValue?.options.nodes).toEqual({ peer: 40 });
    const starts = sink.events.filter((event) => event.kind === 'start');
    expect(starts).toHaveLength(41);
    const replay = replayTrace(parseTrace(sink.text(), 'memory'), model);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(result.traceHash);
  });

  it('refuses an unknown role, naming it and the roles there are', () => {
    expectInputError(() => new Simulation(model, { nodes: { server: 2 } }), 'nodes: unknown role "server"', 'peer, client');
  });

  it('refuses a count that is not a positive integer, naming the role', () => {
    expectInputError(() => resolveOptions({ nodes: { peer: 0 } }), 'nodes.peer must be at least 1');
    expectInputError(() => resolveOptions({ nodes: { peer: -2 } }), 'nodes.peer must be a non-negative integer, got -2');
    expectInputError(() => resolveOptions({ nodes: { client: 1.5 } }), 'nodes.client must be a non-negative integer, got 1.5');
    expectInputError(() => resolveOptions(raw({ nodes: { peer: '4' } })), 'nodes.peer must be a non-negative integer');
    expectInputError(() => resolveOptions(raw({ nodes: [4] })), 'nodes must be an object');
    expectInputError(() => resolveOptions(raw({ nodes: null })), 'nodes must be an object');
  });
});
