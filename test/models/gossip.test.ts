/**
 * The bundled gossip model under its default faults (loss, duplication,
 * crashes, four partition shapes): the correct variant delivers every value
 * to every live peer on seeds 0-1999, and the no-anti-entropy bug is caught by
 * the eventually property on seed 0 and on most seeds of 0-499 (figures in the
 * model's README).
 */
import { describe, expect, it } from 'vitest';
import model from '../../models/gossip/model.ts';
import { describeFailures, firstFailingSeed, sweepSeeds } from '../support/seed-sweep.ts';

const EVENTUALLY = 'every value reaches every live peer once faults stop';

describe('models/gossip', () => {
  it('correct: seeds 0-1999 pass under the default faults', () => {
    const sweep = sweepSeeds(model, 2_000);
    expect(sweep.failures, describeFailures('gossip', sweep.failures)).toEqual([]);
  }, 240_000);

  it('no-anti-entropy: caught on seed 0, and on at least 400 of seeds 0-499, by the eventually property', () => {
    const first = firstFailingSeed(model, { bugs: ['no-anti-entropy'] });
    expect(first?.seed).toBe(0);
    expect(first?.failure).toMatchObject({ kind: 'liveness', property: EVENTUALLY });
    const sweep = sweepSeeds(model, 500, { bugs: ['no-anti-entropy'] });
    // Every failure is that property; a seed it misses is one where every rumour happened to reach everyone.
    expect(sweep.failures.every(({ failure }) => failure.kind === 'liveness' && failure.property === EVENTUALLY)).toBe(true);
    expect(sweep.failures.length).toBeGreaterThanOrEqual(400);
  }, 120_000);
});
