/**
 * The bundled two-phase-commit model: the correct variant keeps atomicity and
 * decides every transaction on seeds 0-1999 under its default faults; the
 * unilateral-abort bug is caught by atomicity, vote-not-synced by every commit
 * reaching every participant; and a scripted scenario shows
 * two-phase commit's blocking: with the coordinator gone, yes-voters stay
 * uncertain for ever, and only its recovery unblocks them (figures in its README).
 */
import { describe, expect, it } from 'vitest';
import { Simulation, ms, runSimulation, scenario } from '../../src/index.ts';
import model from '../../models/two-phase-commit/model.ts';
import { uncertainTxns, type ParticipantState } from '../../models/two-phase-commit/participant.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

const ATOMICITY = 'atomicity: no transaction commits at one node and aborts at another';
const ALL_DECIDED = 'every transaction is decided everywhere once faults stop';
const COMMIT_EVERYWHERE = 'every transaction the coordinator committed is committed at every participant';
const PARTICIPANTS = ['participant0', 'participant1', 'participant2'];
const SWEEP_TIMEOUT_MS = 120_000;

/**
 * Seed 2 with no random faults and no liveness phase; the coordinator crashes
 * 1 ms after transaction 1's prepares leave (10 ms), before any vote can reach
 * it (a round trip takes at least 2 ms). On this seed all three vote yes.
 */
function blockedRun(restartAtUs: number | null): Simulation {
  let steps = scenario().at(ms(11)).crash('coordinator0');
  if (restartAtUs !== null) steps = steps.at(restartAtUs).restart('coordinator0');
  return new Simulation(model, { seed: 2, settleUs: 0, faults: { crash: null, partition: null }, scenario: steps });
}

describe('models/two-phase-commit', () => {
  it('correct: seeds 0-1999 pass under the default faults', () => {
    const { failures } = sweepSeeds(model, 2_000);
    expect(failures, describeFailures('two-phase-commit', failures)).toEqual([]);
  }, SWEEP_TIMEOUT_MS);

  it('unilateral-abort: first caught at seed 0; 139 of seeds 0-499 fail, every one as a safety failure of atomicity', () => {
    expect(bugFlagFigures(model, 'unilateral-abort', 500)).toEqual({ firstSeed: 0, caught: 139, caughtBy: [`safety: ${ATOMICITY}`] });
  }, SWEEP_TIMEOUT_MS);

  it('vote-not-synced: first caught at seed 0; 220 of seeds 0-499 fail, every one by the commit-everywhere property', () => {
    expect(bugFlagFigures(model, 'vote-not-synced', 500)).toEqual({ firstSeed: 0, caught: 220, caughtBy: [`liveness: ${COMMIT_EVERYWHERE}`] });
  }, SWEEP_TIMEOUT_MS);

  it('vote-not-synced: without the commit-everywhere property seed 0 passes, since a participant that forgot its vote is not uncertain', () => {
    const weaker = { ...model, properties: (model.properties ?? []).filter((p) => p.name !== COMMIT_EVERYWHERE) };
    expect(runSimulation(weaker, { seed: 0, bugs: ['vote-not-synced'] }).failure).toBeNull();
    expect(runSimulation(model, { seed: 0, bugs: ['vote-not-synced'] }).failure).toMatchObject({ kind: 'liveness', property: COMMIT_EVERYWHERE });
  });

  it('blocking: with the coordinator down for good, every yes-voter stays uncertain and the liveness property fails', () => {
    const sim = blockedRun(null);
    const result = sim.run();
    expect(result.failure).toMatchObject({ kind: 'liveness', property: ALL_DECIDED });
    expect(result.endTimeUs).toBe(model.defaults!.timeUs);
    for (const id of PARTICIPANTS) {
      const state = sim.stateOf<ParticipantState>(id)!;
      expect(state.votes, id).toEqual({ '1': 'yes' });
      expect(uncertainTxns(state), id).toEqual(['1']);
    }
  });

  it('blocking: once the coordinator recovers it aborts the undecided transaction and the rest run, so the run passes', () => {
    const sim = blockedRun(ms(300));
    const result = sim.run();
    expect(result.failure).toBeNull();
    for (const id of PARTICIPANTS) {
      const state = sim.stateOf<ParticipantState>(id)!;
      expect(state.decisions['1'], id).toBe('abort');
      expect(uncertainTxns(state), id).toEqual([]);
    }
  });
});
