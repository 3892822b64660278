/**
 * The retry-client model under its default faults (loss, duplication, a slow
 * latency tail, crashes, partitions): with request ids its retries are
 * idempotent on seeds 0-1999; the retry-without-id bug counts an increment
 * twice on seed 0 already, and on every seed of 0-499 (figures in its README).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/index.ts';
import model from '../../models/retry-client/model.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

const CORRECT_SEEDS = 2000;
const SWEEP_TIMEOUT_MS = 240_000;

describe('models/retry-client', () => {
  it('correct: seeds 0-1999 pass under the default faults', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const { failures } = sweepSeeds(model, CORRECT_SEEDS);
    expect(failures, describeFailures('retry-client', failures)).toEqual([]);
  });

  it('correct: the history is judged linearizable, and retries really happen and get through', () => {
    const result = runSimulation(model, { seed: 1 });
    expect(result.checks).toEqual([{ name: 'linearizable (counter)', verdict: { verdict: 'ok' } }]);
    expect(result.sometimes[0]).toMatchObject({ name: 'a retried add was acknowledged' });
    expect(result.sometimes[0]?.firstSeenUs).not.toBeNull();
    // Some adds were given up on (info): the faults do make clients time out five times in a row.
    expect(result.history.filter((event) => event.type === 'info').length).toBeGreaterThan(0);
  });

  it('retry-without-id: first caught at seed 0; every one of seeds 0-499 fails, by "no increment is counted twice"', () => {
    expect(bugFlagFigures(model, 'retry-without-id', 500)).toEqual({ firstSeed: 0, caught: 500, caughtBy: ['safety: no increment is counted twice'] });
  }, SWEEP_TIMEOUT_MS);
});
