/**
 * The report's `swarm` and `scenario` lines, and the re-run flags a plan adds.
 */
import { describe, expect, it } from 'vitest';
import { describeScenario, describeSwarm } from '../../src/cli/plan-report.ts';
import { flagsForOptions } from '../../src/cli/rerun-flags.ts';
import { resolvePlan } from '../../src/faults/plan.ts';
import { ms, sec } from '../../src/sim/duration.ts';

describe('describeSwarm', () => {
  it('says when a profile has nothing to choose', () => {
    expect(describeSwarm({ profile: 'calm', swarm: {}, swarmOn: [], scenario: null })).toBe('calm: no fault kinds to choose (a calm network)');
  });

  it('lists what is on with its setting, then what is off, in profile order', () => {
    const plan = resolvePlan({}, { seed: 1, profile: 'flaky' }).plan;
    expect(plan?.swarm).toEqual({ loss: 0.028, duplicate: null, reorder: true, latency: { minUs: ms(1), maxUs: ms(21), distribution: 'uniform' } });
    expect(describeSwarm(plan!)).toBe('flaky: on loss 0.028, reorder, latency 1ms..21ms uniform; off duplicate');
  });

  it('shows a kind this build does not know (a trace from another version) as recorded', () => {
    expect(describeSwarm({ profile: 'chaos', swarm: { quake: { meanUs: 5 }, loss: null }, swarmOn: ['quake'], scenario: null })).toBe(
      'chaos: on quake {"meanUs":5}; off loss',
    );
  });
});

describe('describeScenario', () => {
  it('names the file (or scenario()) and counts the steps', () => {
    expect(describeScenario({ file: 'a.json', steps: 1 })).toBe('a.json: 1 step, applied as scripted steps ("by":"script" in the trace)');
    expect(describeScenario({ file: null, steps: 3 })).toBe('scenario(): 3 steps, applied as scripted steps ("by":"script" in the trace)');
  });
});

describe('flagsForOptions with a plan', () => {
  it('adds --profile and --scenario, and states the settle outright when --time moved it', () => {
    const baseline = resolvePlan({ timeUs: sec(2) }, { seed: 4, profile: 'chaos' }).options;
    const planned = resolvePlan({ timeUs: sec(2) }, { seed: 4, profile: 'chaos', timeUs: sec(5) });
    expect(flagsForOptions(planned.options, baseline, { ...planned.plan!, scenario: { file: 'my plan.json', steps: 2 } })).toEqual([
      '--seed 4',
      '--profile chaos',
      "--scenario 'my plan.json'",
      '--time 5s',
      '--settle 1s',
    ]);
  });

  it('adds nothing without a plan', () => {
    const options = resolvePlan({}, { seed: 4 }).options;
    expect(flagsForOptions(options, options)).toEqual(['--seed 4']);
  });
});
