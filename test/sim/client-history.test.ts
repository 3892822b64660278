/**
 * Client histories: `ctx.invoke` / `ctx.complete` record Jepsen-style history
 * events in the trace (`op`) and in the run's result, with process ids that
 * start at the node's index and are replaced by fresh ones after an `info`
 * completion or a crash with an operation in flight. Misuse is a model crash.
 */
import { describe, expect, it } from 'vitest';
import {
  defineModel,
  defineNode,
  MemorySink,
  ms,
  pairOperations,
  Simulation,
  type JsonValue,
  type NodeContext,
  type TraceEvent,
} from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

/** What the clerk does at each 10 ms step; each returns nothing. */
type Step = (ctx: NodeContext<null, 'step'>) => void;

const PLAN: Step[] = [
  (ctx) => void ctx.invoke({ n: 1 }),
  (ctx) => ctx.complete('ok', { got: 1 }),
  (ctx) => void ctx.invoke({ n: 2 }),
  (ctx) => ctx.complete('fail'),
  (ctx) => void ctx.invoke({ n: 3 }),
  (ctx) => ctx.complete('info'),
  (ctx) => void ctx.invoke({ n: 4 }),
  () => {}, // clerk0 is crashed with {n: 4} in flight before the next step
  (ctx) => void ctx.invoke({ n: 5 }),
  (ctx) => ctx.complete('ok'),
];

interface ClerkState {
  /** ctx.process seen at each step, for the test to read. */
  processes: number[];
}

/** Clerks follow PLAN (clerk1 only its first two steps); the step counter is on disk so a restart resumes. */
const clerk = defineNode<ClerkState, null, 'step'>({
  start(ctx, storage) {
    ctx.setTimer(ms(10), 'step');
    return { processes: storage.get<number[]>('processes') ?? [] };
  },
  onTimer(state, _timer, ctx) {
    const step = ctx.storage.get<number>('step') ?? 0;
    const last = ctx.id === 'clerk0' ? PLAN.length : 2;
    if (step >= last) return;
    PLAN[step]?.(ctx);
    state.processes.push(ctx.process);
    ctx.storage.put('step', step + 1);
    ctx.storage.put('processes', state.processes);
    ctx.storage.sync();
    ctx.setTimer(ms(10), 'step');
  },
});

const idle = defineNode<null, null, 'step'>({ start: () => null });

const model = defineModel<null, 'step'>({
  name: 'clerks',
  description: 'two clerks with a fixed plan of operations',
  roles: { server: { count: 1, node: idle }, clerk: { count: 2, node: clerk } },
});

function runClerks() {
  const sink = new MemorySink();
  const sim = new Simulation(model, { seed: 1, timeUs: ms(500) }, { sinks: [sink] });
  sim.at(ms(85), (c) => c.crash('clerk0'));
  sim.at(ms(90), (c) => c.restart('clerk0'));
  const result = sim.run();
  return { sim, result, sink };
}

describe('a run with clients', () => {
  const { sim, result, sink } = runClerks();
  const ops = sink.events.filter((e): e is Extract<TraceEvent, { kind: 'op' }> => e.kind === 'op');

  it('passes, and its result holds the history with virtual times, process ids and trace event numbers', () => {
    expect(result.outcome).toBe('pass');
    // server0 is node 0, clerk0 node 1, clerk1 node 2: first processes 1 and 2, fresh ones from 3.
    expect(result.history.map(({ type, process, time, input, output }) => ({ type, process, time, input, output }))).toEqual([
      { type: 'invoke', process: 1, time: ms(10), input: { n: 1 }, output: undefined },
      { type: 'invoke', process: 2, time: ms(10), input: { n: 1 }, output: undefined },
      { type: 'ok', process: 1, time: ms(20), input: undefined, output: { got: 1 } },
      { type: 'ok', process: 2, time: ms(20), input: undefined, output: { got: 1 } },
      { type: 'invoke', process: 1, time: ms(30), input: { n: 2 }, output: undefined },
      { type: 'fail', process: 1, time: ms(40), input: undefined, output: undefined },
      { type: 'invoke', process: 1, time: ms(50), input: { n: 3 }, output: undefined },
      { type: 'info', process: 1, time: ms(60), input: undefined, output: undefined },
      { type: 'invoke', process: 3, time: ms(70), input: { n: 4 }, output: undefined },
      { type: 'info', process: 3, time: ms(85), input: undefined, output: undefined },
      { type: 'invoke', process: 4, time: ms(100), input: { n: 5 }, output: undefined },
      { type: 'ok', process: 4, time: ms(110), input: undefined, output: undefined },
    ]);
    // `source` names the trace event of each history event.
    expect(result.history.map((e) => e.source)).toEqual(ops.map((e) => `event ${e.n}`));
  });

  it('records each history event as an op trace line', () => {
    expect(ops.map(({ node, process, type, value }) => [node, process, type, value])).toEqual([
      ['clerk0', 1, 'invoke', { n: 1 }],
      ['clerk1', 2, 'invoke', { n: 1 }],
      ['clerk0', 1, 'ok', { got: 1 }],
      ['clerk1', 2, 'ok', { got: 1 }],
      ['clerk0', 1, 'invoke', { n: 2 }],
      ['clerk0', 1, 'fail', undefined],
      ['clerk0', 1, 'invoke', { n: 3 }],
      ['clerk0', 1, 'info', undefined],
      ['clerk0', 3, 'invoke', { n: 4 }],
      ['clerk0', 3, 'info', undefined],
      ['clerk0', 4, 'invoke', { n: 5 }],
      ['clerk0', 4, 'ok', undefined],
    ]);
    // No value key at all where there is none (an ok without output, fail, info).
    const line = sink.lines[(ops[5] as TraceEvent).n] as string;
    expect(line).toBe(`{"n":${(ops[5] as TraceEvent).n},"timeUs":40000,"kind":"op","node":"clerk0","process":1,"type":"fail"}`);
  });

  it('a crash with an operation in flight records info for it right after the crash, then a fresh process', () => {
    const crash = sink.events.find((e) => e.kind === 'crash') as TraceEvent;
    expect(crash).toMatchObject({ kind: 'crash', node: 'clerk0', timeUs: ms(85), by: 'script' });
    expect(sink.events[crash.n]).toMatchObject({ kind: 'op', node: 'clerk0', process: 3, type: 'info', timeUs: ms(85) });
    // What ctx.process said at each step of clerk0 (kept on its disk across the crash).
    expect(sim.stateOf<ClerkState>('clerk0')?.processes).toEqual([1, 1, 1, 1, 1, 3, 3, 3, 4, 4]);
    expect(sim.stateOf<ClerkState>('clerk1')?.processes).toEqual([2, 2]);
  });

  it('pairs into operations: fail left out, info and crashed ones indeterminate', () => {
    expect(pairOperations(result.history).map(({ process, input, status, output, call, ret }) => ({ process, input, status, output, call, ret }))).toEqual([
      { process: 1, input: { n: 1 }, status: 'ok', output: { got: 1 }, call: ms(10), ret: ms(20) },
      { process: 2, input: { n: 1 }, status: 'ok', output: { got: 1 }, call: ms(10), ret: ms(20) },
      { process: 1, input: { n: 3 }, status: 'info', output: undefined, call: ms(50), ret: Infinity },
      { process: 3, input: { n: 4 }, status: 'info', output: undefined, call: ms(70), ret: Infinity },
      { process: 4, input: { n: 5 }, status: 'ok', output: undefined, call: ms(100), ret: ms(110) },
    ]);
  });

  it('seals inputs and outputs (frozen JSON) and replays identically', () => {
    expect(Object.isFrozen(result.history[0]?.input)).toBe(true);
    expect(Object.isFrozen(result.history[2]?.output)).toBe(true);
    const replay = replayTrace(parseTrace(sink.text(), 'memory'), model);
    expect(replay.divergence).toBeNull();
    expect(replay.result.history).toEqual(result.history);
    expect(replay.result.traceHash).toBe(result.traceHash);
  });

  it('the hash covers the history: an output that differs gives another hash', () => {
    const other = defineModel<null, 'step'>({
      ...model,
      roles: {
        server: { count: 1, node: idle },
        clerk: {
          count: 2,
          node: defineNode<null, null, 'step'>({
            start(ctx) {
              ctx.invoke({ n: 1 });
              ctx.complete('ok', { got: ctx.id === 'clerk0' ? 1 : 2 });
              return null;
            },
          }),
        },
      },
    });
    const same = defineModel<null, 'step'>({
      ...other,
      roles: {
        server: { count: 1, node: idle },
        clerk: {
          count: 2,
          node: defineNode<null, null, 'step'>({
            start(ctx) {
              ctx.invoke({ n: 1 });
              ctx.complete('ok', { got: 1 });
              return null;
            },
          }),
        },
      },
    });
    expect(new Simulation(other, { seed: 1 }).run().traceHash).not.toBe(new Simulation(same, { seed: 1 }).run().traceHash);
  });
});

describe('misusing the history API is a model crash (exit 3)', () => {
  /** A one-node model whose start handler does `act`. */
  function crashOf(act: (ctx: NodeContext<null, never>) => void) {
    const node = defineNode<null, null>({
      start(ctx) {
        act(ctx);
        return null;
      },
    });
    const result = new Simulation(defineModel<null>({ name: 'misuse', description: 'x', roles: { c: { count: 1, node } } }), { seed: 1 }).run();
    expect(result.failure?.kind).toBe('model-crash');
    return result.failure?.message ?? '';
  }

  it('invoking twice without completing', () => {
    expect(
      crashOf((ctx) => {
        ctx.invoke('a');
        ctx.invoke('b');
      }),
    ).toBe('node c0 called ctx.invoke() while process 0 has an operation in flight (invoked at event 2); a process runs one operation at a time: complete it first');
  });

  it('completing with nothing in flight, or twice', () => {
    expect(crashOf((ctx) => ctx.complete('ok'))).toBe("node c0 called ctx.complete('ok') with no operation in flight; ctx.invoke() one first");
    expect(
      crashOf((ctx) => {
        ctx.invoke(1);
        ctx.complete('fail');
        ctx.complete('fail');
      }),
    ).toBe("node c0 called ctx.complete('fail') with no operation in flight; ctx.invoke() one first");
  });

  it('an unknown outcome, or an output on fail or info', () => {
    expect(
      crashOf((ctx) => {
        ctx.invoke(1);
        ctx.complete('maybe' as 'ok');
      }),
    ).toBe(`node c0 called ctx.complete("maybe"); the outcome must be 'ok', 'fail' or 'info'`);
    expect(
      crashOf((ctx) => {
        ctx.invoke(1);
        (ctx.complete as (type: string, output: JsonValue) => void)('info', 'lost');
      }),
    ).toBe("node c0 called ctx.complete('info', output); only an 'ok' completion carries an output");
  });

  it('an input or output that is not JSON names the path', () => {
    expect(crashOf((ctx) => ctx.invoke({ at: new Date(0) } as never))).toBe(
      'the input of an operation invoked by c0 is not plain JSON data: an instance of Date at .at',
    );
    expect(
      crashOf((ctx) => {
        ctx.invoke(1);
        ctx.complete('ok', { f: () => 1 } as never);
      }),
    ).toBe('the output of an operation completed by c0 is not plain JSON data: a function at .f');
  });

  it('changing an input after invoking it throws (it is frozen)', () => {
    expect(
      crashOf((ctx) => {
        const input = { n: 1 };
        ctx.invoke(input);
        input.n = 2;
      }),
    ).toMatch(/^node c0 threw TypeError: Cannot assign to read only property 'n'/);
  });

  it('ctx.inFlight says what is in flight', () => {
    const seen: unknown[] = [];
    crashOf((ctx) => {
      seen.push(ctx.inFlight);
      ctx.invoke({ n: 1 });
      seen.push(ctx.inFlight);
      ctx.complete('info');
      seen.push(ctx.inFlight, ctx.process);
      throw new Error('done');
    });
    expect(seen).toEqual([null, { process: 0, input: { n: 1 }, invokedAtUs: 0 }, null, 1]);
  });
});
