/**
 * Each network fault draws from its own stream (DESIGN rule 4): switching one
 * on leaves everything before its first event exactly as it was, and never
 * moves the crash and partition plans. And the bundled models, under every
 * network fault at once, replay identically.
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, runSimulation, type ModelDefinition, type SimOptionsInput, type TraceEventKind } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { MODELS, NETWORK_FAULT_OPTIONS } from '../fixtures/print-trace.ts';
import { meshModel, record } from '../support/mesh.ts';

const MESH = meshModel(5, 2_000);
const BASE: SimOptionsInput = { seed: 21, timeUs: 400_000, network: { lossRate: 0.05, duplicateRate: 0.05 } };

describe('one stream per network fault', () => {
  it.each<[string, SimOptionsInput, TraceEventKind]>([
    ['corruption', { network: { ...BASE.network, corruptRate: 0.01 } }, 'corrupt'],
    ['the adversary', { network: { ...BASE.network, adversary: { forgeRate: 0.002, replayRate: 0.002, tamperRate: 0.002 } } }, 'adversary'],
    ['swizzle-clogs', { faults: { clog: { meanIntervalUs: 100_000 } } }, 'clog'],
  ])('switching on %s changes nothing before its first event', (_name, extra, kind) => {
    const plain = record(MESH, BASE).sink.lines;
    const faulty = record(MESH, { ...BASE, ...extra }).sink.lines;
    const first = faulty.findIndex((line) => line.includes(`"kind":"${kind}"`));
    expect(first).toBeGreaterThan(100);
    expect(faulty.slice(1, first)).toEqual(plain.slice(1, first));
  });

  it('network faults never move the crash and partition plans', () => {
    const plans: SimOptionsInput = { ...BASE, faults: { crash: { meanIntervalUs: 30_000 }, partition: { meanIntervalUs: 30_000, duration: { minUs: 20_000, maxUs: 60_000 } } } };
    const everything: SimOptionsInput = {
      ...plans,
      network: { ...BASE.network, corruptRate: 0.05, capacity: { inboxMax: 4, overflow: 'backpressure' }, adversary: { forgeRate: 0.05, replayRate: 0.05, tamperRate: 0.05 } },
      faults: { ...plans.faults, clog: { meanIntervalUs: 40_000 } },
    };
    const planEvents = (options: SimOptionsInput): string[] =>
      record(MESH, options).events.filter((e) => ['crash', 'restart', 'partition', 'heal'].includes(e.kind)).map((e) => JSON.stringify({ ...e, n: 0 }));
    const without = planEvents(plans);
    expect(without.length).toBeGreaterThan(10);
    expect(planEvents(everything)).toEqual(without);
  });
});

describe('the bundled models under every network fault', () => {
  it.each(Object.entries(MODELS))('%s replays identically for seeds 1-3', (_name, model: ModelDefinition) => {
    for (const seed of [1, 2, 3]) {
      const sink = new MemorySink();
      const result = runSimulation(model, { ...NETWORK_FAULT_OPTIONS, seed }, { sinks: [sink] });
      const replay = replayTrace(parseTrace(sink.text(), `seed ${seed}`), model);
      expect(replay.divergence).toBeNull();
      expect(replay.result.traceHash).toBe(result.traceHash);
      sink.lines.slice(1).forEach((line, i) => expect(line).toBe(JSON.stringify(sink.events[i])));
    }
  });
});
