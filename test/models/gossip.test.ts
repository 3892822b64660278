/**
 * The bundled gossip model under its default faults (loss, duplication,
 * crashes, four partition shapes): the correct variant delivers every value
 * to every live peer on seeds 0-1999, and the no-anti-entropy bug is caught by
 * the eventually property first on seed 0, on 470 of seeds 0-499 (figures in the
 * model's README).
 */
import { describe, expect, it } from 'vitest';
import model from '../../models/gossip/model.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

const EVENTUALLY = 'every value reaches every live peer once faults stop';

describe('models/gossip', () => {
  it('correct: seeds 0-1999 pass under the default faults', () => {
    const sweep = sweepSeeds(model, 2_000);
    expect(sweep.failures, describeFailures('gossip', sweep.failures)).toEqual([]);
  }, 240_000);

  it('no-anti-entropy: first caught at seed 0; 470 of seeds 0-499 fail, every one by the eventually property', () => {
    // A seed it misses is one where every rumour happened to reach everyone.
    expect(bugFlagFigures(model, 'no-anti-entropy', 500)).toEqual({ firstSeed: 0, caught: 470, caughtBy: [`liveness: ${EVENTUALLY}`] });
  }, 120_000);
});
