/**
 * The bundled paxos model under its default faults: the correct variant keeps
 * one value chosen and teaches it to every proposer on seeds 0-1999, and the
 * ignore-promise bug is caught by the one-value property (figures in its README).
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/index.ts';
import model from '../../models/paxos/model.ts';
import type { ProposerState } from '../../models/paxos/proposer.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

const ONE_VALUE = 'at most one value is chosen';
const SWEEP_TIMEOUT_MS = 120_000;

describe('models/paxos', () => {
  it('correct: seeds 0-1999 pass under the default faults', () => {
    const { failures } = sweepSeeds(model, 2_000);
    expect(failures, describeFailures('paxos', failures)).toEqual([]);
  }, SWEEP_TIMEOUT_MS);

  it('correct: on seed 1 every proposer learns one value, which two of them adopted from their promises', () => {
    const sim = new Simulation(model, { seed: 1 });
    const result = sim.run();
    expect(result.failure).toBeNull();
    expect(result.stats.crashes).toBeGreaterThan(0);
    const proposers = ['proposer0', 'proposer1', 'proposer2'].map((id) => sim.stateOf<ProposerState>(id)!);
    const learned = new Set(proposers.map((p) => p.learned));
    expect(learned.size).toBe(1);
    expect(learned.has(null)).toBe(false);
    expect(proposers.filter((p) => p.learned !== p.ownValue)).toHaveLength(2);
  });

  it('ignore-promise: first caught at seed 1; 73 of seeds 0-499 fail, every one as a safety failure of the one-value property', () => {
    expect(bugFlagFigures(model, 'ignore-promise', 500)).toEqual({ firstSeed: 1, caught: 73, caughtBy: [`safety: ${ONE_VALUE}`] });
  }, SWEEP_TIMEOUT_MS);
});
