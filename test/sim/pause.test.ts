/**
 * Stop-the-world pauses, scripted (`c.pause(node, durationUs)`): a paused node
 * handles nothing; messages that reach it wait in its inbox and due timers
 * wait too; at the resume they run, one event each, in their original (time,
 * seq) order before anything else due then. A paused node can crash (what it
 * held is lost). Pauses are traced (`pause`, `resume`) and replay exactly.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, InputError, MemorySink, ms, Simulation, type TraceEvent } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

type Msg = { seq: number };
type Timer = { kind: 'send'; seq: number; to: string } | { kind: 'own'; name: string; dueUs: number; cancels?: string } | { kind: 'tick' };

interface WorkerState {
  got: { seq: number; atUs: number }[];
  fired: { name: string; dueUs: number; atUs: number }[];
  ticks: number[];
  timerIds: Record<string, number>;
}

interface Scenario {
  /** Messages the driver sends to worker0: at true time `atUs`. */
  sends?: { atUs: number; seq: number }[];
  /** Timers worker0 sets in start(): name, delay, and optionally the name of a timer its message handler cancels. */
  timers?: { name: string; delayUs: number }[];
  /** A message with this seq cancels the named timer when handled. */
  cancelOn?: { seq: number; timer: string };
  ticker?: number;
  latency?: { minUs: number; maxUs: number };
  timeUs?: number;
  settleUs?: number;
  control?: (sim: Simulation) => void;
}

function build(scenario: Scenario) {
  const worker = defineNode<WorkerState, Msg, Timer>({
    start(ctx) {
      const timerIds: Record<string, number> = {};
      for (const t of scenario.timers ?? []) timerIds[t.name] = ctx.setTimer(t.delayUs, { kind: 'own', name: t.name, dueUs: ctx.now + t.delayUs });
      if (scenario.ticker !== undefined) ctx.setTimer(scenario.ticker, { kind: 'tick' });
      return { got: [], fired: [], ticks: [], timerIds };
    },
    onMessage(state, _from, msg, ctx) {
      state.got.push({ seq: msg.seq, atUs: ctx.now });
      const cancel = scenario.cancelOn;
      if (cancel !== undefined && cancel.seq === msg.seq) ctx.cancelTimer(state.timerIds[cancel.timer] as number);
    },
    onTimer(state, timer, ctx) {
      if (timer.kind === 'own') state.fired.push({ name: timer.name, dueUs: timer.dueUs, atUs: ctx.now });
      if (timer.kind === 'tick') {
        state.ticks.push(ctx.now);
        ctx.setTimer(scenario.ticker as number, { kind: 'tick' });
      }
    },
  });
  const driver = defineNode<null, Msg, Timer>({
    start(ctx) {
      for (const s of scenario.sends ?? []) ctx.setTimer(s.atUs, { kind: 'send', seq: s.seq, to: 'worker0' });
      return null;
    },
    onTimer(_state, timer, ctx) {
      if (timer.kind === 'send') ctx.send(timer.to, { seq: timer.seq });
    },
  });
  const model = defineModel<Msg, Timer>({
    name: 'pausable',
    description: 'a worker under test and a driver that sends to it on a script',
    roles: { worker: { count: 1, node: worker }, driver: { count: 1, node: driver, crashable: false } },
  });
  const latency = scenario.latency ?? { minUs: ms(1), maxUs: ms(1) };
  const options = { seed: 5, timeUs: scenario.timeUs ?? ms(200), settleUs: scenario.settleUs ?? 0, network: { latency } };
  return { model, options };
}

function run(scenario: Scenario) {
  const { model, options } = build(scenario);
  const sink = new MemorySink();
  const sim = new Simulation(model, options, { sinks: [sink] });
  scenario.control?.(sim);
  const result = sim.run();
  const worker = sim.stateOf<WorkerState>('worker0');
  return { sim, result, sink, events: sink.events, worker, model };
}

const ofKind = <K extends TraceEvent['kind']>(events: readonly TraceEvent[], kind: K) =>
  events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

const replays = (sink: MemorySink, model: ReturnType<typeof build>['model']) => replayTrace(parseTrace(sink.text(), 'memory'), model).divergence;

describe('pause: timers', () => {
  it('a timer due when the pause begins fires late by exactly the pause', () => {
    const { worker, events } = run({ timers: [{ name: 'a', delayUs: ms(30) }], control: (sim) => sim.at(ms(30), (c) => c.pause('worker0', ms(25))) });
    expect(worker?.fired).toEqual([{ name: 'a', dueUs: ms(30), atUs: ms(55) }]);
    const fire = ofKind(events, 'timer-fire').find((e) => e.node === 'worker0');
    expect(fire?.timeUs).toBe(ms(55));
  });

  it('a timer due inside the pause fires at the resume; one due after it is not moved', () => {
    const { worker } = run({
      timers: [
        { name: 'inside', delayUs: ms(40) },
        { name: 'after', delayUs: ms(70) },
      ],
      control: (sim) => sim.at(ms(30), (c) => c.pause('worker0', ms(25))),
    });
    expect(worker?.fired).toEqual([
      { name: 'inside', dueUs: ms(40), atUs: ms(55) },
      { name: 'after', dueUs: ms(70), atUs: ms(70) },
    ]);
  });

  it('a periodic ticker loses no tick: the held one fires at the resume and the schedule shifts by its lateness', () => {
    const { worker } = run({ ticker: ms(10), timeUs: ms(120), control: (sim) => sim.at(ms(35), (c) => c.pause('worker0', ms(50))) });
    expect(worker?.ticks).toEqual([10, 20, 30, 85, 95, 105, 115].map(ms));
  });

  it('the node handles nothing while paused: no deliver or timer-fire of it between pause and resume', () => {
    const { events } = run({
      ticker: ms(3),
      sends: [5, 10, 15, 20, 25].map((t, seq) => ({ atUs: ms(t), seq })),
      control: (sim) => sim.at(ms(8), (c) => c.pause('worker0', ms(20))),
    });
    const pause = ofKind(events, 'pause')[0] as TraceEvent;
    const resume = ofKind(events, 'resume')[0] as TraceEvent;
    const during = events.slice(pause.n, resume.n - 1);
    expect(during.some((e) => (e.kind === 'deliver' && e.to === 'worker0') || (e.kind === 'timer-fire' && e.node === 'worker0'))).toBe(false);
    expect(during.some((e) => e.kind === 'send' && e.to === 'worker0')).toBe(true);
  });
});

describe('pause: the inbox', () => {
  it('held messages and timers run at the resume in their original (time, seq) order, before anything else due then', () => {
    const { worker, events } = run({
      sends: [10, 11, 12, 13, 14, 16, 17, 18].map((t, seq) => ({ atUs: ms(t), seq })),
      timers: [{ name: 'between', delayUs: ms(15) + 500 }],
      control: (sim) => sim.at(ms(10) + 500, (c) => c.pause('worker0', ms(30))),
    });
    const resumeUs = ms(40) + 500;
    // Each waits as it comes due, traced as a hold then: messages at arrival (1 ms after sending), the timer at 15.5 ms.
    expect(ofKind(events, 'pause-hold').map((e) => ['msg' in e ? `m${e.msg}` : 't', e.timeUs])).toEqual([
      ...[11, 12, 13, 14, 15].map((t, i) => [`m${i + 1}`, ms(t)]),
      ['t', ms(15) + 500],
      ...[17, 18, 19].map((t, i) => [`m${i + 6}`, ms(t)]),
    ]);
    const resume = ofKind(events, 'resume')[0];
    expect(resume).toMatchObject({ node: 'worker0', timeUs: resumeUs, heldMessages: 8, heldTimers: 1 });
    const n = resume?.n as number;
    const next = events.slice(n, n + 9).map((e) => (e.kind === 'deliver' ? `m${(e.payload as Msg).seq}` : e.kind === 'timer-fire' ? 't' : e.kind));
    expect(next).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 't', 'm5', 'm6', 'm7']);
    expect(events.slice(n, n + 9).every((e) => e.timeUs === resumeUs)).toBe(true);
    expect(worker?.got.map((g) => g.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(worker?.fired).toEqual([{ name: 'between', dueUs: ms(15) + 500, atUs: resumeUs }]);
  });

  it('with reordering latency, the held messages come in arrival order (not send order), as they would have', () => {
    const latency = { minUs: ms(1), maxUs: ms(20) };
    const sends = Array.from({ length: 12 }, (_, seq) => ({ atUs: ms(5) + seq * 700, seq }));
    const { worker, events } = run({ sends, latency, control: (sim) => sim.at(ms(5), (c) => c.pause('worker0', ms(40))) });
    const arrivals = ofKind(events, 'send')
      .filter((e) => e.to === 'worker0')
      .map((e, i) => ({ seq: (e.payload as Msg).seq, at: e.deliverAtUs as number, i }))
      .sort((a, b) => a.at - b.at || a.i - b.i);
    const held = arrivals.filter((a) => a.at <= ms(45));
    expect(held.length).toBeGreaterThan(6);
    // Arrival order differs from send order here, so the check has teeth.
    expect(held.map((a) => a.seq)).not.toEqual([...held.map((a) => a.seq)].sort((a, b) => a - b));
    expect(worker?.got.slice(0, held.length).map((g) => g.seq)).toEqual(held.map((a) => a.seq));
    expect(worker?.got.slice(0, held.length).every((g) => g.atUs === ms(45))).toBe(true);
  });

  it('a held message whose handler cancels a held timer: that timer does not fire', () => {
    const { worker, events } = run({
      sends: [{ atUs: ms(10), seq: 1 }],
      timers: [{ name: 'doomed', delayUs: ms(20) }],
      cancelOn: { seq: 1, timer: 'doomed' },
      control: (sim) => sim.at(ms(5), (c) => c.pause('worker0', ms(30))),
    });
    expect(ofKind(events, 'resume')[0]).toMatchObject({ heldMessages: 1, heldTimers: 1 });
    expect(worker?.got.map((g) => g.seq)).toEqual([1]);
    expect(worker?.fired).toEqual([]);
    expect(ofKind(events, 'timer-cancel').filter((e) => e.node === 'worker0')).toHaveLength(1);
  });

  it('a message in the inbox is handed over after a partition began; one arriving during the partition is dropped then', () => {
    const { worker, events } = run({
      sends: [
        { atUs: ms(10), seq: 1 },
        // Sent before the partition, arriving after it began: dropped on arrival, not held.
        { atUs: ms(19) + 500, seq: 2 },
      ],
      control: (sim) => {
        sim.at(ms(5), (c) => c.pause('worker0', ms(40)));
        sim.at(ms(20), (c) => c.partition([['worker0'], ['driver0']]));
      },
    });
    expect(worker?.got).toEqual([{ seq: 1, atUs: ms(45) }]);
    const drop = ofKind(events, 'drop')[0];
    expect(drop).toMatchObject({ reason: 'partition', timeUs: ms(20) + 500, payload: { seq: 2 } });
    expect(ofKind(events, 'resume')[0]).toMatchObject({ heldMessages: 1, heldTimers: 0 });
  });
});

describe('pause: crash, extension, bad input', () => {
  it('a paused node that crashes loses what it held: timers in lostTimers, each message a node-down drop; no resume', () => {
    const { worker, events, sim, sink, model } = run({
      sends: [10, 12, 14].map((t, seq) => ({ atUs: ms(t), seq })),
      timers: [{ name: 'a', delayUs: ms(11) }],
      control: (sim) => {
        sim.at(ms(5), (c) => c.pause('worker0', ms(40)));
        sim.at(ms(20), (c) => c.crash('worker0'));
        sim.at(ms(30), (c) => c.restart('worker0'));
      },
    });
    const crash = ofKind(events, 'crash')[0] as Extract<TraceEvent, { kind: 'crash' }>;
    expect(crash).toMatchObject({ timeUs: ms(20), lostTimers: 1, by: 'script' });
    const after = events.slice(crash.n, crash.n + 3);
    expect(after.map((e) => (e.kind === 'drop' ? [e.reason, (e.payload as Msg).seq, e.timeUs] : e.kind))).toEqual([
      ['node-down', 0, ms(20)],
      ['node-down', 1, ms(20)],
      ['node-down', 2, ms(20)],
    ]);
    expect(ofKind(events, 'resume')).toEqual([]);
    expect(sim.isPaused('worker0')).toBe(false);
    // Restarted at 30 ms, not paused: its timers fire on time again, and nothing old comes back.
    expect(worker?.got).toEqual([]);
    expect(worker?.fired).toEqual([{ name: 'a', dueUs: ms(41), atUs: ms(41) }]);
    // The holds come before the scripted crash in the trace, so replay re-applies the crash after them.
    expect(ofKind(events, 'pause-hold')).toHaveLength(4);
    expect(replays(sink, model)).toBeNull();
  });

  it('pausing a paused node keeps it paused until the later end; one resume', () => {
    const { events } = run({
      control: (sim) => {
        sim.at(ms(10), (c) => c.pause('worker0', ms(30)));
        sim.at(ms(20), (c) => c.pause('worker0', ms(5)));
        sim.at(ms(30), (c) => c.pause('worker0', ms(50)));
      },
    });
    expect(ofKind(events, 'pause').map((e) => [e.timeUs, e.durationUs, e.untilUs])).toEqual([
      [ms(10), ms(30), ms(40)],
      [ms(20), ms(5), ms(40)],
      [ms(30), ms(50), ms(80)],
    ]);
    expect(ofKind(events, 'resume').map((e) => e.timeUs)).toEqual([ms(80)]);
  });

  it('pausing a node that is down records nothing', () => {
    const { events } = run({
      control: (sim) => {
        sim.at(ms(10), (c) => c.crash('worker0'));
        sim.at(ms(20), (c) => c.pause('worker0', ms(5)));
      },
    });
    expect(ofKind(events, 'pause')).toEqual([]);
  });

  it('a duration that is not a positive integer, or an unknown node, is the test\'s InputError', () => {
    for (const durationUs of [0, -5, 1.5, Number.NaN]) {
      const { model, options } = build({});
      const sim = new Simulation(model, options);
      sim.at(ms(1), (c) => c.pause('worker0', durationUs));
      expect(() => sim.run()).toThrow(/pause\(\): durationUs must be a positive integer of microseconds/);
    }
    const { model, options } = build({});
    const sim = new Simulation(model, options);
    sim.at(ms(1), (c) => c.pause('nobody', 5));
    expect(() => sim.run()).toThrow(InputError);
    expect(() => new Simulation(model, options).pause('worker0', 5)).toThrow(/pause\(\) before the run has started/);
  });

  it('called directly between single steps, and a crash in the middle of the held events drops the rest', () => {
    const { model, options } = build({ sends: [10, 11, 12, 13].map((t, seq) => ({ atUs: ms(t), seq })) });
    const sink = new MemorySink();
    const sim = new Simulation(model, options, { sinks: [sink] });
    while (sim.step() && sink.events.length < 6);
    sim.pause('worker0', ms(20));
    expect(sim.isPaused('worker0')).toBe(true);
    while (sim.step() && !sink.events.some((e) => e.kind === 'deliver'));
    // The resume released four messages; one has been handled, three are waiting for their steps.
    expect(ofKind(sink.events, 'resume')[0]).toMatchObject({ heldMessages: 4 });
    sim.crash('worker0');
    sim.run();
    expect(ofKind(sink.events, 'deliver').map((e) => (e.payload as Msg).seq)).toEqual([0]);
    expect(ofKind(sink.events, 'drop').map((e) => [(e.payload as Msg).seq, e.reason])).toEqual([
      [1, 'node-down'],
      [2, 'node-down'],
      [3, 'node-down'],
    ]);
    expect(replays(sink, model)).toBeNull();
  });
});

describe('pause: the liveness phase and replay', () => {
  it('a node paused when the liveness phase begins resumes right there, after the settle event', () => {
    const { events, worker } = run({
      timeUs: ms(200),
      settleUs: ms(100),
      sends: [{ atUs: ms(60), seq: 1 }],
      control: (sim) => sim.at(ms(50), (c) => c.pause('worker0', ms(500))),
    });
    const settle = ofKind(events, 'settle')[0] as TraceEvent;
    expect(events[settle.n]).toMatchObject({ kind: 'resume', node: 'worker0', timeUs: ms(100), heldMessages: 1 });
    expect(worker?.got).toEqual([{ seq: 1, atUs: ms(100) }]);
    // The pause's own end (550 ms) comes to nothing: no second resume.
    expect(ofKind(events, 'resume')).toHaveLength(1);
  });

  it('a trace with scripted pauses (by: script) replays identically', () => {
    const { sink, model, events } = run({
      ticker: ms(4),
      sends: [3, 9, 9, 15, 22].map((t, seq) => ({ atUs: ms(t), seq })),
      latency: { minUs: ms(1), maxUs: ms(8) },
      control: (sim) => {
        sim.at(ms(7), (c) => c.pause('worker0', ms(11)));
        sim.at(ms(40), (c) => c.pause('worker0', ms(3)));
      },
    });
    expect(ofKind(events, 'pause').every((e) => e.by === 'script')).toBe(true);
    expect(ofKind(events, 'resume').every((e) => !('by' in e))).toBe(true);
    expect(replays(sink, model)).toBeNull();
  });

  it('without a pause, no pause or resume event and nothing waits', () => {
    const { events, worker } = run({ ticker: ms(10), sends: [{ atUs: ms(10), seq: 1 }], timeUs: ms(50) });
    expect(events.some((e) => e.kind === 'pause' || e.kind === 'resume')).toBe(false);
    expect(worker?.ticks).toEqual([10, 20, 30, 40, 50].map(ms));
    expect(worker?.got).toEqual([{ seq: 1, atUs: ms(11) }]);
  });
});
