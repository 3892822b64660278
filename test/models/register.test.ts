/**
 * The bundled register model under its default faults: the correct variant's
 * history is linearizable on every seed tried, and the read-any-replica bug is
 * caught by the linearizability checker on every one (figures in its README).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/index.ts';
import model from '../../models/register/model.ts';

const SEEDS = Array.from({ length: 150 }, (_, seed) => seed);

describe('models/register', () => {
  it('correct: seeds 0-149 pass, the checker judges every history linearizable', () => {
    const failing = SEEDS.filter((seed) => {
      const result = runSimulation(model, { seed });
      expect(result.checks).toEqual([{ name: 'linearizable (register)', verdict: { verdict: 'ok' } }]);
      return result.failure !== null;
    });
    expect(failing).toEqual([]);
  });

  it('read-any-replica: caught on every seed of 0-49, as a safety failure of the linearizability checker', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const result = runSimulation(model, { seed, bugs: ['read-any-replica'] });
      expect(result.failure, `seed ${seed}`).toMatchObject({ kind: 'safety', property: 'linearizable (register)' });
      expect(result.failure!.message).toContain('is not linearizable');
    }
  });
});
