/**
 * The bundled replicated-counter model under its default faults (crashes that
 * lose unsynced writes, loss, duplication): the correct variant passes seeds
 * 0-1999, and ack-before-sync is caught by the durability property.
 */
import { describe, expect, it } from 'vitest';
import model from '../../models/replicated-counter/model.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

const SWEEP_TIMEOUT_MS = 120_000;

describe('models/replicated-counter', () => {
  it('correct: seeds 0-1999 pass under the default faults', () => {
    const { failures } = sweepSeeds(model, 2_000);
    expect(failures, describeFailures('replicated-counter', failures)).toEqual([]);
  }, SWEEP_TIMEOUT_MS);

  it('ack-before-sync: first caught at seed 0, on 469 of seeds 0-499, every one by the durability property', () => {
    expect(bugFlagFigures(model, 'ack-before-sync', 500)).toEqual({
      firstSeed: 0,
      caught: 469,
      caughtBy: ['safety: acknowledged increments survive crashes'],
    });
  }, SWEEP_TIMEOUT_MS);
});
