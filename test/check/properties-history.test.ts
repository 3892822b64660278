/**
 * Properties read the client history through their view: frozen, growing as
 * operations are recorded, so an `always` property can judge it after every
 * event and stop the run at the first operation that breaks it.
 */
import { describe, expect, it } from 'vitest';
import { always, defineModel, defineNode, ms, runSimulation, type HistoryEvent, type SystemView } from '../../src/index.ts';

/** A client that writes 1, 2, 3, ... every 10 ms, each completing at once; with the bug it writes 0 at its fourth. */
const client = defineNode<{ next: number }, null, 'tick'>({
  start(ctx) {
    ctx.setTimer(ms(10), 'tick');
    return { next: 1 };
  },
  onTimer(state, _timer, ctx) {
    ctx.invoke({ f: 'write', value: state.next === 4 && ctx.bug('zero') ? 0 : state.next });
    ctx.complete('ok');
    state.next++;
    ctx.setTimer(ms(10), 'tick');
  },
});

const writes = (view: SystemView): number[] =>
  view.history.filter((event) => event.type === 'invoke').map((event) => (event.input as { value: number }).value);

function model(properties: Parameters<typeof defineModel>[0]['properties']) {
  return defineModel<null, 'tick'>({
    name: 'writer',
    description: 'one client writing increasing values',
    roles: { client: { count: 1, node: client } },
    bugs: { zero: 'the fourth write is 0' },
    properties,
  });
}

describe('view.history', () => {
  it('grows with the run, so an always property over it passes on a correct run', () => {
    const seen: number[] = [];
    const result = runSimulation(
      model([
        always('writes increase', (view) => {
          const values = writes(view);
          seen.push(values.length);
          return values.every((value, i) => i === 0 || value > values[i - 1]!);
        }),
      ]),
      { seed: 1, timeUs: ms(100) },
    );
    expect(result.failure).toBeNull();
    expect(Math.max(...seen)).toBe(10);
    expect(result.history.filter((event) => event.type === 'invoke')).toHaveLength(10);
  });

  it('stops the run at the first operation that breaks an always property over it', () => {
    const result = runSimulation(model([always('writes increase', (view) => writes(view).every((v, i, all) => i === 0 || v > all[i - 1]!))]), {
      seed: 1,
      timeUs: ms(100),
      bugs: ['zero'],
    });
    expect(result.failure).toMatchObject({ kind: 'safety', property: 'writes increase', timeUs: ms(40) });
  });

  it('is frozen: a property that tries to change it throws, failing the run', () => {
    const result = runSimulation(
      model([
        always('tampers', (view) => {
          if (view.history.length > 0) (view.history as HistoryEvent[]).push(view.history[0]!);
          return true;
        }),
      ]),
      { seed: 1, timeUs: ms(50) },
    );
    expect(result.failure?.property).toBe('tampers');
    expect(result.failure?.message).toMatch(/not extensible|read.only|frozen/i);
  });

  it('hands out frozen events too', () => {
    let frozen = false;
    runSimulation(model([always('peek', (view) => ((frozen ||= view.history.length > 0 && Object.isFrozen(view.history[0])), true))]), {
      seed: 1,
      timeUs: ms(30),
    });
    expect(frozen).toBe(true);
  });
});
