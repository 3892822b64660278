/**
 * The primary-backup model under its default faults (crashes, partitions,
 * loss, duplication, and a failover drill in the liveness phase): the
 * correct variant's history is linearizable and every client is served on
 * seeds 0-1999; the read-from-backup bug is caught by the linearizability
 * checker first on seed 1, on 133 of seeds 0-499 (figures in the model's README).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, scenario, Simulation } from '../../src/index.ts';
import model from '../../models/primary-backup/model.ts';
import type { ViewServiceState } from '../../models/primary-backup/view-service.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

/** Generous: the machine is shared, and 2,000 seeds take about 40 s of CPU. */
const SWEEP_TIMEOUT_MS = 240_000;
const CALM = { faults: { crash: null, partition: null } } as const;

describe('models/primary-backup', () => {
  it('correct: seeds 0-1999 pass under the default faults, histories judged linearizable', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const { failures } = sweepSeeds(model, 2000);
    expect(failures, describeFailures('primary-backup', failures)).toEqual([]);
  });

  it('correct: on a calm network the drill fails over three times, and a read after the first returns a written value', () => {
    const sim = new Simulation(model, { seed: 1, ...CALM });
    const result = sim.run();
    expect(result.failure).toBeNull();
    expect(result.checks).toEqual([{ name: 'linearizable (kv)', verdict: { verdict: 'ok' } }]);
    const viewService = sim.stateOf<ViewServiceState>('viewservice0');
    // View 1 at start; the drill pauses each server in turn, and each pause of the primary promotes its backup.
    expect(viewService?.view.num).toBe(4);
    expect(viewService?.firstFailoverView).toBe(2);
    expect(result.sometimes[0]?.firstSeenUs).toBeGreaterThan(2_200_000);
  });

  it('without the drill and the random faults no failover happens, and the sometimes property fails the run', () => {
    const result = runSimulation(model, { seed: 1, ...CALM, scenario: scenario() });
    expect(result.failure).toMatchObject({ kind: 'liveness', property: 'a read after a failover returned a written value' });
  });

  it('read-from-backup: first caught at seed 1; 133 of seeds 0-499 fail, every one by the linearizability checker', { timeout: SWEEP_TIMEOUT_MS }, () => {
    expect(bugFlagFigures(model, 'read-from-backup', 500)).toEqual({ firstSeed: 1, caught: 133, caughtBy: ['safety: linearizable (kv)'] });
  });
});
