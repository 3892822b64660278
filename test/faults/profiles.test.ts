/**
 * Profiles on a tiny model: each switches on only its own kinds (calm never
 * drops a message, crashes never partitions, ...), gives the run a liveness
 * phase, yields to the user's options, is recorded in the trace header and
 * the result, replays identically, and changes nothing when it is not asked for.
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation, resolveOptions, ms, sec, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { resolvePlan } from '../../src/faults/plan.ts';
import { profileNames } from '../../src/faults/profiles.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { chatter } from './chatter-model.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i);

function record(options: SimOptionsInput) {
  const sink = new MemorySink();
  const result = new Simulation(chatter, options, { sinks: [sink] }).run();
  return { result, sink, events: sink.events };
}

/** How often each fault shows up in a run's trace. */
function faultCounts(events: readonly TraceEvent[]) {
  const count = (pred: (e: TraceEvent) => boolean): number => events.filter(pred).length;
  return {
    loss: count((e) => e.kind === 'drop' && e.reason === 'loss'),
    partitionDrops: count((e) => e.kind === 'drop' && e.reason === 'partition'),
    duplicate: count((e) => e.kind === 'duplicate'),
    crash: count((e) => e.kind === 'crash'),
    partition: count((e) => e.kind === 'partition'),
    // A message that overtook an earlier one on the same link.
    overtaken: overtakes(events),
  };
}

function overtakes(events: readonly TraceEvent[]): number {
  const lastSent = new Map<string, number>();
  let count = 0;
  for (const e of events) {
    if (e.kind !== 'deliver') continue;
    const link = `${e.from}>${e.to}`;
    if ((lastSent.get(link) ?? -1) > e.msg) count++;
    lastSent.set(link, Math.max(lastSent.get(link) ?? -1, e.msg));
  }
  return count;
}

const runsOf = (profile: string) => SEEDS.map((seed) => ({ seed, ...record({ seed, profile }) }));
const total = (runs: ReturnType<typeof runsOf>, key: keyof ReturnType<typeof faultCounts>): number =>
  runs.reduce((sum, run) => sum + faultCounts(run.events)[key], 0);

describe('each profile switches on only its kinds (chatter, seeds 0-19)', () => {
  it('calm: no loss, duplicate, reordering, crash or partition, and latency within 1ms..2ms', () => {
    const runs = runsOf('calm');
    for (const key of ['loss', 'duplicate', 'crash', 'partition', 'overtaken', 'partitionDrops'] as const) expect(total(runs, key), key).toBe(0);
    for (const { events } of runs) {
      for (const e of events) if (e.kind === 'send' && e.deliverAtUs !== null) expect(e.deliverAtUs - e.timeUs).toBeLessThanOrEqual(ms(2));
    }
    expect(runs.every((r) => r.result.outcome === 'pass')).toBe(true);
  });

  it('crashes: crashes and restarts, never a partition, a lost message or a duplicate', () => {
    const runs = runsOf('crashes');
    expect(total(runs, 'crash')).toBeGreaterThanOrEqual(20);
    for (const key of ['loss', 'duplicate', 'partition', 'overtaken'] as const) expect(total(runs, key), key).toBe(0);
  });

  it('partitions: partitions that drop messages, never a crash, a lost message or a duplicate', () => {
    const runs = runsOf('partitions');
    // A seed may draw a mean gap longer than the 1.6 s before the liveness phase (swarm: some seeds are gentle).
    expect(runs.filter((r) => faultCounts(r.events).partition >= 1).length).toBeGreaterThanOrEqual(14);
    expect(total(runs, 'partitionDrops')).toBeGreaterThan(100);
    for (const key of ['loss', 'duplicate', 'crash', 'overtaken'] as const) expect(total(runs, key), key).toBe(0);
  });

  it('flaky: loss, duplicates and reordering on some seeds, never a crash or a partition', () => {
    const runs = runsOf('flaky');
    for (const key of ['crash', 'partition'] as const) expect(total(runs, key), key).toBe(0);
    const seedsWith = (key: 'loss' | 'duplicate' | 'overtaken'): number => runs.filter((r) => faultCounts(r.events)[key] > 0).length;
    // Each kind is on for some seeds and off for others (chances 0.5-0.6 of 20 seeds).
    for (const key of ['loss', 'duplicate', 'overtaken'] as const) {
      expect(seedsWith(key), key).toBeGreaterThan(3);
      expect(seedsWith(key), key).toBeLessThan(18);
    }
    // What the swarm left off never shows up: no loss event in a run whose swarm said loss off.
    for (const run of runs) {
      if (run.result.plan?.swarm?.['loss'] === null) expect(faultCounts(run.events).loss).toBe(0);
      if (run.result.plan?.swarm?.['duplicate'] === null) expect(faultCounts(run.events).duplicate).toBe(0);
      if (run.result.plan?.swarm?.['reorder'] === null) expect(faultCounts(run.events).overtaken).toBe(0);
    }
  });

  it('chaos: across seeds every kind happens, and a kind the swarm left off never does', () => {
    const runs = runsOf('chaos');
    for (const key of ['loss', 'duplicate', 'crash', 'partition', 'overtaken'] as const) expect(total(runs, key), key).toBeGreaterThan(0);
    for (const run of runs) {
      const swarm = run.result.plan?.swarm ?? {};
      if (swarm['crash'] === null) expect(faultCounts(run.events).crash).toBe(0);
      if (swarm['partition'] === null) expect(faultCounts(run.events).partition).toBe(0);
      if (swarm['loss'] === null) expect(faultCounts(run.events).loss).toBe(0);
    }
  });
});

describe('what a profile sets', () => {
  it('gives the run a liveness phase of the last 20% of the time budget, after which no random fault happens', () => {
    for (const seed of SEEDS.slice(0, 8)) {
      const { result, events } = record({ seed, profile: 'chaos', timeUs: sec(2) });
      expect(result.options.settleUs).toBe(ms(400));
      const settle = events.find((e) => e.kind === 'settle');
      expect(settle?.timeUs).toBe(ms(1_600));
      const after = events.filter((e) => e.n > (settle?.n ?? 0) && (e.kind === 'crash' || e.kind === 'partition'));
      expect(after).toEqual([]);
      // The eventually property (every peer up) is judged after it and holds.
      expect(result.outcome).toBe('pass');
    }
  });

  it('keeps a settle the model or the user gave', () => {
    const withModelSettle = { ...chatter.defaults, settleUs: ms(300) };
    expect(resolvePlan(withModelSettle, { seed: 1, profile: 'crashes' }).options.settleUs).toBe(ms(300));
    expect(resolvePlan(chatter.defaults, { seed: 1, profile: 'crashes', settleUs: 0 }).options.settleUs).toBe(0);
    expect(resolvePlan(chatter.defaults, { seed: 1, profile: 'crashes', timeUs: sec(10) }).options.settleUs).toBe(sec(2));
  });

  it("lets the user's options override what the swarm chose", () => {
    const seed = SEEDS.find((s) => resolvePlan(chatter.defaults, { seed: s, profile: 'chaos' }).plan?.swarm?.['loss'] === null) ?? -1;
    expect(seed).toBeGreaterThanOrEqual(0);
    const chosen = resolvePlan(chatter.defaults, { seed, profile: 'chaos' });
    expect(chosen.options.network.lossRate).toBe(0);
    const overridden = resolvePlan(chatter.defaults, { seed, profile: 'chaos', network: { lossRate: 0.3 }, faults: { crash: null } });
    expect(overridden.options.network.lossRate).toBe(0.3);
    expect(overridden.options.faults.crash).toBeNull();
    // Everything else is what the swarm chose; the record still shows the swarm's own choices.
    expect(overridden.options.faults.partition).toEqual(chosen.options.faults.partition);
    expect(overridden.plan?.swarm).toEqual(chosen.plan?.swarm);
  });

  it('overrides the model defaults it covers (a model default crash plan is off under partitions)', () => {
    const defaults = { faults: { crash: { meanIntervalUs: ms(50) } }, network: { lossRate: 0.2 } };
    const planned = resolvePlan(defaults, { seed: 3, profile: 'partitions' });
    expect(planned.options.faults.crash).toBeNull();
    expect(planned.options.network.lossRate).toBe(0);
    expect(planned.options.faults.partition).not.toBeNull();
  });

  it('refuses an unknown profile, naming it and the known ones', () => {
    expectInputError(() => new Simulation(chatter, { profile: 'earthquake' }), 'unknown profile "earthquake"', 'known: calm, flaky, partitions, crashes, disk, clocks, hostile, chaos');
    expectInputError(() => new Simulation(chatter, { profile: 3 as unknown as string }), 'profile must be the name of a profile');
    expectInputError(() => resolveOptions({ profile: 'calm' }), '"profile" and "scenario" are resolved by new Simulation()');
    expect(profileNames()).toEqual(['calm', 'flaky', 'partitions', 'crashes', 'disk', 'clocks', 'hostile', 'chaos']);
  });
});

describe('the record of a profile run', () => {
  it('is in the header (profile, swarm choices, concrete options) and the result, and the trace replays identically', () => {
    const { result, sink } = record({ seed: 4, profile: 'chaos' });
    const trace = parseTrace(sink.text(), 'chaos.jsonl');
    expect(trace.header.plan).toEqual({ profile: 'chaos', swarm: result.plan?.swarm, swarmOn: result.plan?.swarmOn, scenario: null });
    expect(Object.keys(trace.header.plan?.swarm ?? {})).toEqual([
      'loss', 'duplicate', 'reorder', 'latency', 'crash', 'partition', 'partition-shapes', 'clog', 'pause', 'clock', 'clock-jump', 'corrupt', 'adversary',
      'torn-writes', 'disk-corrupt',
    ]);
    expect(trace.header.options).toEqual(result.options);
    // Concrete options: no profile to draw again.
    expect(JSON.stringify(trace.header.options)).not.toContain('profile');
    const replay = replayTrace(trace, chatter);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(result.traceHash);
    expect(replay.result.plan).toEqual(result.plan);
  });

  it('is absent without a profile: header, options and hash are exactly those of a plain run', () => {
    const plain = record({ seed: 4 });
    const header = JSON.parse(plain.sink.text().split('\n')[0] as string) as Record<string, unknown>;
    expect(Object.keys(header)).toEqual(['format', 'version', 'faultline', 'model', 'modelName', 'seed', 'options']);
    expect(plain.result.plan).toBeUndefined();
    expect(plain.result.options).toEqual(resolveOptions(chatter.defaults, { seed: 4 }));
    // A calm profile differs from the plain run (it changes the network), so the plan is really applied.
    expect(record({ seed: 4, profile: 'calm' }).result.traceHash).not.toBe(plain.result.traceHash);
  });

  it('gives the same trace for the same seed and profile, and another for another seed', () => {
    const a = record({ seed: 9, profile: 'chaos' });
    const b = record({ seed: 9, profile: 'chaos' });
    expect(b.sink.text()).toBe(a.sink.text());
    expect(record({ seed: 10, profile: 'chaos' }).result.traceHash).not.toBe(a.result.traceHash);
  });
});

describe('a trace header whose plan is not an object', () => {
  it('is refused naming the field', () => {
    const { sink } = record({ seed: 1, profile: 'calm' });
    const [head, ...rest] = sink.text().split('\n');
    const header = JSON.parse(head as string) as Record<string, unknown>;
    expectInputError(() => parseTrace([JSON.stringify({ ...header, plan: 'chaos' }), ...rest].join('\n'), 't.jsonl'), 't.jsonl:1: header field "plan" must be an object');
  });
});
