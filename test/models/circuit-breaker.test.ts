/**
 * The bundled circuit-breaker model under its default faults (backend crashes,
 * duplication, a bounded inbox): with the breaker no request is dropped on
 * seeds 0-1999 and the breaker opens and closes again in every run; without
 * it (no-breaker) the slow backend's queue or the balancer's slots overflow,
 * caught by the safety property on seed 0 and on every seed of 0-499.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/index.ts';
import model, { DROP_FREE } from '../../models/circuit-breaker/model.ts';
import type { BalancerState } from '../../models/circuit-breaker/balancer.ts';
import { describeFailures, firstFailingSeed, sweepSeeds } from '../support/seed-sweep.ts';

describe('models/circuit-breaker', () => {
  it('correct: seeds 0-1999 pass under the default faults', () => {
    const sweep = sweepSeeds(model, 2_000);
    expect(sweep.failures, describeFailures('circuit-breaker', sweep.failures)).toEqual([]);
  }, 240_000);

  it('correct, seed 1: the slow backend\'s breaker opened and closed again; nothing was turned away', () => {
    let lb: BalancerState | undefined;
    const probe = { kind: 'eventually' as const, name: 'test: balancer', holds: (view: { state<S>(id: string): S | undefined }) => {
      lb = view.state<BalancerState>('lb0');
      return true;
    } };
    const result = runSimulation({ ...model, properties: [...(model.properties ?? []), probe] }, { seed: 1 });
    expect(result.failure).toBeNull();
    expect(lb?.breakers['backend0']?.opened).toBeGreaterThanOrEqual(1);
    expect(lb?.breakers['backend0']?.closed).toBeGreaterThanOrEqual(1);
    expect(lb?.rejectedFull).toBe(0);
    expect(lb?.pendingMax).toBeLessThanOrEqual(16);
  });

  it('correct, seed 1 with inboxes of 3 messages: a request dropped at a full inbox is never answered, and the drop property fails', () => {
    const result = runSimulation(model, { seed: 1, network: { duplicateRate: 0.01, capacity: { inboxMax: 3, overflow: 'drop' } } });
    expect(result.failure).toMatchObject({ kind: 'safety', property: DROP_FREE });
    expect(result.failure?.timeUs).toBe(1_656_660);
  });

  it('no-breaker: caught on seed 0 and on every seed of 0-499, as a safety failure of the drop property', () => {
    const first = firstFailingSeed(model, { bugs: ['no-breaker'] });
    expect(first?.seed).toBe(0);
    expect(first?.failure).toMatchObject({ kind: 'safety', property: DROP_FREE });
    const sweep = sweepSeeds(model, 500, { bugs: ['no-breaker'] });
    expect(sweep.failures.map(({ failure }) => `${failure.kind} ${failure.property}`)).toEqual(
      Array.from({ length: 500 }, () => `safety ${DROP_FREE}`),
    );
  }, 120_000);
});
