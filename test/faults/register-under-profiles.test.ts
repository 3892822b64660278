/**
 * The README's figure for the bundled register model under the `flaky` and
 * `chaos` profiles (seeds 0-99): its `eventually` property fails on a few
 * seeds, and only on seeds whose swarm drew a wide latency spread that stays
 * through the liveness phase (its clients time out after 100 ms).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, type LatencyOptions, type ModelDefinition } from '../../src/index.ts';
import register from '../../models/register/model.ts';

const SEEDS = Array.from({ length: 100 }, (_, i) => i);

describe('register under flaky and chaos, seeds 0-99', () => {
  it.each([
    ['flaky', 10],
    ['chaos', 8],
  ] as const)('%s: %i liveness failures, each on a seed with a latency maximum of at least 58 ms', (profile, failures) => {
    const failed = SEEDS.map((seed) => runSimulation(register as ModelDefinition, { seed, profile })).filter((r) => r.failure !== null);
    expect(failed).toHaveLength(failures);
    for (const run of failed) {
      expect(run.failure?.kind).toBe('liveness');
      expect(run.failure?.property).toBe('every client is served once faults stop');
      const latency = run.plan?.swarm?.['latency'] as LatencyOptions | null;
      expect(latency?.maxUs ?? 0).toBeGreaterThanOrEqual(58_000);
    }
  });
});
