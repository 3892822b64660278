/**
 * The README's figures for the bundled register model under the `flaky` and
 * `chaos` profiles (seeds 0-99). Its `eventually` property fails only on
 * seeds whose swarm drew a wide latency spread that stays through the
 * liveness phase (its clients time out after 100 ms); under chaos its
 * linearizability check also fails, only on seeds with message corruption,
 * the adversary or corrupt disk reads on (it checks neither payloads, senders
 * nor what it reads back).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, type LatencyOptions, type ModelDefinition, type RunResult } from '../../src/index.ts';
import register from '../../models/register/model.ts';

const SEEDS = Array.from({ length: 100 }, (_, i) => i);
const LIVENESS = 'every client is served once faults stop';
const LINEARIZABLE = 'linearizable (register)';

const failuresUnder = (profile: string): RunResult[] =>
  SEEDS.map((seed) => runSimulation(register as ModelDefinition, { seed, profile })).filter((r) => r.failure !== null);

function expectLatencyCaused(run: RunResult): void {
  expect(run.failure?.kind).toBe('liveness');
  const latency = run.plan?.swarm?.['latency'] as LatencyOptions | null;
  expect(latency?.maxUs ?? 0).toBeGreaterThanOrEqual(98_000);
}

describe('register under flaky and chaos, seeds 0-99', () => {
  it('flaky: 7 liveness failures, each on a seed with a latency maximum of at least 98 ms', () => {
    const failed = failuresUnder('flaky');
    expect(failed.map((r) => r.failure?.property)).toEqual(Array(7).fill(LIVENESS));
    for (const run of failed) expectLatencyCaused(run);
  });

  it('chaos: 8 liveness failures (latency maximum of at least 98 ms) and 15 linearizability failures (corruption, adversary or disk corruption on)', () => {
    const failed = failuresUnder('chaos');
    const liveness = failed.filter((r) => r.failure?.property === LIVENESS);
    const linearizability = failed.filter((r) => r.failure?.property === LINEARIZABLE);
    expect([liveness.length, linearizability.length, failed.length]).toEqual([8, 15, 23]);
    for (const run of liveness) expectLatencyCaused(run);
    for (const run of linearizability) {
      expect(run.failure?.kind).toBe('safety');
      expect(run.plan?.swarmOn.some((kind) => ['corrupt', 'adversary', 'disk-corrupt'].includes(kind)), `seed ${run.seed}`).toBe(true);
    }
  });
});
