/**
 * Scripted scenarios: the fluent builder, the steps happening at their times
 * as `"by":"script"` events with their effect on the model, replay, and the
 * refusals (bad times, bad arguments, unknown nodes, steps past the budget).
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation, ms, sec, scenario, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { chatter } from './chatter-model.ts';

const FAULT_KINDS = new Set(['crash', 'restart', 'partition', 'heal']);

function record(options: SimOptionsInput) {
  const sink = new MemorySink();
  const sim = new Simulation(chatter, options, { sinks: [sink] });
  const result = sim.run();
  return { sim, result, sink, events: sink.events };
}

const faultEvents = (events: readonly TraceEvent[]) => events.filter((e) => FAULT_KINDS.has(e.kind));

const PLAN = scenario()
  .at(ms(200))
  .partition(['peer0'], ['peer1', 'peer2'])
  .at(ms(900))
  .heal()
  .at(sec(1))
  .crash('peer1')
  .at(ms(1_500))
  .restart('peer1');

describe('scenario()', () => {
  it('builds a list of timed steps in the JSON shape of a scenario file', () => {
    expect(PLAN.steps).toEqual([
      { atUs: ms(200), action: 'partition', args: [['peer0'], ['peer1', 'peer2']] },
      { atUs: ms(900), action: 'heal', args: true },
      { atUs: sec(1), action: 'crash', args: 'peer1' },
      { atUs: ms(1_500), action: 'restart', args: 'peer1' },
    ]);
    expect(PLAN.source).toBe('scenario()');
    expect(PLAN.file).toBeNull();
  });

  it('keeps several steps at one time in the order given, and copies its arguments', () => {
    const group = ['peer0'];
    const built = scenario().at(ms(5)).crash('peer0').restart('peer0').partition(group).step('heal', true);
    group.push('peer1');
    expect(built.steps.map((s) => [s.atUs, s.action])).toEqual([[ms(5), 'crash'], [ms(5), 'restart'], [ms(5), 'partition'], [ms(5), 'heal']]);
    expect(built.steps[2]?.args).toEqual([['peer0']]);
  });

  it('refuses a time going back, a bad time, an unknown action and bad arguments, naming the step', () => {
    expectInputError(() => scenario().at(ms(900)).heal().at(ms(200)), 'at(200ms) comes after at(900ms)');
    expectInputError(() => scenario().at(-1), 'time must be a non-negative integer');
    expectInputError(() => scenario().at(1.5), 'time must be a non-negative integer');
    expectInputError(() => scenario().heal().step('explode', true), 'scenario(): steps[1]: unknown action "explode" (known: crash, restart, partition, heal, isolate, bridge, partitionOneWay, clog, unclog, pause, skew, jump, diskFull)');
    expectInputError(() => scenario().crash(3 as unknown as string), 'scenario(): steps[0] (crash): expects a node id');
    expectInputError(() => scenario().partition(), 'steps[0] (partition): expects a list of node groups');
    expectInputError(() => scenario().partition(['peer0'], ['peer0']), 'names node "peer0" in two groups');
    expectInputError(() => scenario().step('heal', false), 'steps[0] (heal): expects true');
  });
});

describe('a simulation playing a scenario', () => {
  const { result, sink, events } = record({ seed: 3, scenario: PLAN });

  it('applies each step at its time, marked "by":"script", and nothing else crashes or partitions', () => {
    expect(faultEvents(events).map((e) => ({ ...e, n: 0 }))).toEqual([
      { n: 0, timeUs: ms(200), kind: 'partition', groups: [['peer0'], ['peer1', 'peer2']], by: 'script' },
      { n: 0, timeUs: ms(900), kind: 'heal', by: 'script' },
      { n: 0, timeUs: sec(1), kind: 'crash', node: 'peer1', lostWrites: 0, lostTimers: 1, by: 'script' },
      { n: 0, timeUs: ms(1_500), kind: 'restart', node: 'peer1', by: 'script' },
    ]);
    expect(result.stats).toMatchObject({ crashes: 1, restarts: 1, partitions: 1 });
    expect(result.outcome).toBe('pass');
  });

  it('has the effects of the steps: cross-group messages dropped only while partitioned, peer1 silent while down', () => {
    const partitionDrops = events.filter((e) => e.kind === 'drop' && e.reason === 'partition');
    expect(partitionDrops.length).toBeGreaterThan(10);
    for (const drop of partitionDrops) {
      expect(drop.timeUs).toBeGreaterThanOrEqual(ms(200));
      expect(drop.timeUs).toBeLessThan(ms(900) + ms(10));
    }
    const peer1Sends = events.filter((e) => e.kind === 'send' && e.from === 'peer1');
    expect(peer1Sends.some((e) => e.timeUs > sec(1) && e.timeUs < ms(1_500))).toBe(false);
    expect(peer1Sends.some((e) => e.timeUs > ms(1_500))).toBe(true);
  });

  it('records the scenario in the header plan, and replays identically (replay re-applies the scripted steps)', () => {
    const trace = parseTrace(sink.text(), 'scenario.jsonl');
    expect(trace.header.plan).toEqual({ profile: null, swarm: null, swarmOn: [], scenario: { file: null, steps: 4 } });
    const replay = replayTrace(trace, chatter);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(result.traceHash);
  });

  it('is the same run as the same steps given through sim.at() by hand', () => {
    const sinkByHand = new MemorySink();
    const sim = new Simulation(chatter, { seed: 3 }, { sinks: [sinkByHand] });
    sim.at(ms(200), (c) => c.partition([['peer0'], ['peer1', 'peer2']]));
    sim.at(ms(900), (c) => c.heal());
    sim.at(sec(1), (c) => c.crash('peer1'));
    sim.at(ms(1_500), (c) => c.restart('peer1'));
    expect(sim.run().traceHash).toBe(result.traceHash);
    // The event lines are the same; only the header's plan record differs.
    expect(sinkByHand.text().split('\n').slice(1)).toEqual(sink.text().split('\n').slice(1));
  });

  it('combines with a profile: the swarm faults and the scripted steps both happen, and the trace replays', () => {
    const both = record({ seed: 2, profile: 'crashes', scenario: scenario().at(ms(300)).partition(['peer2']).at(ms(600)).heal() });
    const kinds = faultEvents(both.events).map((e) => `${e.kind}${'by' in e ? '/script' : ''}`);
    expect(kinds).toContain('partition/script');
    expect(kinds).toContain('crash');
    expect(both.result.plan?.profile).toBe('crashes');
    expect(both.result.plan?.scenario).toEqual({ file: null, steps: 2 });
    expect(replayTrace(parseTrace(both.sink.text(), 'both.jsonl'), chatter).divergence).toBeNull();
  });

  it('without a scenario, no scripted event ever appears', () => {
    const plain = record({ seed: 3 });
    expect(plain.events.some((e) => 'by' in e)).toBe(false);
    expect(faultEvents(plain.events)).toEqual([]);
  });
});

describe('a scenario checked against the run', () => {
  it('refuses an unknown node, naming the step and the nodes', () => {
    expectInputError(
      () => new Simulation(chatter, { scenario: scenario().at(ms(10)).heal().crash('server9') }),
      'scenario(): steps[1] (crash): unknown node "server9" (nodes: peer0, peer1, peer2)',
    );
    expectInputError(() => new Simulation(chatter, { scenario: scenario().partition(['peer0'], ['nobody']) }), 'steps[0] (partition): unknown node "nobody"');
  });

  it('refuses a step after the time budget, and accepts one exactly at it', () => {
    expectInputError(
      () => new Simulation(chatter, { timeUs: sec(2), scenario: scenario().at(sec(3)).crash('peer0') }),
      'steps[0] (crash): at 3s is after the time budget timeUs (--time) of 2s',
    );
    const atEnd = record({ timeUs: sec(2), scenario: scenario().at(sec(2)).crash('peer0') });
    expect(faultEvents(atEnd.events)).toMatchObject([{ kind: 'crash', timeUs: sec(2), by: 'script' }]);
  });

  it('refuses a hand-built scenario whose steps go back in time or name an unknown action', () => {
    const backwards = { source: 'mine', file: null, steps: [{ atUs: 20, action: 'heal', args: true }, { atUs: 10, action: 'heal', args: true }] };
    expectInputError(() => new Simulation(chatter, { scenario: backwards }), 'mine: steps[1]: at 10us is before the step ahead of it (20us)');
    const unknown = { source: 'mine', file: null, steps: [{ atUs: 20, action: 'explode', args: true }] };
    expectInputError(() => new Simulation(chatter, { scenario: unknown }), 'mine: steps[0]: unknown action "explode"');
  });
});
