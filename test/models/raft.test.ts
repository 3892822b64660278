/**
 * The bundled raft model: the correct variant passes seeds 0–1999 under its
 * default faults (its histories judged linearizable on every one), and passes
 * the two targeted fault setups of raft-nemeses.ts too; each bug flag is
 * caught, within seeds 0–499, by the property that targets it (figures in
 * models/raft/README.md).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, type RunResult, type SimOptionsInput } from '../../src/index.ts';
import model from '../../models/raft/model.ts';
import { describeFailures, firstFailingSeed, sweepSeeds, type SeedFailure } from '../support/seed-sweep.ts';
import { runWithLeaderCrashes, runWithVoterCrashes } from './raft-nemeses.ts';

// Seed sweeps are long on a shared 2-core machine; each test says how many seeds it runs.
const SWEEP_TIMEOUT_MS = 600_000;
/** The first seeds that catch the two bugs under their nemeses (README: 20 and 7 of seeds 0–199). */
const FIRST_COMMIT_PREVIOUS_TERM_SEED = 10;
const FIRST_FORGET_VOTE_SEED = 25;

type Runner = (m: typeof model, options: SimOptionsInput & { seed: number }) => RunResult;

/** Like firstFailingSeed, for a run under a nemesis. */
function firstFailingSeedUnder(run: Runner, options: SimOptionsInput, maxSeeds = 500): SeedFailure | null {
  for (let seed = 0; seed < maxSeeds; seed++) {
    const result = run(model, { ...options, seed });
    if (result.failure !== null) return { seed, failure: result.failure };
  }
  return null;
}

/** Seeds of 0 .. count - 1 on which a run under a nemesis fails. */
function failingSeedsUnder(run: Runner, count: number): SeedFailure[] {
  const failures: SeedFailure[] = [];
  for (let seed = 0; seed < count; seed++) {
    const result = run(model, { seed });
    if (result.failure !== null) failures.push({ seed, failure: result.failure });
  }
  return failures;
}

describe('models/raft', () => {
  it('correct: seeds 0-1999 pass under the default faults', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const { seeds, failures } = sweepSeeds(model, 2000);
    expect(seeds).toBe(2000);
    expect(failures, describeFailures('raft', failures)).toEqual([]);
  });

  it('correct: seeds 0-99 pass under leader crashes and under voter crashes', { timeout: SWEEP_TIMEOUT_MS }, () => {
    expect(failingSeedsUnder(runWithLeaderCrashes, 100)).toEqual([]);
    expect(failingSeedsUnder(runWithVoterCrashes, 100)).toEqual([]);
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

  it('commit-previous-term: caught under leader crashes, as a committed entry lost or changed', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const found = firstFailingSeedUnder(runWithLeaderCrashes, { bugs: ['commit-previous-term'] });
    expect(found?.seed).toBe(FIRST_COMMIT_PREVIOUS_TERM_SEED);
    expect(found?.failure).toMatchObject({ kind: 'safety', property: 'committed entries are never lost or changed' });
  });

  it('forget-vote: caught under voter crashes, as two leaders of one term', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const found = firstFailingSeedUnder(runWithVoterCrashes, { bugs: ['forget-vote'] });
    expect(found?.seed).toBe(FIRST_FORGET_VOTE_SEED);
    expect(found?.failure).toMatchObject({ kind: 'safety', property: 'at most one leader per term' });
  });
});
