/**
 * The bundled register model under its default faults: the correct variant's
 * history is linearizable on seeds 0-1999, and the read-any-replica bug is
 * caught by the linearizability checker on every one (figures in its README).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/index.ts';
import model from '../../models/register/model.ts';
import { sweepSeeds } from '../support/seed-sweep.ts';

const SEEDS = Array.from({ length: 2_000 }, (_, seed) => seed);
const SWEEP_TIMEOUT_MS = 120_000;

describe('models/register', () => {
  it('correct: seeds 0-1999 pass, the checker judges every history linearizable', () => {
    const failing = SEEDS.filter((seed) => {
      const result = runSimulation(model, { seed });
      expect(result.checks).toEqual([{ name: 'linearizable (register)', verdict: { verdict: 'ok' } }]);
      return result.failure !== null;
    });
    expect(failing).toEqual([]);
  }, SWEEP_TIMEOUT_MS);

  it('read-any-replica: caught on every seed of 0-49, as a safety failure of the linearizability checker', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const result = runSimulation(model, { seed, bugs: ['read-any-replica'] });
      expect(result.failure, `seed ${seed}`).toMatchObject({ kind: 'safety', property: 'linearizable (register)' });
      expect(result.failure!.message).toContain('is not linearizable');
    }
  });

  it('no liveness phase (--settle 0): 33 of seeds 0-199 fail the eventually property, on correct code', () => {
    const { failures } = sweepSeeds(model, 200, { settleUs: 0 });
    expect(failures).toHaveLength(33);
    expect(new Set(failures.map(({ failure }) => failure.property))).toEqual(new Set(['every client is served once faults stop']));
  });
});
