/**
 * The retry-client model under its default faults (loss, duplication, a slow
 * latency tail, crashes, partitions): with request ids its retries are
 * idempotent on seeds 0-1999; the retry-without-id bug counts an increment
 * twice on seed 0 already, and on every seed of 0-199 (figures in its README).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/index.ts';
import model from '../../models/retry-client/model.ts';
import { describeFailures, firstFailingSeed, sweepSeeds } from '../support/seed-sweep.ts';

const CORRECT_SEEDS = 2000;
const SWEEP_TIMEOUT_MS = 600_000;

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

  it('retry-without-id: caught on seed 0 by "no increment is counted twice", and on every seed of 0-199', () => {
    const first = firstFailingSeed(model, { bugs: ['retry-without-id'] });
    expect(first?.seed).toBe(0);
    expect(first?.failure).toMatchObject({ kind: 'safety', property: 'no increment is counted twice' });
    const { failures } = sweepSeeds(model, 200, { bugs: ['retry-without-id'] });
    expect(failures.map((f) => f.seed)).toEqual(Array.from({ length: 200 }, (_, seed) => seed));
    expect(failures.every((f) => f.failure.property === 'no increment is counted twice')).toBe(true);
  });
});
