/**
 * Every bundled model under the chaos profile: its traces replay identically
 * (replayTrace and `faultline replay`), whatever the swarm chose for the seed,
 * and the seeds between them switch on every kind.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../src/index.ts';
import { bundledModelNames, loadModel } from '../../src/cli/load-model.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { makeTempDir, removeTempDir, runMain } from '../cli/helpers.ts';

const MODEL_NAMES = bundledModelNames();
const SEEDS = Array.from({ length: 12 }, (_, i) => i);

describe('chaos profile over every bundled model', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('faultline-chaos-');
  });
  afterAll(() => removeTempDir(dir));

  it('finds the bundled models', () => {
    expect(MODEL_NAMES).toEqual(expect.arrayContaining(['ping-pong', 'register', 'replicated-counter']));
  });

  it.each(MODEL_NAMES)('%s: seeds 0-11 replay identically, and between them every chaos kind was on', async (name) => {
    const { model } = await loadModel(name);
    const on = new Set<string>();
    for (const seed of SEEDS) {
      const sink = new MemorySink();
      const result = new Simulation(model, { seed, profile: 'chaos' }, { sinks: [sink], modelRef: name }).run();
      for (const kind of result.plan?.swarmOn ?? []) on.add(kind);
      const replay = replayTrace(parseTrace(sink.text(), `${name}-${seed}.jsonl`), model);
      expect(replay.divergence, `${name} seed ${seed}`).toBeNull();
      expect(replay.result.traceHash).toBe(result.traceHash);
      expect(replay.result.events).toBe(result.events);
    }
    expect([...on].sort()).toEqual(['crash', 'duplicate', 'latency', 'loss', 'partition', 'reorder']);
  });

  it.each(MODEL_NAMES)('%s: `faultline replay` of a chaos run says IDENTICAL', async (name) => {
    const tracePath = join(dir, `${name}.jsonl`);
    const run = await runMain(['run', name, '--seed', '2', '--profile', 'chaos', '--trace', tracePath]);
    expect(run.stderr).toBe('');
    const replay = await runMain(['replay', tracePath]);
    expect(replay.stdout).toMatch(/^IDENTICAL /);
    expect(replay.code).toBe(0);
  });
});
