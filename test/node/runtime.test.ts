/**
 * The node runtime as a model sees it: state updates through immer drafts or
 * returned values, stateless nodes, frozen messages, the JSON-only contract for
 * payloads, model crashes with their coordinates, checking mode and bug flags.
 */
import { describe, expect, it } from 'vitest';
import {
  defineModel,
  defineNode,
  InputError,
  MemorySink,
  Simulation,
  type JsonValue,
  type ModelDefinition,
  type RoleDefinition,
  type SimOptionsInput,
  type TraceEvent,
} from '../../src/index.ts';

const FIXED_LATENCY: SimOptionsInput = {
  seed: 3,
  network: { latency: { minUs: 100, maxUs: 100 }, lossRate: 0, duplicateRate: 0 },
};

type DriverTimer = { index: number };

/**
 * A driver node `y0` that sends `script[i]` to `x0` at 1000·(i+1) µs (arriving
 * 100 µs later) and keeps every message it receives.
 */
function driver(script: readonly JsonValue[]) {
  return defineNode<{ received: JsonValue[] }, JsonValue, DriverTimer>({
    start(ctx) {
      script.forEach((_msg, index) => ctx.setTimer(1_000 * (index + 1), { index }));
      return { received: [] };
    },
    onTimer(_state, timer, ctx) {
      ctx.send('x0', script[timer.index] as JsonValue);
    },
    onMessage(state, _from, msg) {
      state.received.push(msg as never);
    },
  });
}

type ProbeModel = ModelDefinition<JsonValue, DriverTimer>;

/** A model of the node under test (`x0`) and the driver (`y0`). */
function twoNodeModel(x: RoleDefinition<JsonValue, DriverTimer>['node'], script: readonly JsonValue[], extra: Partial<ProbeModel> = {}) {
  return defineModel<JsonValue, DriverTimer>({
    name: 'runtime-probe',
    description: 'x0 under test, y0 drives it',
    roles: { x: { count: 1, node: x }, y: { count: 1, node: driver(script) } },
    ...extra,
  });
}

function run(model: ModelDefinition, options: SimOptionsInput = {}, control?: (sim: Simulation) => void) {
  const sink = new MemorySink();
  const sim = new Simulation(model, { ...FIXED_LATENCY, ...options }, { sinks: [sink] });
  control?.(sim);
  const result = sim.run();
  return { sim, result, events: sink.events };
}

const ofKind = <K extends TraceEvent['kind']>(events: TraceEvent[], kind: K) =>
  events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

describe('state updates', () => {
  interface Counter {
    count: number;
    history: string[];
  }
  type CounterMsg = { kind: 'inc' } | { kind: 'set'; value: number };

  const counter = defineNode<Counter, CounterMsg>({
    start: () => ({ count: 0, history: [] }),
    onMessage(state, _from, msg) {
      if (msg.kind === 'inc') {
        state.count++; // mutate the draft
        state.history.push('inc');
        return;
      }
      return { count: msg.value, history: [...state.history, `set ${msg.value}`] }; // or return a new state
    },
  });

  it('applies draft mutations and returned states, and never changes an earlier snapshot', () => {
    const script: CounterMsg[] = [{ kind: 'inc' }, { kind: 'inc' }, { kind: 'set', value: 10 }, { kind: 'inc' }];
    const snapshots: Record<number, Counter | undefined> = {};
    const { sim, result } = run(twoNodeModel(counter, script), {}, (s) => {
      for (const atUs of [2_500, 3_500]) s.at(atUs, () => (snapshots[atUs] = s.stateOf<Counter>('x0')));
    });
    expect(result.outcome).toBe('pass');
    expect(sim.stateOf<Counter>('x0')).toEqual({ count: 11, history: ['inc', 'inc', 'set 10', 'inc'] });
    // Snapshots taken mid-run are immutable values, not views of the live state.
    expect(snapshots[2_500]).toEqual({ count: 2, history: ['inc', 'inc'] });
    expect(snapshots[3_500]).toEqual({ count: 10, history: ['inc', 'inc', 'set 10'] });
  });

  it('runs a stateless node (state null) that only reacts', () => {
    type Echo = { kind: 'ping'; seq: number } | { kind: 'pong'; seq: number };
    let calls = 0;
    const echo = defineNode<null, Echo>({
      start: () => null,
      onMessage(state, from, msg, ctx) {
        calls++;
        expect(state).toBeNull();
        if (msg.kind === 'ping') ctx.send(from, { kind: 'pong', seq: msg.seq * 10 });
      },
    });
    const script: Echo[] = [1, 2, 3].map((seq) => ({ kind: 'ping', seq }));
    const { sim, result } = run(twoNodeModel(echo, script));
    expect(result.outcome).toBe('pass');
    expect(calls).toBe(3);
    expect(sim.stateOf('x0')).toBeNull();
    expect(sim.stateOf<{ received: JsonValue[] }>('y0')?.received).toEqual([
      { kind: 'pong', seq: 10 },
      { kind: 'pong', seq: 20 },
      { kind: 'pong', seq: 30 },
    ]);
  });

  it('keeps a primitive state updated by returned values', () => {
    const sum = defineNode<number, { add: number }>({
      start: () => 0,
      onMessage: (state, _from, msg) => state + msg.add,
    });
    const { sim } = run(twoNodeModel(sum, [{ add: 1 }, { add: 2 }, { add: 3 }]));
    expect(sim.stateOf('x0')).toBe(6);
  });
});

describe('messages are frozen once sent', () => {
  it('throws in a sender that mutates a message it sent, and the receiver sees the original', () => {
    const caught: unknown[] = [];
    const sender = defineNode<null, JsonValue, DriverTimer>({
      start(ctx) {
        ctx.setTimer(1_000, { index: -1 });
        return null;
      },
      onTimer(_state, _timer, ctx) {
        const msg = { kind: 'data', list: [1, 2], nested: { v: 'a' } };
        ctx.send('y0', msg);
        try {
          msg.list.push(3);
        } catch (error) {
          caught.push(error);
        }
        try {
          msg.nested.v = 'changed';
        } catch (error) {
          caught.push(error);
        }
      },
    });
    const { sim, result } = run(twoNodeModel(sender, []));
    expect(result.outcome).toBe('pass');
    expect(caught).toHaveLength(2);
    expect(caught.every((e) => e instanceof TypeError)).toBe(true);
    expect(sim.stateOf<{ received: JsonValue[] }>('y0')?.received).toEqual([{ kind: 'data', list: [1, 2], nested: { v: 'a' } }]);
  });

  it('fails the run as a model crash when the sender does not catch the error', () => {
    const sender = defineNode<null, JsonValue, DriverTimer>({
      start(ctx) {
        ctx.setTimer(1_000, { index: -1 });
        return null;
      },
      onTimer(_state, _timer, ctx) {
        const msg = { n: 1 };
        ctx.send('y0', msg);
        msg.n = 2;
      },
    });
    const { result } = run(twoNodeModel(sender, []));
    expect(result.failure).toMatchObject({ kind: 'model-crash', node: 'x0', timeUs: 1_000 });
    expect(result.failure?.message).toMatch(/^node x0 threw TypeError: .*read only/);
  });

  it('sends a snapshot when the message is part of the sender state (an immer draft)', () => {
    // A natural thing to write: send a piece of your own state, then keep changing it.
    interface Held {
      inner: { v: number; tags: string[] };
    }
    const holder = defineNode<Held, JsonValue>({
      start: () => ({ inner: { v: 1, tags: ['a'] } }),
      onMessage(state, from, _msg, ctx) {
        ctx.send(from, state.inner);
        ctx.send(from, { kind: 'wrapped', inner: state.inner });
        state.inner.v = 99;
        state.inner.tags.push('b');
      },
    });
    const { sim, result } = run(twoNodeModel(holder, [{ kind: 'go' }]));
    expect(result.failure).toBeNull();
    expect(sim.stateOf<Held>('x0')).toEqual({ inner: { v: 99, tags: ['a', 'b'] } });
    expect(sim.stateOf<{ received: JsonValue[] }>('y0')?.received).toEqual([
      { v: 1, tags: ['a'] },
      { kind: 'wrapped', inner: { v: 1, tags: ['a'] } },
    ]);
  });
});

describe('the JSON-only payload contract', () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  const cases: [string, () => unknown, RegExp][] = [
    ['a function', () => ({ kind: 'cb', cb: () => 1 }), /a function at \.cb/],
    ['a Map', () => ({ kind: 'map', m: new Map([['k', 1]]) }), /an instance of Map at \.m/],
    ['a class instance', () => ({ kind: 'cls', nested: { list: [0, new Point(1, 2)] } }), /an instance of Point at \.nested\.list\[1\]/],
    ['NaN', () => ({ kind: 'nan', v: Number.NaN }), /the number NaN at \.v/],
    ['a top-level Set', () => new Set([1]), /an instance of Set at the top level/],
  ];

  it.each(cases)('rejects %s in a message with a model-crash naming the path', (_what, make, pattern) => {
    const sender = defineNode<null, JsonValue, DriverTimer>({
      start(ctx) {
        ctx.setTimer(1_500, { index: -1 });
        return null;
      },
      onTimer(_state, _timer, ctx) {
        ctx.send('y0', make() as JsonValue);
      },
    });
    const { result, events } = run(twoNodeModel(sender, []));
    expect(result.outcome).toBe('fail');
    expect(result.failure).toMatchObject({ kind: 'model-crash', node: 'x0', timeUs: 1_500 });
    expect(result.failure?.message).toMatch(/^a message from x0 is not plain JSON data: /);
    expect(result.failure?.message).toMatch(pattern);
    expect(ofKind(events, 'send')).toHaveLength(0);
  });

  it('rejects a non-JSON value stored on disk, naming the node and key', () => {
    const writer = defineNode<null, JsonValue>({
      start: () => null,
      onMessage(_state, _from, _msg, ctx) {
        ctx.storage.put('when', new Map() as never);
      },
    });
    const { result } = run(twoNodeModel(writer, [{ kind: 'go' }]));
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toContain('value stored by x0 under "when"');
    expect(result.failure?.message).toContain('an instance of Map');
  });

  it('fails with a clear message when a node sends to an unknown node id', () => {
    const lost = defineNode<null, JsonValue>({
      start: () => null,
      onMessage(_state, _from, _msg, ctx) {
        ctx.send('server9', { kind: 'hello' });
      },
    });
    const { result } = run(twoNodeModel(lost, [{ kind: 'go' }]));
    expect(result.failure).toMatchObject({ kind: 'model-crash', node: 'x0', timeUs: 1_100 });
    expect(result.failure?.message).toBe('node x0 sent to unknown node "server9"');
  });

  it('rejects a timer delay that is not a non-negative integer of microseconds', () => {
    const bad = defineNode<null, JsonValue, JsonValue>({
      start: () => null,
      onMessage(_state, _from, _msg, ctx) {
        ctx.setTimer(1.5, null);
      },
    });
    const { result } = run(twoNodeModel(bad, [{ kind: 'go' }]));
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toContain('node x0 set a timer with delay 1.5');
  });
});

describe('a handler that throws', () => {
  it('fails the run with kind model-crash, the node, event number, time and message', () => {
    let seen = 0;
    const fragile = defineNode<null, JsonValue>({
      start: () => null,
      onMessage() {
        seen++;
        if (seen === 3) throw new RangeError('boom at 3');
      },
    });
    const { result, events } = run(twoNodeModel(fragile, [1, 2, 3, 4, 5]));
    expect(result.outcome).toBe('fail');
    expect(result.endReason).toBe('failure');
    const failure = result.failure;
    expect(failure).toMatchObject({ kind: 'model-crash', property: null, node: 'x0', timeUs: 3_100 });
    expect(failure?.message).toBe('node x0 threw RangeError: boom at 3');
    expect(failure?.stack).toContain('boom at 3');
    // The event number points at the failure line, right after the delivery that triggered it.
    const failureEvent = events[(failure?.eventNumber ?? 0) - 1];
    expect(failureEvent).toMatchObject({ kind: 'failure', failure: 'model-crash', node: 'x0', message: failure?.message, timeUs: 3_100 });
    expect(events[(failure?.eventNumber ?? 0) - 2]).toMatchObject({ kind: 'deliver', to: 'x0', payload: 3, timeUs: 3_100 });
    // Nothing after it but the end line.
    expect(events.slice(failure?.eventNumber ?? 0).map((e) => e.kind)).toEqual(['end']);
    expect(seen).toBe(3);
    expect(result.stats.delivered).toBe(3);
  });
});

describe('checkMode', () => {
  interface Deep {
    n: number;
    inner: { list: number[] };
  }
  const keeper = (kept: Deep[]) =>
    defineNode<Deep, JsonValue>({
      start() {
        const state = { n: 0, inner: { list: [1] } };
        kept.push(state);
        return state;
      },
      onMessage(state) {
        state.n++;
      },
    });

  it('deep-freezes state, so mutating a kept reference throws', () => {
    const kept: Deep[] = [];
    const { sim, result } = run(twoNodeModel(keeper(kept), [{ go: 1 }]), { checkMode: true });
    expect(result.outcome).toBe('pass');
    const snapshot = sim.stateOf<Deep>('x0') as Deep;
    expect(snapshot.n).toBe(1);
    expect(() => {
      snapshot.n = 5;
    }).toThrow(TypeError);
    expect(() => snapshot.inner.list.push(2)).toThrow(TypeError);
    // The object start() returned is frozen too.
    expect(() => (kept[0] as Deep).inner.list.push(2)).toThrow(TypeError);
    expect(sim.stateOf<Deep>('x0')).toEqual({ n: 1, inner: { list: [1] } });
  });

  it('does not freeze without checkMode (the fast path)', () => {
    const kept: Deep[] = [];
    const { sim } = run(twoNodeModel(keeper(kept), [{ go: 1 }]), { checkMode: false });
    const snapshot = sim.stateOf<Deep>('x0') as Deep;
    snapshot.inner.list.push(2);
    expect(sim.stateOf<Deep>('x0')?.inner.list).toEqual([1, 2]);
  });

  it('fails a model that mutates state it kept from an earlier handler', () => {
    let held: { list: number[] } | null = null;
    const sneaky = defineNode<{ list: number[] }, JsonValue>({
      start() {
        const state = { list: [] as number[] };
        held = state;
        return state;
      },
      onMessage() {
        held?.list.push(1); // outside the draft: must not go unnoticed in checking mode
      },
    });
    const { result } = run(twoNodeModel(sneaky, [{ go: 1 }]), { checkMode: true });
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toMatch(/^node x0 threw TypeError/);
  });

  it('also freezes a state returned by a node whose previous state was null or a primitive', () => {
    const late = defineNode<{ a: { b: number } } | null, JsonValue>({
      start: () => null,
      onMessage: () => ({ a: { b: 1 } }),
    });
    const { sim } = run(twoNodeModel(late, [{ go: 1 }]), { checkMode: true });
    const snapshot = sim.stateOf<{ a: { b: number } }>('x0');
    expect(snapshot).toEqual({ a: { b: 1 } });
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot?.a)).toBe(true);
  });
});

describe('ctx.bug', () => {
  const flagged = defineNode<{ on: boolean; other: boolean }, JsonValue>({
    start: (ctx) => ({ on: ctx.bug('off-by-one'), other: ctx.bug('slow-ack') }),
  });
  const model = () =>
    twoNodeModel(flagged, [], { bugs: { 'off-by-one': 'answers n+1', 'slow-ack': 'acks late' } });

  it('reflects options.bugs', () => {
    expect(run(model(), { bugs: ['off-by-one'] }).sim.stateOf('x0')).toEqual({ on: true, other: false });
    expect(run(model(), { bugs: ['slow-ack', 'off-by-one'] }).sim.stateOf('x0')).toEqual({ on: true, other: true });
    expect(run(model(), {}).sim.stateOf('x0')).toEqual({ on: false, other: false });
  });

  it('rejects a flag the model does not declare, listing the known ones', () => {
    expect(() => new Simulation(model(), { bugs: ['typo'] })).toThrow(InputError);
    expect(() => new Simulation(model(), { bugs: ['typo'] })).toThrow('unknown bug flag "typo" for model runtime-probe (known: off-by-one, slow-ack)');
  });
});
