/**
 * The auth-channel model on its hostile network (forgery, replay, tampering,
 * plus loss, duplication and crashes of every node): with a MAC and a
 * sequence number the service executes only genuine commands, each once, on
 * seeds 0-1999; each bug flag is caught on every one of seeds 0-499 by the
 * property that guards against it (figures in the model's README).
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, Simulation, type HistoryEvent } from '../../src/index.ts';
import model, { type Executed, type ServiceState } from '../../models/auth-channel/model.ts';
import { bugFlagFigures } from '../support/bug-flag-figures.ts';
import { describeFailures, sweepSeeds } from '../support/seed-sweep.ts';

const GUARD = 'every executed command was issued by its client, once';
const SWEEP_TIMEOUT_MS = 240_000;

describe('models/auth-channel', () => {
  it('correct: seeds 0-1999 pass under the default adversary', { timeout: SWEEP_TIMEOUT_MS }, () => {
    const { failures } = sweepSeeds(model, 2000);
    expect(failures, describeFailures('auth-channel', failures)).toEqual([]);
  });

  it('correct: the adversary acts and the service rejects forgeries and replays while executing genuine commands', () => {
    const result = runSimulation(model, { seed: 1 });
    expect(result.failure).toBeNull();
    expect(result.stats.forged + result.stats.tampered).toBeGreaterThan(20);
    expect(result.sometimes.map((s) => [s.name, s.firstSeenUs !== null])).toEqual([
      ['a forged or tampered command was rejected', true],
      ['a replayed command was refused', true],
    ]);
    expect(result.history.filter((e) => e.type === 'ok').length).toBeGreaterThan(100);
  });

  it('without the adversary the sometimes properties fail: a run where nobody attacks proves nothing', () => {
    const result = runSimulation(model, { seed: 1, network: { adversary: null } });
    expect(result.failure).toMatchObject({ kind: 'liveness', property: 'a forged or tampered command was rejected' });
  });

  for (const flag of ['trust-sender', 'no-replay-check']) {
    it(`${flag}: every one of seeds 0-499 fails, by "${GUARD}"`, { timeout: SWEEP_TIMEOUT_MS }, () => {
      expect(bugFlagFigures(model, flag, 500)).toEqual({ firstSeed: 0, caught: 500, caughtBy: [`safety: ${GUARD}`] });
    });
  }

  it('the guard judges the same log afresh once the history has grown: a verdict is cached per log and history length', () => {
    const guard = model.properties!.find((p) => p.name === GUARD)!;
    const command: Executed = { client: 'client0', seq: 1, to: 'a', amount: 5 };
    const invoke: HistoryEvent = { type: 'invoke', process: 0, time: 0, input: { f: 'transfer', ...command } };
    const log = [command];
    const viewWith = (history: HistoryEvent[]) =>
      ({ nowUs: 0, nodes: [], history, state: <S>(id: string) => (id === 'service0' ? ({ log } as S) : undefined) });
    // Not yet invoked: not genuine. Invoked (same log object): genuine.
    expect(guard.holds(viewWith([]))).toBe(false);
    expect(guard.holds(viewWith([invoke]))).toBe(true);
  });

  it('what the bugs executed: trust-sender a command no client issued as such, no-replay-check an issued one twice', () => {
    const entry = (c: Executed) => `${c.client}:${c.seq}:${c.to}:${c.amount}`;
    const issued = (history: readonly HistoryEvent[]) =>
      new Set(history.filter((e) => e.type === 'invoke').map((e) => entry(e.input as Executed)));
    const logOf = (flag: string) => {
      const sim = new Simulation(model, { seed: 0, bugs: [flag] });
      const result = sim.run();
      return { log: sim.stateOf<ServiceState>('service0')?.log ?? [], issued: issued(result.history) };
    };
    const forged = logOf('trust-sender');
    expect(forged.log.filter((e) => !forged.issued.has(entry(e)))).toHaveLength(1);
    const replayed = logOf('no-replay-check');
    const ids = replayed.log.map((e) => `${e.client}:${e.seq}`);
    expect(ids.length - new Set(ids).size).toBe(1);
    expect(replayed.log.every((e) => replayed.issued.has(entry(e)))).toBe(true);
  });
});
