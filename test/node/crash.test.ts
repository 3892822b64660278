/**
 * Crash semantics of the node runtime, driven by scripted control
 * (`sim.at(t, (c) => c.crash('x0'))`): what a crash loses (volatile state,
 * pending timers, unsynced writes), what survives (synced storage), and how the
 * network treats a node that is down and then back.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, InputError, MemorySink, Simulation, type SimControl, type TraceEvent } from '../../src/index.ts';

type Msg =
  | { kind: 'hit' }
  | { kind: 'write'; key: string; value: number; sync: boolean }
  | { kind: 'del'; key: string; sync: boolean };

type Timer = { role: 'x'; setAtUs: number; delayUs: number } | { role: 'y'; index: number };

interface XState {
  hits: number;
  startedAtUs: number;
  /** What start() found on disk, per key of interest. */
  recovered: Record<string, number | null>;
  /** What storage.get returned right after each write/delete. */
  reads: Record<string, number | null>;
  keys: string[];
  fired: { setAtUs: number; delayUs: number; atUs: number }[];
}

interface Scenario {
  /** Messages y0 sends to x0, at absolute times (latency is a fixed 100 µs). */
  script?: { atUs: number; msg: Msg }[];
  /** Timers x0 sets in every start(), as delays from the start. */
  xTimersUs?: number[];
  /** Keys start() reads back from disk. */
  recoverKeys?: string[];
  /** Scripted control and observations. */
  control?: (sim: Simulation) => void;
  timeUs?: number;
}

const LATENCY_US = 100;

function runScenario(scenario: Scenario) {
  const script = scenario.script ?? [];
  let xStarts = 0;
  const x = defineNode<XState, Msg, Timer>({
    start(ctx, storage) {
      xStarts++;
      for (const delayUs of scenario.xTimersUs ?? []) ctx.setTimer(delayUs, { role: 'x', setAtUs: ctx.now, delayUs });
      const recovered: Record<string, number | null> = {};
      for (const key of scenario.recoverKeys ?? []) recovered[key] = storage.get<number>(key) ?? null;
      return { hits: 0, startedAtUs: ctx.now, recovered, reads: {}, keys: storage.keys(), fired: [] };
    },
    onMessage(state, _from, msg, ctx) {
      if (msg.kind === 'hit') {
        state.hits++;
        return;
      }
      if (msg.kind === 'write') ctx.storage.put(msg.key, msg.value);
      else ctx.storage.delete(msg.key);
      if (msg.sync) ctx.storage.sync();
      state.reads[msg.key] = ctx.storage.get<number>(msg.key) ?? null;
      state.keys = ctx.storage.keys();
    },
    onTimer(state, timer, ctx) {
      if (timer.role === 'x') state.fired.push({ setAtUs: timer.setAtUs, delayUs: timer.delayUs, atUs: ctx.now });
    },
  });
  const y = defineNode<null, Msg, Timer>({
    start(ctx) {
      script.forEach((step, index) => ctx.setTimer(step.atUs - ctx.now, { role: 'y', index }));
      return null;
    },
    onTimer(_state, timer, ctx) {
      if (timer.role !== 'y') return;
      const step = script[timer.index];
      if (step !== undefined) ctx.send('x0', step.msg);
    },
  });
  const model = defineModel<Msg, Timer>({
    name: 'crashy',
    description: 'one node under test (x0) and a scripted driver (y0)',
    roles: { x: { count: 1, node: x }, y: { count: 1, node: y, crashable: false } },
  });
  const sink = new MemorySink();
  const sim = new Simulation(
    model,
    {
      seed: 7,
      timeUs: scenario.timeUs ?? 100_000,
      network: { latency: { minUs: LATENCY_US, maxUs: LATENCY_US }, lossRate: 0, duplicateRate: 0 },
    },
    { sinks: [sink] },
  );
  scenario.control?.(sim);
  const result = sim.run();
  return { sim, result, events: sink.events, xStarts: () => xStarts };
}

function ofKind<K extends TraceEvent['kind']>(events: TraceEvent[], kind: K): Extract<TraceEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

const crashAt = (sim: Simulation, atUs: number, node = 'x0') => sim.at(atUs, (c: SimControl) => c.crash(node));
const restartAt = (sim: Simulation, atUs: number, node = 'x0') => sim.at(atUs, (c: SimControl) => c.restart(node));

describe('crash: volatile state', () => {
  it('is gone while the node is down, and start() rebuilds it from scratch on restart', () => {
    const seen: Record<string, { up: boolean; state: XState | undefined }> = {};
    const observe = (sim: Simulation, atUs: number) =>
      sim.at(atUs, () => {
        seen[atUs] = { up: sim.isUp('x0'), state: sim.stateOf<XState>('x0') };
      });
    const run = runScenario({
      script: [1_000, 2_000, 3_000, 9_000].map((atUs) => ({ atUs, msg: { kind: 'hit' } })),
      control: (sim) => {
        observe(sim, 3_400);
        crashAt(sim, 3_500);
        observe(sim, 3_600);
        restartAt(sim, 8_000);
        observe(sim, 8_500);
      },
    });
    expect(run.result.outcome).toBe('pass');
    expect(seen[3_400]).toEqual({ up: true, state: expect.objectContaining({ hits: 3, startedAtUs: 0 }) });
    expect(seen[3_600]).toEqual({ up: false, state: undefined });
    expect(seen[8_500]).toEqual({ up: true, state: expect.objectContaining({ hits: 0, startedAtUs: 8_000 }) });
    expect(run.sim.stateOf<XState>('x0')?.hits).toBe(1);
    expect(run.xStarts()).toBe(2);

    const lifecycle = run.events.filter((e) => 'node' in e && e.node === 'x0' && ['start', 'crash', 'restart'].includes(e.kind));
    expect(lifecycle.map((e) => [e.kind, e.timeUs])).toEqual([
      ['start', 0],
      ['crash', 3_500],
      ['restart', 8_000],
    ]);
    expect(run.result.stats.crashes).toBe(1);
    expect(run.result.stats.restarts).toBe(1);
  });

  it('treats crashing a node that is down, and restarting one that is up, as no-ops', () => {
    const run = runScenario({
      control: (sim) => {
        restartAt(sim, 500); // up: nothing happens
        crashAt(sim, 1_000);
        crashAt(sim, 1_200); // already down: nothing happens
        restartAt(sim, 2_000);
        restartAt(sim, 2_100); // already up again
      },
    });
    expect(ofKind(run.events, 'crash').map((e) => e.timeUs)).toEqual([1_000]);
    expect(ofKind(run.events, 'restart').map((e) => e.timeUs)).toEqual([2_000]);
    expect(run.xStarts()).toBe(2);
    expect(run.result.stats).toMatchObject({ crashes: 1, restarts: 1 });
  });
});

describe('crash: timers', () => {
  it('drops every pending timer (reported as lostTimers) and none of them fires, even one due after the restart', () => {
    const run = runScenario({
      xTimersUs: [500, 5_000, 20_000],
      control: (sim) => {
        crashAt(sim, 1_000);
        restartAt(sim, 10_000);
      },
    });
    expect(run.result.outcome).toBe('pass');
    const crash = ofKind(run.events, 'crash');
    expect(crash).toHaveLength(1);
    // The 500 µs timer already fired; the 5 ms and 20 ms ones were pending.
    expect(crash[0]).toMatchObject({ node: 'x0', timeUs: 1_000, lostTimers: 2 });

    const fires = ofKind(run.events, 'timer-fire').filter((e) => e.node === 'x0');
    expect(fires.map((e) => [e.timeUs, e.payload])).toEqual([
      [500, { role: 'x', setAtUs: 0, delayUs: 500 }],
      [10_500, { role: 'x', setAtUs: 10_000, delayUs: 500 }],
      [15_000, { role: 'x', setAtUs: 10_000, delayUs: 5_000 }],
      [30_000, { role: 'x', setAtUs: 10_000, delayUs: 20_000 }],
    ]);
    // The handler of the new incarnation saw only its own timers.
    expect(run.sim.stateOf<XState>('x0')?.fired).toEqual([
      { setAtUs: 10_000, delayUs: 500, atUs: 10_500 },
      { setAtUs: 10_000, delayUs: 5_000, atUs: 15_000 },
      { setAtUs: 10_000, delayUs: 20_000, atUs: 30_000 },
    ]);
    expect(run.result.stats.timersFired).toBe(4);
  });

  it('reports lostTimers 0 when nothing was pending', () => {
    const run = runScenario({
      xTimersUs: [100],
      control: (sim) => crashAt(sim, 1_000),
    });
    expect(ofKind(run.events, 'crash')[0]).toMatchObject({ lostTimers: 0, lostWrites: 0 });
    expect(run.sim.isUp('x0')).toBe(false);
    expect(run.sim.stateOf('x0')).toBeUndefined();
  });
});

describe('crash: durable storage', () => {
  it('keeps synced writes, loses unsynced ones (lostWrites), and reads saw the unsynced value before the crash', () => {
    const observed: Record<string, unknown> = {};
    const run = runScenario({
      recoverKeys: ['a', 'b'],
      script: [
        { atUs: 1_000, msg: { kind: 'write', key: 'a', value: 1, sync: true } },
        { atUs: 2_000, msg: { kind: 'write', key: 'b', value: 2, sync: false } },
      ],
      control: (sim) => {
        sim.at(2_500, () => {
          observed['durableBefore'] = sim.durableOf('x0');
          observed['stateBefore'] = sim.stateOf<XState>('x0');
        });
        crashAt(sim, 3_000);
        sim.at(3_500, () => {
          observed['durableWhileDown'] = sim.durableOf('x0');
        });
        restartAt(sim, 4_000);
      },
    });
    expect(run.result.outcome).toBe('pass');
    // Before the crash the node reads its own unsynced write; the disk only holds the synced one.
    expect(observed['stateBefore']).toMatchObject({ reads: { a: 1, b: 2 }, keys: ['a', 'b'] });
    expect(observed['durableBefore']).toEqual({ a: 1 });
    expect(ofKind(run.events, 'crash')[0]).toMatchObject({ node: 'x0', timeUs: 3_000, lostWrites: 1 });
    expect(observed['durableWhileDown']).toEqual({ a: 1 });
    // After the restart start() finds only what was synced.
    expect(run.sim.stateOf<XState>('x0')).toMatchObject({ recovered: { a: 1, b: null }, keys: ['a'] });
    expect(run.sim.durableOf('x0')).toEqual({ a: 1 });
  });

  it('loses an unsynced delete and an unsynced overwrite', () => {
    const run = runScenario({
      recoverKeys: ['a', 'c'],
      script: [
        { atUs: 1_000, msg: { kind: 'write', key: 'a', value: 1, sync: false } },
        { atUs: 1_100, msg: { kind: 'write', key: 'c', value: 3, sync: true } }, // a sync makes every buffered write durable
        { atUs: 2_000, msg: { kind: 'del', key: 'a', sync: false } },
        { atUs: 2_100, msg: { kind: 'write', key: 'c', value: 30, sync: false } },
      ],
      control: (sim) => {
        crashAt(sim, 3_000);
        restartAt(sim, 4_000);
      },
    });
    const before = ofKind(run.events, 'deliver').length;
    expect(before).toBe(4);
    expect(ofKind(run.events, 'crash')[0]).toMatchObject({ lostWrites: 2 });
    expect(run.sim.durableOf('x0')).toEqual({ a: 1, c: 3 });
    expect(run.sim.stateOf<XState>('x0')?.recovered).toEqual({ a: 1, c: 3 });
  });
});

describe('crash: network', () => {
  it('drops deliveries to a down node with reason node-down and delivers what arrives after the restart', () => {
    const run = runScenario({
      script: [
        { atUs: 1_000, msg: { kind: 'hit' } }, // arrives 1100: delivered
        { atUs: 2_000, msg: { kind: 'hit' } }, // arrives 2100: x0 is down
        { atUs: 2_950, msg: { kind: 'hit' } }, // sent while down, arrives 3050 after the restart
        { atUs: 4_000, msg: { kind: 'hit' } }, // arrives 4100
      ],
      control: (sim) => {
        crashAt(sim, 1_500);
        restartAt(sim, 3_000);
      },
    });
    expect(run.result.outcome).toBe('pass');
    const sends = ofKind(run.events, 'send');
    expect(sends.map((e) => [e.timeUs, e.deliverAtUs])).toEqual([
      [1_000, 1_100],
      [2_000, 2_100],
      [2_950, 3_050],
      [4_000, 4_100],
    ]);
    const drops = ofKind(run.events, 'drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ timeUs: 2_100, from: 'y0', to: 'x0', reason: 'node-down', msg: sends[1]?.msg });
    expect(ofKind(run.events, 'deliver').map((e) => [e.timeUs, e.msg])).toEqual([
      [1_100, sends[0]?.msg],
      [3_050, sends[2]?.msg],
      [4_100, sends[3]?.msg],
    ]);
    expect(run.result.stats).toMatchObject({ sent: 4, delivered: 3, dropped: 1 });
    // Only the two deliveries after the restart count in the new incarnation.
    expect(run.sim.stateOf<XState>('x0')?.hits).toBe(2);
  });
});

describe('scripted control', () => {
  it('never moves virtual time backwards when an action schedules another one in the past', () => {
    const seenUs: number[] = [];
    let run: ReturnType<typeof runScenario>;
    try {
      run = runScenario({
      control: (sim) =>
        sim.at(1_000, (c) => {
          seenUs.push(c.nowUs);
          c.crash('x0');
          // 500 µs is already in the past: the action must be rejected or run no earlier than now.
          sim.at(500, (c2) => {
            seenUs.push(c2.nowUs);
            c2.restart('x0');
          });
        }),
      });
    } catch (error) {
      // Rejecting the past time as bad input is fine too.
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toContain('500');
      expect(seenUs).toEqual([1_000]);
      return;
    }
    const timesUs = run.events.map((e) => e.timeUs);
    for (let i = 1; i < timesUs.length; i++) expect(timesUs[i]).toBeGreaterThanOrEqual(timesUs[i - 1] as number);
    for (let i = 1; i < seenUs.length; i++) expect(seenUs[i]).toBeGreaterThanOrEqual(seenUs[i - 1] as number);
  });
});
