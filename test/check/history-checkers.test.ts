/**
 * History checkers declared by a model: judged once when the run ends, in
 * order, on the paired operations and the raw history. A violation is a safety
 * failure named by the checker; unknown is reported and passes; a checker
 * that throws, returns something else or reads real time fails the run as a
 * model crash or nondeterminism; none is judged after an earlier failure.
 */
import { describe, expect, it } from 'vitest';
import {
  always,
  defineModel,
  defineNode,
  eventually,
  MemorySink,
  ms,
  Simulation,
  type CheckVerdict,
  type HistoryChecker,
  type HistoryEvent,
  type Operation,
  type Property,
} from '../../src/index.ts';
import { validateModel } from '../../src/node/model.ts';
import { ModelDefinitionError } from '../../src/sim/errors.ts';

/** A client that writes 1, 2, 3 (one every 10 ms, each ok 5 ms later). */
const writer = defineNode<{ next: number }, null, 'go' | 'done'>({
  start(ctx) {
    ctx.setTimer(ms(10), 'go');
    return { next: 1 };
  },
  onTimer(state, timer, ctx) {
    if (timer === 'go') {
      ctx.invoke({ f: 'write', value: state.next });
      ctx.setTimer(ms(5), 'done');
    } else {
      ctx.complete('ok');
      state.next++;
      if (state.next <= 3) ctx.setTimer(ms(5), 'go');
    }
  },
});

function run(checkers: HistoryChecker[], properties: Property[] = []) {
  const model = defineModel<null, 'go' | 'done'>({ name: 'writes', description: 'three writes', roles: { client: { count: 1, node: writer } }, checkers, properties });
  const sink = new MemorySink();
  const result = new Simulation(model, { seed: 1 }, { sinks: [sink] }).run();
  return { result, events: sink.events };
}

const fixed = (name: string, verdict: CheckVerdict): HistoryChecker => ({ name, check: () => verdict });

describe('history checkers', () => {
  it('get the paired operations and the history, once, when the run ends', () => {
    const calls: { operations: readonly Operation[]; history: readonly HistoryEvent[] }[] = [];
    const { result } = run([{ name: 'spy', check: (operations, history) => (calls.push({ operations, history }), { verdict: 'ok' }) }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.history).toEqual(result.history);
    expect(calls[0]?.operations.map((op) => [op.input, op.status, op.call, op.ret])).toEqual([
      [{ f: 'write', value: 1 }, 'ok', ms(10), ms(15)],
      [{ f: 'write', value: 2 }, 'ok', ms(20), ms(25)],
      [{ f: 'write', value: 3 }, 'ok', ms(30), ms(35)],
    ]);
    expect(result.outcome).toBe('pass');
    expect(result.checks).toEqual([{ name: 'spy', verdict: { verdict: 'ok' } }]);
  });

  it('a violation is a safety failure named by the checker, with its explanation, at the end of the run', () => {
    const { result, events } = run([fixed('fine', { verdict: 'ok' }), fixed('linearizable', { verdict: 'violated', message: 'write(2) lost\nafter write(3)' })]);
    expect(result.outcome).toBe('fail');
    expect(result.failure).toMatchObject({
      kind: 'safety',
      property: 'linearizable',
      message: 'history checker "linearizable" found a violation:\nwrite(2) lost\nafter write(3)',
      timeUs: ms(35),
      eventNumber: events.length - 1,
    });
    expect(events.at(-2)).toMatchObject({ kind: 'failure', failure: 'safety', property: 'linearizable' });
    expect(result.endReason).toBe('quiescent');
    expect(result.checks).toEqual([
      { name: 'fine', verdict: { verdict: 'ok' } },
      { name: 'linearizable', verdict: { verdict: 'violated', message: 'write(2) lost\nafter write(3)' } },
    ]);
  });

  it('unknown is reported and does not fail the run', () => {
    const { result } = run([fixed('linearizable', { verdict: 'unknown', reason: 'state budget of 10 reached' })]);
    expect(result.outcome).toBe('pass');
    expect(result.checks).toEqual([{ name: 'linearizable', verdict: { verdict: 'unknown', reason: 'state budget of 10 reached' } }]);
  });

  it('after a violation, later checkers and eventually properties are not judged', () => {
    let later = 0;
    const { result } = run(
      [fixed('first', { verdict: 'violated', message: 'no' }), { name: 'second', check: () => (later++, { verdict: 'ok' }) }],
      [eventually('never', () => (later++, false))],
    );
    expect(later).toBe(0);
    expect(result.failure?.property).toBe('first');
    expect(result.checks[1]).toEqual({ name: 'second', verdict: null });
  });

  it('are not judged when the run failed before its end', () => {
    let calls = 0;
    const { result } = run([{ name: 'spy', check: () => (calls++, { verdict: 'ok' }) }], [always('no writes', (view) => view.nowUs < ms(12))]);
    expect(result.failure?.kind).toBe('safety');
    expect(result.failure?.property).toBe('no writes');
    expect(calls).toBe(0);
    expect(result.checks).toEqual([{ name: 'spy', verdict: null }]);
  });

  it('a checker that throws is a model crash naming it', () => {
    const { result } = run([{ name: 'broken', check: () => { throw new RangeError('too deep'); } }]);
    expect(result.failure).toMatchObject({ kind: 'model-crash', property: 'broken', message: 'history checker "broken" threw RangeError: too deep' });
    expect(result.failure?.stack).toContain('RangeError: too deep');
  });

  it('a checker that returns something else is a model crash', () => {
    const { result } = run([{ name: 'sloppy', check: () => ({ ok: true }) as never }]);
    expect(result.failure).toMatchObject({
      kind: 'model-crash',
      property: 'sloppy',
      message: `history checker "sloppy" returned {"ok":true}; expected { verdict: 'ok' }, { verdict: 'violated', message } or { verdict: 'unknown', reason }`,
    });
  });

  it('a checker that reads real time is nondeterminism, even if it catches the error', () => {
    const thrown = run([{ name: 'clock', check: () => ({ verdict: Date.now() > 0 ? 'ok' : 'ok' }) }]);
    expect(thrown.result.failure?.kind).toBe('nondeterminism');
    const caught = run([
      {
        name: 'sly',
        check: () => {
          try {
            performance.now();
          } catch {
            // swallowed: the run must fail anyway
          }
          return { verdict: 'violated', message: 'never reported' };
        },
      },
    ]);
    expect(caught.result.failure?.kind).toBe('nondeterminism');
    expect(caught.result.failure?.message).toContain('performance.now');
  });
});

describe('validateModel: checkers', () => {
  const idle = defineNode<null, null>({ start: () => null });
  const messageOf = (extra: Record<string, unknown>): string => {
    try {
      validateModel({ name: 'probe', description: 'x', roles: { a: { count: 1, node: idle } }, ...extra });
    } catch (error) {
      expect(error).toBeInstanceOf(ModelDefinitionError);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it.each([
    ['not an array', { checkers: { name: 'x', check: () => ({ verdict: 'ok' }) } }, 'model probe: "checkers" must be an array of history checkers { name, check(operations) }, got an object'],
    ['no check function', { checkers: [{ name: 'x' }] }, 'model probe: checkers[0] must be a history checker { name, check(operations) } with a non-empty name, got an object'],
    ['an empty name', { checkers: [{ name: '', check: () => ({ verdict: 'ok' }) }] }, 'checkers[0] must be a history checker'],
    ['a bare function', { checkers: [() => ({ verdict: 'ok' })] }, 'checkers[0] must be a history checker { name, check(operations) } with a non-empty name, got a function'],
    ['two with one name', { checkers: [fixed('x', { verdict: 'ok' }), fixed('x', { verdict: 'ok' })] }, 'checkers[1]: a property or another checker is already named "x"'],
    ['a name a property has', { properties: [always('x', () => true)], checkers: [fixed('x', { verdict: 'ok' })] }, 'checkers[0]: a property or another checker is already named "x"'],
  ])('%s', (_what, extra, fragment) => {
    expect(messageOf(extra)).toContain(fragment);
  });

  it('accepts well-formed checkers', () => {
    expect(messageOf({ checkers: [fixed('a', { verdict: 'ok' }), fixed('b', { verdict: 'ok' })] })).toBe('accepted');
  });
});

describe('history checkers read frozen copies', () => {
  it('a checker that changes an operation or the history throws (a model crash); the result keeps the history', () => {
    const tamper: HistoryChecker = {
      name: 'tamper',
      check(operations, history) {
        (history as HistoryEvent[]).length = 0;
        (operations[0] as { output: unknown }).output = 99;
        return { verdict: 'ok' };
      },
    };
    const { result } = run([tamper]);
    expect(result.failure).toMatchObject({ kind: 'model-crash', property: 'tamper' });
    expect(result.failure?.message).toMatch(/history checker "tamper" threw TypeError/);
    expect(result.history).toHaveLength(6);
  });
});

describe('eventually and the liveness phase', () => {
  it('is not judged when the event budget stops the run before its liveness phase began', () => {
    const model = defineModel<null, 'go' | 'done'>({
      name: 'writes',
      description: 'three writes',
      roles: { client: { count: 1, node: writer } },
      properties: [eventually('never', () => false)],
    });
    const cut = new Simulation(model, { seed: 1, timeUs: ms(100), settleUs: ms(50), maxEvents: 2 }).run();
    expect(cut.endReason).toBe('event-budget');
    expect(cut.failure).toBeNull();
    // The same run given the events to reach its liveness phase is judged, and fails.
    const whole = new Simulation(model, { seed: 1, timeUs: ms(100), settleUs: ms(50) }).run();
    expect(whole.failure).toMatchObject({ kind: 'liveness', property: 'never' });
  });
});
