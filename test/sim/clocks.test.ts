/**
 * Each node's own clock in a run: `ctx.now` reads true time + skew + drift +
 * jumps while the scheduler keeps true time; a timer of d µs takes d µs of the
 * node's clock (at its rate; jumps do not move it); the trace records both
 * times (`clockUs` on handler events, `clock-skew` at time 0, `clock-jump`).
 * With clocks off every node reads true time and the trace has none of it.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, InputError, MemorySink, ms, Simulation, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { driftUs } from '../../src/node/clocks.ts';
import { RandomStream } from '../../src/random/stream.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

type Msg = { from: string; sentAtClockUs: number };
type Timer = { kind: 'tick'; setAtClockUs: number; delayUs: number };

interface NodeState {
  /** ctx.now as each handler saw it, with the handler kind. */
  seen: { what: string; nowUs: number }[];
}

/** Three nodes; each ticks every TICK_US (on its own clock) and sends its clock reading to the next node. */
const TICK_US = ms(10);
const node = defineNode<NodeState, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(TICK_US, { kind: 'tick', setAtClockUs: ctx.now, delayUs: TICK_US });
    return { seen: [{ what: 'start', nowUs: ctx.now }] };
  },
  onMessage(state, _from, _msg, ctx) {
    state.seen.push({ what: 'deliver', nowUs: ctx.now });
  },
  onTimer(state, _timer, ctx) {
    state.seen.push({ what: 'timer', nowUs: ctx.now });
    const next = ctx.nodes[(ctx.nodes.indexOf(ctx.id) + 1) % ctx.nodes.length] as string;
    ctx.send(next, { from: ctx.id, sentAtClockUs: ctx.now });
    ctx.setTimer(TICK_US, { kind: 'tick', setAtClockUs: ctx.now, delayUs: TICK_US });
  },
});
const model = defineModel<Msg, Timer>({ name: 'clocked', description: 'three ticking nodes', roles: { n: { count: 3, node } } });

const CLOCKS = { skewUs: { minUs: -ms(40), maxUs: ms(40) }, driftPpm: { min: -50_000, max: 50_000 } };

function record(options: SimOptionsInput, control?: (sim: Simulation) => void) {
  const sink = new MemorySink();
  const sim = new Simulation(model, { seed: 11, timeUs: ms(300), ...options }, { sinks: [sink] });
  control?.(sim);
  const result = sim.run();
  return { sim, result, sink, events: sink.events };
}

const ofKind = <K extends TraceEvent['kind']>(events: readonly TraceEvent[], kind: K) =>
  events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
const HANDLER_KINDS = new Set(['start', 'restart', 'deliver', 'timer-fire']);
const nodeOf = (e: TraceEvent): string | null => (e.kind === 'deliver' ? e.to : 'node' in e ? e.node : null);

describe('clocks off (the default)', () => {
  it('every node reads true time: no clockUs, no clock events, ctx.now is the event time', () => {
    const { events, sim } = record({});
    expect(events.some((e) => e.clockUs !== undefined || e.kind === 'clock-skew' || e.kind === 'clock-jump')).toBe(false);
    const handled = events.filter((e) => HANDLER_KINDS.has(e.kind) && nodeOf(e) === 'n1');
    const seen = sim.stateOf<NodeState>('n1')?.seen ?? [];
    expect(seen.map((s) => s.nowUs)).toEqual(handled.map((e) => e.timeUs));
    expect(sim.clockOf('n1')).toEqual({ clockUs: ms(300), skewUs: 0, driftPpm: 0 });
  });

  it('a timer of d fires d later in true time', () => {
    const { events } = record({});
    for (const fire of ofKind(events, 'timer-fire').slice(0, 10)) expect(fire.timeUs % TICK_US).toBe(0);
  });
});

describe('clocks on', () => {
  const { events, sim, sink, result } = record({ clocks: CLOCKS });
  const skews = ofKind(events, 'clock-skew');

  it('records each node\'s clock at time 0, in node order, before any start, drawn from the clocks stream', () => {
    expect(events.slice(0, 3).map((e) => e.kind)).toEqual(['clock-skew', 'clock-skew', 'clock-skew']);
    const random = new RandomStream(11, 'clocks');
    skews.forEach((e, i) => {
      const skewUs = random.between(CLOCKS.skewUs.minUs, CLOCKS.skewUs.maxUs);
      const driftPpm = random.between(CLOCKS.driftPpm.min, CLOCKS.driftPpm.max);
      expect(e).toEqual({ n: i + 1, timeUs: 0, clockUs: skewUs, kind: 'clock-skew', node: `n${i}`, skewUs, driftPpm });
    });
    // The draws differ per node, so each really has its own clock.
    expect(new Set(skews.map((e) => e.skewUs)).size).toBe(3);
  });

  it('ctx.now is true time + skew + floor(t · drift / 1e6), and the trace carries it as clockUs on every handler event', () => {
    const handled = events.filter((e) => HANDLER_KINDS.has(e.kind));
    expect(handled.length).toBeGreaterThan(100);
    for (const e of handled) {
      const clock = skews.find((s) => s.node === nodeOf(e)) as Extract<TraceEvent, { kind: 'clock-skew' }>;
      expect(e.clockUs).toBe(e.timeUs + clock.skewUs + driftUs(e.timeUs, clock.driftPpm));
    }
    for (const id of sim.nodeIds) {
      const mine = handled.filter((e) => nodeOf(e) === id);
      expect(sim.stateOf<NodeState>(id)?.seen.map((s) => s.nowUs)).toEqual(mine.map((e) => e.clockUs));
    }
    // Events no handler runs for carry no clock.
    expect(events.filter((e) => e.kind === 'send' || e.kind === 'timer-set').every((e) => e.clockUs === undefined)).toBe(true);
  });

  it('a timer of d takes d of the node\'s own clock: a fast clock fires early in true time, a slow one late', () => {
    for (const clock of skews) {
      const fires = ofKind(events, 'timer-fire').filter((e) => e.node === clock.node);
      const sets = ofKind(events, 'timer-set').filter((e) => e.node === clock.node);
      for (const fire of fires) {
        const set = sets.find((s) => s.timer === fire.timer) as Extract<TraceEvent, { kind: 'timer-set' }>;
        const setClockUs = (set.payload as Timer).setAtClockUs;
        // At least d on its own clock, and one microsecond less of true time would have been too early.
        expect((fire.clockUs as number) - setClockUs).toBeGreaterThanOrEqual(TICK_US);
        const before = fire.timeUs - 1;
        expect(before + clock.skewUs + driftUs(before, clock.driftPpm) - setClockUs).toBeLessThan(TICK_US);
        expect(fire.timeUs).toBe(set.fireAtUs);
      }
      const trueGapUs = (fires[1] as TraceEvent).timeUs - (fires[0] as TraceEvent).timeUs;
      if (clock.driftPpm > 1_000) expect(trueGapUs).toBeLessThan(TICK_US);
      if (clock.driftPpm < -1_000) expect(trueGapUs).toBeGreaterThan(TICK_US);
    }
  });

  it('every line is exactly JSON.stringify of its event, clockUs right after timeUs', () => {
    const lines = sink.lines.slice(1);
    lines.forEach((line, i) => expect(line).toBe(JSON.stringify(events[i])));
    expect(lines.find((l) => l.includes('"kind":"deliver"'))).toMatch(/^\{"n":\d+,"timeUs":\d+,"clockUs":-?\d+,"kind":"deliver"/);
  });

  it('replays identically, and the seed decides the clocks', () => {
    const replay = replayTrace(parseTrace(sink.text(), 'memory'), model);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(result.traceHash);
    const other = record({ seed: 12, clocks: CLOCKS });
    expect(ofKind(other.events, 'clock-skew').map((e) => e.skewUs)).not.toEqual(skews.map((e) => e.skewUs));
  });

  it('a restarted node keeps its clock: same skew and drift after the crash', () => {
    const run = record({ clocks: CLOCKS }, (s) => {
      s.at(ms(100), (c) => c.crash('n1'));
      s.at(ms(150), (c) => c.restart('n1'));
    });
    const clock = ofKind(run.events, 'clock-skew').find((e) => e.node === 'n1') as Extract<TraceEvent, { kind: 'clock-skew' }>;
    const restart = ofKind(run.events, 'restart')[0] as TraceEvent;
    expect(restart.clockUs).toBe(ms(150) + clock.skewUs + driftUs(ms(150), clock.driftPpm));
    expect(run.sim.stateOf<NodeState>('n1')?.seen[0]).toEqual({ what: 'start', nowUs: restart.clockUs });
  });

  it('a paused node\'s clock keeps running: after the pause ctx.now has moved on by the pause', () => {
    const run = record({ clocks: { skewUs: { minUs: 500, maxUs: 500 }, driftPpm: { min: 0, max: 0 } } }, (s) => s.at(ms(101), (c) => c.pause('n0', ms(60))));
    const seen = run.sim.stateOf<NodeState>('n0')?.seen.filter((x) => x.what === 'timer') ?? [];
    const gaps = seen.slice(1).map((x, i) => x.nowUs - (seen[i] as { nowUs: number }).nowUs);
    // Ticks every 10 ms of its clock, except across the pause: after the tick at 100 ms, the one due at 110 ms fires at 161 ms.
    expect(gaps.filter((g) => g !== TICK_US)).toEqual([ms(61)]);
  });
});

describe('scripted skew and jump', () => {
  it('jump() steps ctx.now by exactly delta; a pending timer keeps its true fire time', () => {
    const plain = record({});
    const jumped = record({}, (s) => s.at(ms(55), (c) => c.jump('n0', -ms(30))));
    const firesOf = (events: readonly TraceEvent[]) => ofKind(events, 'timer-fire').filter((e) => e.node === 'n0').map((e) => e.timeUs);
    expect(firesOf(jumped.events)).toEqual(firesOf(plain.events));
    const jump = ofKind(jumped.events, 'clock-jump')[0];
    expect(jump).toMatchObject({ timeUs: ms(55), clockUs: ms(25), node: 'n0', deltaUs: -ms(30), by: 'script' });
    const after = jumped.events.filter((e) => e.kind === 'timer-fire' && e.node === 'n0' && e.timeUs > ms(55));
    for (const e of after) expect(e.clockUs).toBe(e.timeUs - ms(30));
    expect(jumped.result.stats.clockJumps).toBe(1);
  });

  it('with clocks off, switch clocks on from that moment: no clockUs before it, every handler event after', () => {
    const { events, sink } = record({}, (s) => s.at(ms(100), (c) => c.skew('n2', ms(7), 200_000)));
    const skew = ofKind(events, 'clock-skew')[0] as Extract<TraceEvent, { kind: 'clock-skew' }>;
    expect(skew).toEqual({ n: skew.n, timeUs: ms(100), clockUs: ms(107), kind: 'clock-skew', node: 'n2', skewUs: ms(7), driftPpm: 200_000, by: 'script' });
    expect(events.slice(0, skew.n - 1).some((e) => e.clockUs !== undefined)).toBe(false);
    const after = events.slice(skew.n).filter((e) => HANDLER_KINDS.has(e.kind));
    expect(after.length).toBeGreaterThan(10);
    for (const e of after) {
      // Other nodes read true time; n2 reads 7 ms ahead and runs 20 % fast from 100 ms on.
      const expected = nodeOf(e) === 'n2' ? e.timeUs + ms(7) + Math.floor(((e.timeUs - ms(100)) * 200_000) / 1e6) : e.timeUs;
      expect(e.clockUs, `event ${e.n}`).toBe(expected);
    }
    expect(replayTrace(parseTrace(sink.text(), 'memory'), model).divergence).toBeNull();
  });

  it('skew() without a drift keeps the drift; skew and jump traces replay identically', () => {
    const { events, sink } = record({ clocks: CLOCKS }, (s) => {
      s.at(ms(50), (c) => c.skew('n0', -ms(3)));
      s.at(ms(80), (c) => c.jump('n1', ms(12)));
      s.at(ms(80), (c) => c.jump('n1', -ms(2)));
    });
    const drawn = ofKind(events, 'clock-skew').find((e) => e.node === 'n0') as Extract<TraceEvent, { kind: 'clock-skew' }>;
    const scripted = ofKind(events, 'clock-skew').filter((e) => e.by === 'script');
    expect(scripted).toHaveLength(1);
    expect(scripted[0]).toMatchObject({ node: 'n0', skewUs: -ms(3), clockUs: ms(47), driftPpm: drawn.driftPpm });
    expect(ofKind(events, 'clock-jump').map((e) => e.deltaUs)).toEqual([ms(12), -ms(2)]);
    expect(replayTrace(parseTrace(sink.text(), 'memory'), model).divergence).toBeNull();
  });

  it('bad values are the test\'s InputError', () => {
    const cases: [string, (sim: Simulation) => void, RegExp][] = [
      ['a fractional skew', (s) => s.at(1, (c) => c.skew('n0', 1.5)), /skew\(\): skewUs must be an integer/],
      ['a skew over a day', (s) => s.at(1, (c) => c.skew('n0', 86_400_000_001)), /skew\(\): skewUs must be an integer/],
      ['a drift beyond 500000 ppm', (s) => s.at(1, (c) => c.skew('n0', 0, -600_000)), /skew\(\): driftPpm must be an integer between -500000 and 500000/],
      ['a NaN jump', (s) => s.at(1, (c) => c.jump('n0', Number.NaN)), /jump\(\): deltaUs must be an integer/],
      ['an unknown node', (s) => s.at(1, (c) => c.jump('n9', 5)), /jump: unknown node "n9"/],
    ];
    for (const [what, control, message] of cases) {
      const sim = new Simulation(model, { seed: 1, timeUs: ms(10) });
      control(sim);
      expect(() => sim.run(), what).toThrow(message);
    }
    expect(() => new Simulation(model, {}).skew('n0', 5)).toThrow(InputError);
  });
});
