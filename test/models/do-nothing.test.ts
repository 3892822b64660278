/**
 * Every bundled model has a `sometimes` property that a do-nothing version of
 * it fails: each node starts with its usual state but never sends, sets a
 * timer or invokes an operation. A model whose properties a silent cluster
 * satisfies would pass without testing anything.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, type JsonValue, type ModelDefinition, type NodeContext } from '../../src/index.ts';
import { bundledModelNames, loadModel } from '../../src/cli/load-model.ts';

/** The effects a silent node is denied; everything else of ctx (ids, random, storage, now) stays. */
const SILENCED = new Set(['send', 'setTimer', 'invoke', 'complete']);

function silence<M extends JsonValue, T extends JsonValue>(ctx: NodeContext<M, T>): NodeContext<M, T> {
  return new Proxy(ctx, {
    get(target, key, receiver) {
      if (typeof key === 'string' && SILENCED.has(key)) return () => 0;
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `model` with every node silenced after it builds its start state. */
function doNothing(model: ModelDefinition): ModelDefinition {
  const roles = Object.fromEntries(
    Object.entries(model.roles).map(([role, def]) => [role, { ...def, node: { start: (ctx, storage) => def.node.start(silence(ctx), storage) } }]),
  ) as ModelDefinition['roles'];
  return { ...model, name: `${model.name}-do-nothing`, roles };
}

describe('a do-nothing model fails every bundled model', () => {
  it.each(bundledModelNames())('%s: its silent version fails a sometimes property (seeds 0-2)', async (name) => {
    const { model } = await loadModel(name);
    const sometimesNames = (model.properties ?? []).filter((p) => p.kind === 'sometimes').map((p) => p.name);
    expect(sometimesNames.length, `${name} has no sometimes property`).toBeGreaterThan(0);
    for (const seed of [0, 1, 2]) {
      const result = runSimulation(doNothing(model), { seed, faults: { crash: null, partition: null } });
      expect(result.outcome, `${name} seed ${seed}`).toBe('fail');
      const unseen = result.sometimes.filter((s) => s.firstSeenEvent === null).map((s) => s.name);
      expect(unseen.length, `${name} seed ${seed}: every sometimes property was seen`).toBeGreaterThan(0);
    }
  });
});
