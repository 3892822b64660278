/**
 * The bundled ping-pong model under its default faults (loss and
 * duplication): the correct variant passes seeds 0-1999, and echo-wrong-seq
 * is caught on every seed of 0-499 by the property it breaks.
 */
import { describe, expect, it } from 'vitest';
import model from '../../models/ping-pong/model.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

describe('models/ping-pong', () => {
  it('correct: seeds 0-1999 pass under the default faults', () => {
    const { failures } = sweepSeeds(model, 2_000);
    expect(failures, describeFailures('ping-pong', failures)).toEqual([]);
  });

  it('echo-wrong-seq: caught on every one of seeds 0-499, by "pong answers a ping"', () => {
    expect(bugFlagFigures(model, 'echo-wrong-seq', 500)).toEqual({ firstSeed: 0, caught: 500, caughtBy: ['safety: pong answers a ping'] });
  });
});
