/**
 * Every bundled model under the chaos profile: its traces replay identically
 * (replayTrace and `faultline replay`), whatever the swarm chose for the seed,
 * and the seeds between them switch on every kind, and the traces show each
 * one that has an event of its own.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink, Simulation, type TraceEvent } from '../../src/index.ts';
import { PROFILES } from '../../src/faults/profiles.ts';
import { bundledModelNames, loadModel } from '../../src/cli/load-model.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { makeTempDir, removeTempDir, runMain } from '../cli/helpers.ts';

const MODEL_NAMES = bundledModelNames();
// Seeds 0-15 between them switch every chaos kind on (seed 14 is the first with corruption).
const SEEDS = Array.from({ length: 16 }, (_, i) => i);
const CHAOS_KINDS = PROFILES.find((p) => p.name === 'chaos')?.entries.map((e) => e.kind) ?? [];

/** Kinds of fault whose own events a trace shows (reorder and latency have none). */
function kindsSeen(events: readonly TraceEvent[], into: Set<string>): void {
  for (const e of events) {
    if ('by' in e) continue;
    if (e.kind === 'drop' && e.reason === 'loss') into.add('loss');
    else if (e.kind === 'crash') {
      into.add('crash');
      if ('survivedWrites' in e) into.add('torn-writes');
    } else if (e.kind === 'partition') {
      into.add('partition');
      if ('shape' in e) into.add('partition-shapes');
    } else if (e.kind === 'clock-skew') into.add('clock');
    else if (e.kind === 'disk-fault' && e.fault === 'corrupt-read') into.add('disk-corrupt');
    else if (['duplicate', 'clog', 'corrupt', 'adversary', 'pause', 'clock-jump'].includes(e.kind)) into.add(e.kind);
  }
}

describe('chaos profile over every bundled model', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('faultline-chaos-');
  });
  afterAll(() => removeTempDir(dir));

  it('finds the bundled models', () => {
    expect(MODEL_NAMES).toEqual(expect.arrayContaining(['ping-pong', 'register', 'replicated-counter']));
  });

  it.each(MODEL_NAMES)('%s: seeds 0-15 replay identically, and between them every chaos kind was on and showed', async (name) => {
    const { model } = await loadModel(name);
    const on = new Set<string>();
    const seen = new Set<string>();
    for (const seed of SEEDS) {
      const sink = new MemorySink();
      const result = new Simulation(model, { seed, profile: 'chaos' }, { sinks: [sink], modelRef: name }).run();
      for (const kind of result.plan?.swarmOn ?? []) on.add(kind);
      kindsSeen(sink.events, seen);
      const replay = replayTrace(parseTrace(sink.text(), `${name}-${seed}.jsonl`), model);
      expect(replay.divergence, `${name} seed ${seed}`).toBeNull();
      expect(replay.result.traceHash).toBe(result.traceHash);
      expect(replay.result.events).toBe(result.events);
    }
    expect([...on].sort()).toEqual([...CHAOS_KINDS].sort());
    // A corrupt read needs a read of the disk inside a handler: ping-pong never reads, register only at a restart
    // (raft reads its whole log at every restart, so seeds 0-15 show one too).
    const readsDisk = name === 'replicated-counter' || name === 'raft';
    const shown = CHAOS_KINDS.filter((k) => k !== 'reorder' && k !== 'latency' && (k !== 'disk-corrupt' || readsDisk));
    expect([...seen].sort()).toEqual([...shown].sort());
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
