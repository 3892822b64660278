/**
 * The bundled paxos model under its default faults: the correct variant keeps
 * one value chosen and teaches it to every proposer on seeds 0-1999, and the
 * ignore-promise bug is caught by the one-value property (figures in its README).
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type DurableStorage, type HistoryEvent, type NodeContext } from '../../src/index.ts';
import model from '../../models/paxos/model.ts';
import type { ProposerState } from '../../models/paxos/proposer.ts';
import { acceptor, type AcceptorState } from '../../models/paxos/acceptor.ts';
import type { Msg, Timer } from '../../models/paxos/messages.ts';
import { chosenValues } from '../../models/paxos/properties.ts';
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

  it('ignore-promise: first caught at seed 1; 76 of seeds 0-499 fail, every one as a safety failure of the one-value property', () => {
    expect(bugFlagFigures(model, 'ignore-promise', 500)).toEqual({ firstSeed: 1, caught: 76, caughtBy: [`safety: ${ONE_VALUE}`] });
  }, SWEEP_TIMEOUT_MS);

  it('a duplicated prepare gets the same promise again, not a rejection that would end its own ballot', () => {
    const sent: Msg[] = [];
    const storage = { get: () => undefined, put: () => {}, delete: () => {}, sync: () => {} };
    const ctx = { send: (_to: string, msg: Msg) => sent.push(msg), storage, bug: () => false } as unknown as NodeContext<Msg, Timer>;
    const state = acceptor.start(ctx, storage as unknown as DurableStorage) as AcceptorState;
    acceptor.onMessage!(state, 'proposer0', { kind: 'prepare', ballot: 17 }, ctx);
    acceptor.onMessage!(state, 'proposer0', { kind: 'prepare', ballot: 17 }, ctx);
    acceptor.onMessage!(state, 'proposer1', { kind: 'prepare', ballot: 16 }, ctx);
    expect(sent).toEqual([
      { kind: 'promise', ballot: 17, accepted: null },
      { kind: 'promise', ballot: 17, accepted: null },
      { kind: 'reject', ballot: 16, promised: 17 },
    ]);
  });

  it('forget-promise: first caught at seed 0; 9 of seeds 0-499 fail, every one as a safety failure of the one-value property', () => {
    expect(bugFlagFigures(model, 'forget-promise', 500)).toEqual({ firstSeed: 0, caught: 9, caughtBy: [`safety: ${ONE_VALUE}`] });
  }, SWEEP_TIMEOUT_MS);

  it('two values accepted by majorities count as chosen even when the acceptors that accepted them are down or forgot', () => {
    const accepted = (acceptor: string, ballot: number, value: string): HistoryEvent[] => [
      { type: 'invoke', process: 0, time: 0, input: { f: 'accepted', acceptor, ballot, value } },
      { type: 'ok', process: 0, time: 0 },
    ];
    const history = [...accepted('acceptor0', 17, 'a'), ...accepted('acceptor1', 17, 'a'), ...accepted('acceptor1', 18, 'b'), ...accepted('acceptor2', 18, 'b')];
    const amnesiac = { promised: 0, accepted: null };
    const nodes = ['acceptor0', 'acceptor1', 'acceptor2'].map((id, index) => ({ id, role: 'acceptor', up: index !== 0, state: index === 0 ? undefined : amnesiac }));
    const view = { nowUs: 0, nodes, history, state: <S>() => undefined as S | undefined };
    expect([...chosenValues(view)].sort()).toEqual(['a', 'b']);
  });
});
