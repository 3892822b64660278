/**
 * The random plans of nodes and time: pauses (`faults.pause`, stream
 * `faults:pause`) and clock jumps (`clocks.jumps`, stream `faults:clock-jump`).
 * Each one happens, within its bounds, stops in the liveness phase, replays,
 * draws from its own stream only (the other kinds' faults are unchanged when
 * it is switched on), and leaves no trace when it is off.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, MemorySink, ms, Simulation, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { RandomStream } from '../../src/random/stream.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

type Msg = { hop: number };

/** Four peers, each sending to a random other peer every 5 ms and counting what it gets. */
const peer = defineNode<{ sent: number; got: number }, Msg, 'tick'>({
  start(ctx) {
    ctx.setTimer(ms(5), 'tick');
    return { sent: 0, got: 0 };
  },
  onMessage(state) {
    state.got++;
  },
  onTimer(state, _timer, ctx) {
    state.sent++;
    ctx.send(ctx.random.pick(ctx.peers), { hop: state.sent });
    ctx.setTimer(ms(5), 'tick');
  },
});

const model = defineModel<Msg, 'tick'>({ name: 'chatter', description: 'four peers chatting', roles: { peer: { count: 4, node: peer } } });

const PAUSE = { meanIntervalUs: ms(30), duration: { minUs: ms(5), maxUs: ms(40) }, maxPaused: 2 };
const JUMPS = { meanIntervalUs: ms(40), sizeUs: { minUs: ms(1), maxUs: ms(30) } };
const CLOCKS_WITH_JUMPS = { skewUs: { minUs: 0, maxUs: 0 }, driftPpm: { min: 0, max: 0 }, jumps: JUMPS };
const CRASH_AND_PARTITION: SimOptionsInput['faults'] = {
  crash: { meanIntervalUs: ms(60), downtime: { minUs: ms(10), maxUs: ms(50) }, maxDown: 1 },
  partition: { meanIntervalUs: ms(80), duration: { minUs: ms(10), maxUs: ms(60) } },
};

function record(options: SimOptionsInput) {
  const sink = new MemorySink();
  const sim = new Simulation(model, { timeUs: ms(1_000), ...options }, { sinks: [sink] });
  const result = sim.run();
  return { sim, result, sink, events: sink.events };
}

const ofKind = <K extends TraceEvent['kind']>(events: readonly TraceEvent[], kind: K) =>
  events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

/** The crash, restart, partition and heal events, reduced to what the fault plans decided. */
const otherFaults = (events: readonly TraceEvent[]) =>
  events.flatMap((e) => {
    if (e.kind === 'crash' || e.kind === 'restart') return [[e.kind, e.timeUs, e.node]];
    if (e.kind === 'partition') return [[e.kind, e.timeUs, JSON.stringify(e.groups)]];
    if (e.kind === 'heal') return [[e.kind, e.timeUs]];
    return [];
  });

const SEEDS = Array.from({ length: 10 }, (_, i) => i);

describe('random pauses', () => {
  const runs = SEEDS.map((seed) => record({ seed, faults: { pause: PAUSE } }));

  it.each(SEEDS)('seed %i: pauses happen, last a drawn duration, end in a resume at their end, never more than maxPaused at once', (seed) => {
    const { events, result } = runs[seed] as (typeof runs)[number];
    const pauses = ofKind(events, 'pause');
    expect(pauses.length).toBeGreaterThan(10);
    expect(result.stats.pauses).toBe(pauses.length);
    const paused = new Map<string, number>();
    for (const e of events) {
      if (e.kind === 'pause') {
        expect(e.by).toBeUndefined();
        expect(e.durationUs).toBeGreaterThanOrEqual(PAUSE.duration.minUs);
        expect(e.durationUs).toBeLessThanOrEqual(PAUSE.duration.maxUs);
        // The plan pauses only nodes that are not paused.
        expect(paused.has(e.node)).toBe(false);
        expect(e.untilUs).toBe(e.timeUs + e.durationUs);
        paused.set(e.node, e.untilUs);
        expect(paused.size).toBeLessThanOrEqual(PAUSE.maxPaused);
      } else if (e.kind === 'resume') {
        expect(e.timeUs).toBe(paused.get(e.node));
        paused.delete(e.node);
      } else if ((e.kind === 'deliver' && paused.has(e.to)) || (e.kind === 'timer-fire' && paused.has(e.node))) {
        throw new Error(`event ${e.n}: a paused node handled something`);
      }
    }
  });

  it('the pause plan reaches its cap: two nodes are paused at once on some seeds', () => {
    const overlapping = runs.filter(({ events }) => {
      let paused = 0;
      return events.some((e) => (e.kind === 'pause' ? ++paused : e.kind === 'resume' ? paused-- : paused) === 2);
    });
    expect(overlapping.length).toBeGreaterThan(0);
  });

  it('draws victims and durations from faults:pause alone: the first pause is the stream\'s first draws', () => {
    const { events } = runs[3] as (typeof runs)[number];
    const random = new RandomStream(3, 'faults:pause');
    const firstAtUs = 1 + random.exponential(PAUSE.meanIntervalUs);
    const victim = random.pick(['peer0', 'peer1', 'peer2', 'peer3']);
    const durationUs = random.between(PAUSE.duration.minUs, PAUSE.duration.maxUs);
    expect(ofKind(events, 'pause')[0]).toMatchObject({ timeUs: firstAtUs, node: victim, durationUs });
  });

  it('switching pauses on leaves the crash and partition faults exactly as they were', () => {
    for (const seed of SEEDS.slice(0, 5)) {
      const without = record({ seed, faults: CRASH_AND_PARTITION });
      const withPauses = record({ seed, faults: { ...CRASH_AND_PARTITION, pause: PAUSE } });
      expect(ofKind(withPauses.events, 'pause').length).toBeGreaterThan(0);
      expect(otherFaults(without.events).length).toBeGreaterThan(10);
      expect(otherFaults(withPauses.events)).toEqual(otherFaults(without.events));
    }
  });

  it('a crash of a paused node ends its pause (no resume) and drops what it held', () => {
    const crashed = SEEDS.flatMap((seed) => {
      const { events } = record({ seed, faults: { ...CRASH_AND_PARTITION, pause: PAUSE } });
      const paused = new Set<string>();
      const found: { events: TraceEvent[]; crash: TraceEvent }[] = [];
      for (const e of events) {
        if (e.kind === 'pause') paused.add(e.node);
        else if (e.kind === 'resume') paused.delete(e.node);
        else if (e.kind === 'crash' && paused.delete(e.node)) found.push({ events, crash: e });
      }
      return found;
    });
    expect(crashed.length).toBeGreaterThan(0);
    for (const { events, crash } of crashed) {
      const node = (crash as Extract<TraceEvent, { kind: 'crash' }>).node;
      const nextResume = events.slice(crash.n).find((e) => e.kind === 'resume' && e.node === node);
      const nextPause = events.slice(crash.n).find((e) => e.kind === 'pause' && e.node === node);
      // Any later resume of that node belongs to a later pause.
      if (nextResume !== undefined) expect(nextPause !== undefined && nextPause.n < nextResume.n).toBe(true);
    }
  });

  it('stops in the liveness phase: paused nodes resume at its start and no pause follows', () => {
    let resumedAtSettle = 0;
    for (const seed of SEEDS) {
      const { events, sim } = record({ seed, settleUs: ms(400), faults: { pause: { ...PAUSE, duration: { minUs: ms(50), maxUs: ms(200) } } } });
      const settle = ofKind(events, 'settle')[0] as TraceEvent;
      const after = events.slice(settle.n);
      expect(after.some((e) => e.kind === 'pause')).toBe(false);
      resumedAtSettle += after.filter((e) => e.kind === 'resume' && e.timeUs === settle.timeUs).length;
      for (const id of sim.nodeIds) expect(sim.isPaused(id)).toBe(false);
    }
    expect(resumedAtSettle).toBeGreaterThan(0);
  });

  it('replays identically', () => {
    const { sink, result } = runs[0] as (typeof runs)[number];
    const replay = replayTrace(parseTrace(sink.text(), 'memory'), model);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(result.traceHash);
  });

  it('off (the default, or null): no pause, no resume, and the same run as before', () => {
    for (const seed of SEEDS.slice(0, 3)) {
      const plain = record({ seed, faults: CRASH_AND_PARTITION });
      const explicit = record({ seed, faults: { ...CRASH_AND_PARTITION, pause: null } });
      expect(plain.events.some((e) => e.kind === 'pause' || e.kind === 'resume')).toBe(false);
      expect(explicit.sink.lines).toEqual(plain.sink.lines);
      expect(plain.result.stats.pauses).toBe(0);
    }
  });
});

describe('random clock jumps', () => {
  const runs = SEEDS.map((seed) => record({ seed, clocks: CLOCKS_WITH_JUMPS }));

  it.each(SEEDS.slice(0, 5))('seed %i: jumps of a drawn size, both ways, each moving that node\'s clock by exactly its size', (seed) => {
    const { events, result } = runs[seed] as (typeof runs)[number];
    const jumps = ofKind(events, 'clock-jump');
    expect(jumps.length).toBeGreaterThan(10);
    expect(result.stats.clockJumps).toBe(jumps.length);
    const offset = new Map<string, number>();
    for (const e of jumps) {
      const size = Math.abs(e.deltaUs);
      expect(size).toBeGreaterThanOrEqual(JUMPS.sizeUs.minUs);
      expect(size).toBeLessThanOrEqual(JUMPS.sizeUs.maxUs);
      // No drift and no skew: the clock is true time plus the jumps so far.
      offset.set(e.node, (offset.get(e.node) ?? 0) + e.deltaUs);
      expect(e.clockUs).toBe(e.timeUs + (offset.get(e.node) as number));
    }
    expect(jumps.some((e) => e.deltaUs > 0) && jumps.some((e) => e.deltaUs < 0)).toBe(true);
  });

  it('draws node, size and direction from faults:clock-jump alone', () => {
    const { events } = runs[2] as (typeof runs)[number];
    const random = new RandomStream(2, 'faults:clock-jump');
    const atUs = 1 + random.exponential(JUMPS.meanIntervalUs);
    const node = `peer${random.int(4)}`;
    const size = random.between(JUMPS.sizeUs.minUs, JUMPS.sizeUs.maxUs);
    const deltaUs = random.chance(0.5) ? size : -size;
    expect(ofKind(events, 'clock-jump')[0]).toMatchObject({ timeUs: atUs, node, deltaUs });
  });

  it('switching jumps on leaves crashes, partitions and pauses exactly as they were', () => {
    for (const seed of SEEDS.slice(0, 4)) {
      const faults = { ...CRASH_AND_PARTITION, pause: PAUSE };
      const without = record({ seed, faults });
      const withJumps = record({ seed, faults, clocks: CLOCKS_WITH_JUMPS });
      const pausesOf = (events: readonly TraceEvent[]) => ofKind(events, 'pause').map((e) => [e.timeUs, e.node, e.durationUs]);
      expect(ofKind(withJumps.events, 'clock-jump').length).toBeGreaterThan(0);
      expect(otherFaults(withJumps.events)).toEqual(otherFaults(without.events));
      expect(pausesOf(withJumps.events)).toEqual(pausesOf(without.events));
    }
  });

  it('stop in the liveness phase', () => {
    const { events } = record({ seed: 1, settleUs: ms(500), clocks: CLOCKS_WITH_JUMPS });
    const settle = ofKind(events, 'settle')[0] as TraceEvent;
    expect(ofKind(events.slice(0, settle.n), 'clock-jump').length).toBeGreaterThan(3);
    expect(ofKind(events.slice(settle.n), 'clock-jump')).toEqual([]);
  });

  it('replay identically', () => {
    const { sink, result } = runs[1] as (typeof runs)[number];
    const replay = replayTrace(parseTrace(sink.text(), 'memory'), model);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(result.traceHash);
  });

  it('off (clocks without jumps, or no clocks): no clock-jump event', () => {
    const noJumps = record({ seed: 1, clocks: { ...CLOCKS_WITH_JUMPS, jumps: null } });
    const noClocks = record({ seed: 1 });
    expect(ofKind(noJumps.events, 'clock-jump')).toEqual([]);
    expect(ofKind(noClocks.events, 'clock-jump')).toEqual([]);
    expect(noClocks.result.stats.clockJumps).toBe(0);
  });
});
