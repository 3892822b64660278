import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, ms } from '../../src/index.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemorySink } from '../../src/trace/sink.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import type { SimOptionsInput } from '../../src/sim/options.ts';

type Msg = { tick: number };
type Timer = 'tick';

const TICK_US = ms(1);
/** Fixed latency, so delivery times are known exactly. */
const LATENCY_US = ms(5);

/** a0 ticks every millisecond forever and sends each tick number to b0; b0 counts. */
const ticker = defineNode<{ ticks: number }, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(TICK_US, 'tick');
    return { ticks: 0 };
  },
  onTimer(state, _timer, ctx) {
    state.ticks++;
    ctx.send('b0', { tick: state.ticks });
    ctx.setTimer(TICK_US, 'tick');
  },
});

const counter = defineNode<{ received: number }, Msg, Timer>({
  start: () => ({ received: 0 }),
  onMessage(state) {
    state.received++;
  },
});

const endless = defineModel<Msg, Timer>({
  name: 'endless-ticker',
  description: 'a0 ticks forever and sends every tick to b0',
  roles: { a: { count: 1, node: ticker }, b: { count: 1, node: counter } },
  defaults: { network: { latency: { minUs: LATENCY_US, maxUs: LATENCY_US } } },
});

/** a0 sends three messages at start and then nothing happens ever again. */
const burst = defineModel<Msg, Timer>({
  name: 'burst',
  description: 'a0 sends three messages at start',
  roles: {
    a: {
      count: 1,
      node: defineNode<null, Msg, Timer>({
        start(ctx) {
          for (let i = 1; i <= 3; i++) ctx.send('b0', { tick: i });
          return null;
        },
      }),
    },
    b: { count: 1, node: counter },
  },
  defaults: { network: { latency: { minUs: LATENCY_US, maxUs: LATENCY_US } } },
});

function runWithTrace(model: typeof endless, options: SimOptionsInput) {
  const sink = new MemorySink();
  const sim = new Simulation(model, options, { sinks: [sink] });
  const result = sim.run();
  return { sim, result, events: sink.events };
}

const count = (events: TraceEvent[], kind: TraceEvent['kind']): number => events.filter((e) => e.kind === kind).length;

describe('time budget', () => {
  it('stops the run with endReason time-budget and records nothing after the budget', () => {
    const budgetUs = 10_500;
    const { sim, result, events } = runWithTrace(endless, { seed: 1, timeUs: budgetUs });
    expect(result.endReason).toBe('time-budget');
    expect(result.outcome).toBe('pass');
    expect(result.endTimeUs).toBe(budgetUs);
    const last = events[events.length - 1] as TraceEvent;
    expect(last.kind).toBe('end');
    expect(last.timeUs).toBe(budgetUs);
    expect(events.filter((e) => e.timeUs > budgetUs)).toEqual([]);
    // Ticks at 1, 2, ..., 10 ms fire; the one due at 11 ms does not.
    expect(count(events, 'timer-fire')).toBe(10);
    expect(sim.stateOf<{ ticks: number }>('a0')?.ticks).toBe(10);
    // Sends at 1..10 ms arrive 5 ms later; only those arriving by 10.5 ms (sent at 1..5 ms) are delivered.
    expect(count(events, 'deliver')).toBe(5);
    expect(sim.stateOf<{ received: number }>('b0')?.received).toBe(5);
    expect(result.stats.timersFired).toBe(10);
    expect(result.stats.delivered).toBe(5);
  });

  it('still runs an event due exactly at the budget', () => {
    const { result, events } = runWithTrace(endless, { seed: 1, timeUs: ms(10) });
    expect(result.endReason).toBe('time-budget');
    expect(count(events, 'timer-fire')).toBe(10);
    expect(events.filter((e) => e.kind === 'timer-fire').map((e) => e.timeUs)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i + 1) * TICK_US),
    );
  });

  it('with a budget of 0 only the starts at time 0 run', () => {
    const { result, events } = runWithTrace(endless, { seed: 1, timeUs: 0 });
    expect(result.endReason).toBe('time-budget');
    expect(result.steps).toBe(2);
    expect(events.map((e) => e.kind)).toEqual(['start', 'timer-set', 'start', 'end']);
  });
});

describe('event budget', () => {
  it.each([1, 2, 7, 100])('stops after exactly maxEvents = %i scheduler events with endReason event-budget', (maxEvents) => {
    const { result, events } = runWithTrace(endless, { seed: 1, maxEvents });
    expect(result.endReason).toBe('event-budget');
    expect(result.steps).toBe(maxEvents);
    // In this model every scheduler event is a start, a timer firing or a delivery.
    expect(count(events, 'start') + count(events, 'timer-fire') + count(events, 'deliver')).toBe(maxEvents);
    const end = events[events.length - 1];
    expect(end?.kind === 'end' && end.reason === 'event-budget' && end.steps === maxEvents).toBe(true);
  });

  it('does not count cancelled timers against the budget', () => {
    const model = defineModel<Msg, Timer>({
      name: 'cancelled-timer',
      description: 'sets two timers and cancels the first',
      roles: {
        a: {
          count: 1,
          node: defineNode<null, Msg, Timer>({
            start(ctx) {
              const first = ctx.setTimer(ms(1), 'tick');
              ctx.setTimer(ms(2), 'tick');
              ctx.cancelTimer(first);
              return null;
            },
            onTimer: () => undefined,
          }),
        },
      },
    });
    const { result, events } = runWithTrace(model, { seed: 1, maxEvents: 2 });
    expect(events.filter((e) => e.kind === 'timer-fire').map((e) => e.timeUs)).toEqual([ms(2)]);
    expect(result.steps).toBe(2);
    expect(result.endReason).toBe('quiescent');
  });
});

describe('quiescence', () => {
  it('an empty queue ends the run as quiescent at the time of the last event', () => {
    const { sim, result, events } = runWithTrace(burst, { seed: 1 });
    expect(result.endReason).toBe('quiescent');
    expect(result.outcome).toBe('pass');
    expect(result.steps).toBe(5); // two starts, three deliveries
    expect(result.endTimeUs).toBe(LATENCY_US);
    expect(sim.stateOf<{ received: number }>('b0')?.received).toBe(3);
    const end = events[events.length - 1];
    expect(end?.kind).toBe('end');
    expect(end?.timeUs).toBe(LATENCY_US);
    expect(result.events).toBe(events.length);
  });

  it('is quiescent, not out of budget, when the last event uses up the budget exactly', () => {
    expect(runWithTrace(burst, { seed: 1, maxEvents: 5 }).result.endReason).toBe('quiescent');
    expect(runWithTrace(burst, { seed: 1, maxEvents: 4 }).result.endReason).toBe('event-budget');
  });
});

describe('step()', () => {
  it('advances one scheduler event at a time and returns false after the end', () => {
    const sink = new MemorySink();
    const sim = new Simulation(endless, { seed: 3, timeUs: 5_500 }, { sinks: [sink] });
    const fires = (): number => count(sink.events, 'timer-fire');
    const observed: [number, number, number][] = [];
    let steps = 0;
    while (sim.step()) {
      steps++;
      observed.push([sim.nowUs, fires(), sim.result().steps]);
      if (steps > 100) throw new Error('step() never returned false');
    }
    // Steps: start a0 (0), start b0 (0), tick 1 ms, tick 2 ms, delivery of tick 1 is at 6 ms (after the budget), ...
    expect(observed).toEqual([
      [0, 0, 1],
      [0, 0, 2],
      [1_000, 1, 3],
      [2_000, 2, 4],
      [3_000, 3, 5],
      [4_000, 4, 6],
      [5_000, 5, 7],
    ]);
    expect(sim.finished).toBe(true);
    expect(sim.step()).toBe(false);
    expect(sim.step()).toBe(false);
    const result = sim.result();
    expect(result.endReason).toBe('time-budget');
    expect(result.steps).toBe(7);
    expect(count(sink.events, 'end')).toBe(1);
  });

  it('stepping to the end gives the same run as run()', () => {
    const stepped = new Simulation(endless, { seed: 4, timeUs: ms(20) });
    while (stepped.step());
    const ran = new Simulation(endless, { seed: 4, timeUs: ms(20) }).run();
    expect(stepped.result().traceHash).toBe(ran.traceHash);
    expect(stepped.result().steps).toBe(ran.steps);
    expect(stepped.result().stats).toEqual(ran.stats);
  });

  it('run() after some steps continues where stepping stopped', () => {
    const sim = new Simulation(endless, { seed: 5, maxEvents: 30 });
    for (let i = 0; i < 10; i++) expect(sim.step()).toBe(true);
    expect(sim.finished).toBe(false);
    expect(sim.result().endReason).toBe('stopped'); // not ended yet
    const result = sim.run();
    expect(result.steps).toBe(30);
    expect(result.endReason).toBe('event-budget');
    expect(result.traceHash).toBe(new Simulation(endless, { seed: 5, maxEvents: 30 }).run().traceHash);
  });
});
