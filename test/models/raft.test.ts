/**
 * The bundled raft model: the correct variant passes seeds 0–1999 under its
 * default faults (its histories judged linearizable on every one), and seeds
 * 0–99 under each of its nemeses (models/raft/nemeses.ts) too; each bug flag
 * is caught, within seeds 0–499, by the property that targets it (figures in
 * models/raft/README.md), and a caught run replays from the command line.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runSimulation } from '../../src/index.ts';
import model from '../../models/raft/model.ts';
import { describeFailures, firstFailingSeed, sweepSeeds } from '../support/seed-sweep.ts';
import { makeTempDir, removeTempDir, runMain } from '../cli/helpers.ts';

// Seed sweeps are long on a shared 2-core machine; each test says how many seeds it runs.
const SWEEP_TIMEOUT_MS = 600_000;
/** The first seeds that catch the two bugs under their nemeses (README: 47 and 8 of seeds 0–499). */
const FIRST_COMMIT_PREVIOUS_TERM_SEED = 9;
const FIRST_FORGET_VOTE_SEED = 2;

describe('models/raft', () => {
  it('correct: seeds 0-1999 pass under the default faults', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const { seeds, failures } = sweepSeeds(model, 2000);
    expect(seeds).toBe(2000);
    expect(failures, describeFailures('raft', failures)).toEqual([]);
  });

  it('correct: seeds 0-99 pass under each nemesis', { timeout: SWEEP_TIMEOUT_MS }, () => {
    for (const nemesis of ['leader-crashes', 'voter-crashes']) {
      const { seeds, failures } = sweepSeeds(model, 100, { nemeses: [nemesis] });
      expect(seeds).toBe(100);
      expect(failures, describeFailures('raft', failures, `--nemesis ${nemesis}`)).toEqual([]);
    }
  });

  it('correct: a run records a history of many operations and the checker judges it linearizable', () => {
    const result = runSimulation(model, { seed: 1 });
    expect(result.failure).toBeNull();
    expect(result.checks).toEqual([{ name: 'linearizable (kv)', verdict: { verdict: 'ok' } }]);
    expect(result.history.filter((event) => event.type === 'ok').length).toBeGreaterThan(50);
  });

  it('stale-leader-read: caught first on seed 0 of the defaults, by the linearizability checker', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const found = firstFailingSeed(model, { bugs: ['stale-leader-read'] });
    expect(found?.seed).toBe(0);
    expect(found?.failure).toMatchObject({ kind: 'safety', property: 'linearizable (kv)' });
    expect(found?.failure.message).toContain('is not linearizable');
  });

  it('commit-previous-term: caught under --nemesis leader-crashes, as a committed entry lost or changed', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const found = firstFailingSeed(model, { bugs: ['commit-previous-term'], nemeses: ['leader-crashes'] });
    expect(found?.seed).toBe(FIRST_COMMIT_PREVIOUS_TERM_SEED);
    expect(found?.failure).toMatchObject({ kind: 'safety', property: 'committed entries are never lost or changed' });
  });

  it('forget-vote: caught under --nemesis voter-crashes, as two leaders of one term', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const found = firstFailingSeed(model, { bugs: ['forget-vote'], nemeses: ['voter-crashes'] });
    expect(found?.seed).toBe(FIRST_FORGET_VOTE_SEED);
    expect(found?.failure).toMatchObject({ kind: 'safety', property: 'at most one leader per term' });
  });

  it('forget-vote: the caught run fails from the command line (exit 1) and its trace replays IDENTICAL', async () => {
    const dir = makeTempDir('faultline-raft-nemesis-');
    try {
      const tracePath = join(dir, 'forget-vote.jsonl');
      const seed = String(FIRST_FORGET_VOTE_SEED);
      const run = await runMain(['run', 'raft', '--bug', 'forget-vote', '--nemesis', 'voter-crashes', '--seed', seed, '--trace', tracePath]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('at most one leader per term');
      const replay = await runMain(['replay', tracePath]);
      expect(replay.stdout).toMatch(/^IDENTICAL /);
      expect(replay.code).toBe(0);
    } finally {
      removeTempDir(dir);
    }
  });
});
