/**
 * The README's figures for the bundled models under the profiles of the
 * issue-3 faults (seeds 0-99): which property fails on how many seeds, and
 * what those seeds have in common. None of the models validates payloads or
 * senders, so corruption and the adversary break them; register's liveness
 * property compares a client's clock (`ctx.now`) with true time, so clock
 * jumps and large skews break it too.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, type ModelDefinition, type RunResult } from '../../src/index.ts';
import pingPong from '../../models/ping-pong/model.ts';
import counter from '../../models/replicated-counter/model.ts';
import register from '../../models/register/model.ts';

const SEEDS = Array.from({ length: 100 }, (_, i) => i);
const HOSTILE_KINDS = ['corrupt', 'adversary'];

function failuresOf(model: unknown, profile: string): RunResult[] {
  return SEEDS.map((seed) => runSimulation(model as ModelDefinition, { seed, profile })).filter((r) => r.failure !== null);
}

/** Each failure is of `property`, on a seed whose swarm switched on one of `kinds`. */
function expectEach(failed: readonly RunResult[], property: string, kinds: readonly string[]): void {
  for (const run of failed) {
    expect(run.failure?.property, `seed ${run.seed}`).toBe(property);
    expect(run.plan?.swarmOn.some((kind) => kinds.includes(kind)), `seed ${run.seed}`).toBe(true);
  }
}

describe('register, seeds 0-99', () => {
  it('disk: 1 linearizability failure, on a seed with corrupt reads', () => {
    const failed = failuresOf(register, 'disk');
    expect(failed.map((r) => r.seed)).toEqual([55]);
    expectEach(failed, 'linearizable (register)', ['disk-corrupt']);
  });

  it('clocks: no failure (its liveness property reads true times from the history, not a client clock: it once failed 5 seeds)', () => {
    expect(failuresOf(register, 'clocks')).toEqual([]);
  });

  it('hostile: 80 linearizability failures', () => {
    const failed = failuresOf(register, 'hostile');
    expect(failed).toHaveLength(80);
    expectEach(failed, 'linearizable (register)', HOSTILE_KINDS);
  });
});

describe('ping-pong and replicated-counter, seeds 0-99', () => {
  it('ping-pong: 10 chaos and 72 hostile failures of "pong answers a ping", each with corruption or the adversary on', () => {
    for (const [profile, count] of [['chaos', 10], ['hostile', 72]] as const) {
      const failed = failuresOf(pingPong, profile);
      expect(failed, profile).toHaveLength(count);
      expectEach(failed, 'pong answers a ping', HOSTILE_KINDS);
    }
  });

  it('replicated-counter: 1 chaos and 15 hostile failures of "acknowledged increments survive crashes", each with corruption or the adversary on', () => {
    for (const [profile, count] of [['chaos', 1], ['hostile', 15]] as const) {
      const failed = failuresOf(counter, profile);
      expect(failed, profile).toHaveLength(count);
      expectEach(failed, 'acknowledged increments survive crashes', HOSTILE_KINDS);
    }
  });
});
