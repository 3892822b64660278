/**
 * A model's nemeses (src/node/nemesis.ts, src/faults/nemesis-schedule.ts) on
 * the fixture model of test/fixtures/cli/nemesis-model.ts: a nemesis looks
 * every intervalUs, acts through scripted steps traced and counted like any
 * crash, keeps its memory per run, stops when the liveness phase begins, and
 * is refused by name when the model does not declare it.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, InputError, ModelDefinitionError, ms, runSimulation, Simulation, type SimOptionsInput } from '../../src/index.ts';
import { MemorySink } from '../../src/trace/sink.ts';
import model, { DOWN_US, LOOK_US } from '../fixtures/cli/nemesis-model.ts';

const NEMESIS = 'crash-every-other-look';

/** The crash and restart events of a run of the fixture, with the run's result. */
function runTraced(options: SimOptionsInput) {
  const sink = new MemorySink();
  const result = new Simulation(model, { seed: 5, nemeses: [NEMESIS], ...options }, { sinks: [sink] }).run();
  const faults = sink.events.filter((e) => e.kind === 'crash' || e.kind === 'restart');
  return { result, faults, header: sink.headerValue };
}

describe('nemeses', () => {
  it('acts on every second look of every intervalUs until the liveness phase, as scripted crashes and restarts', () => {
    const { result, faults } = runTraced({});
    // Looks at 20, 40, ..., 180 ms; the liveness phase begins at 200 ms (300 ms budget, 100 ms settle).
    const crashTimes = faults.filter((e) => e.kind === 'crash').map((e) => e.timeUs);
    expect(crashTimes).toEqual([2, 4, 6, 8].map((look) => look * LOOK_US));
    const restartTimes = faults.filter((e) => e.kind === 'restart').map((e) => e.timeUs);
    expect(restartTimes).toEqual(crashTimes.map((t) => t + DOWN_US));
    expect(faults.every((e) => 'by' in e && e.by === 'script')).toBe(true);
    expect(result.stats).toMatchObject({ crashes: 4, restarts: 4 });
    expect(result.failure).toBeNull();
  });

  it('without a liveness phase it acts until the time budget', () => {
    const { faults } = runTraced({ settleUs: 0 });
    expect(faults.filter((e) => e.kind === 'crash').map((e) => e.timeUs)).toEqual([2, 4, 6, 8, 10, 12, 14].map((look) => look * LOOK_US));
  });

  it('is off unless named, and the header records it only when on', () => {
    const off = runTraced({ nemeses: [] });
    expect(off.faults.filter((e) => e.kind === 'crash')).toEqual([]);
    expect(off.header?.options).not.toHaveProperty('nemeses');
    expect(runTraced({}).header?.options.nemeses).toEqual([NEMESIS]);
  });

  it('is deterministic: two runs of a seed (fresh memory each) give one trace; another seed draws other workers', () => {
    const first = runTraced({});
    const second = runTraced({});
    expect(second.result.traceHash).toBe(first.result.traceHash);
    const victims = (seed: number) => runTraced({ seed }).faults.filter((e) => e.kind === 'crash').map((e) => ('node' in e ? e.node : ''));
    const drawn = new Set([1, 2, 3, 4, 5, 6].map((seed) => victims(seed).join(',')));
    expect(drawn.size).toBeGreaterThan(1);
  });

  it('refuses a name the model does not declare, listing the ones it does', () => {
    expect(() => runSimulation(model, { nemeses: ['nope'] })).toThrow(InputError);
    expect(() => runSimulation(model, { nemeses: ['nope'] })).toThrow('unknown nemesis "nope" for model nemesis-model (known: crash-every-other-look)');
    expect(() => runSimulation(model, { nemeses: [NEMESIS, NEMESIS] })).toThrow('nemesis "crash-every-other-look" is named twice');
    expect(() => runSimulation(model, { nemeses: 'x' as unknown as string[] })).toThrow('nemeses must be an array of nemesis names, got "x"');
  });

  it('a nemesis that throws fails the run as a model crash', () => {
    const throwing = defineModel({
      ...model,
      nemeses: { boom: { description: 'throws', intervalUs: ms(10), act: () => { throw new Error('nemesis broke'); } } },
    });
    const result = runSimulation(throwing, { nemeses: ['boom'] });
    expect(result.failure).toMatchObject({ kind: 'model-crash', timeUs: ms(10) });
    expect(result.failure?.message).toContain('nemesis broke');
  });

  it('a model declaring a malformed nemesis is refused when defined', () => {
    const bad = (nemeses: unknown) => () => defineModel({ ...model, nemeses: nemeses as never });
    expect(bad({ x: { description: 'd', intervalUs: 0, act: () => undefined } })).toThrow(ModelDefinitionError);
    expect(bad({ x: { description: 'd', intervalUs: 0, act: () => undefined } })).toThrow('nemeses["x"].intervalUs must be a positive integer of microseconds, got 0');
    expect(bad({ x: { description: 'd', intervalUs: 5 } })).toThrow('nemeses["x"].act must be a function');
    expect(bad({ 'a b': { description: 'd', intervalUs: 5, act: () => undefined } })).toThrow('letters, digits and dashes');
    expect(bad([])).toThrow('"nemeses" must be an object');
  });
});
