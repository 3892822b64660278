/**
 * What a model and a test script may and may not do, and how each mistake is
 * reported: async handlers, a ctx used after its handler returned, control
 * calls from inside a handler, properties that throw, scripted steps in a
 * trace (replayed from it), direct control between steps, shared id arrays,
 * and getters in messages under checking mode.
 */
import { describe, expect, it } from 'vitest';
import {
  always,
  defineModel,
  defineNode,
  InputError,
  MemorySink,
  ms,
  runSimulation,
  Simulation,
  type JsonValue,
  type NodeContext,
} from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

type Msg = { kind: 'hello' };

/** a0 says hello to a1 at start; a1 runs `onHello`. */
function helloModel(onHello: (ctx: NodeContext<Msg, JsonValue>) => unknown, extra: Partial<Parameters<typeof defineModel>[0]> = {}) {
  const node = defineNode<{ n: number }, Msg, JsonValue>({
    start(ctx) {
      if (ctx.id === 'a0') ctx.send('a1', { kind: 'hello' });
      return { n: 0 };
    },
    onMessage(_state, _from, _msg, ctx) {
      return onHello(ctx) as undefined;
    },
  });
  return defineModel<Msg, JsonValue>({ name: 'hello', description: 'a0 greets a1', roles: { a: { count: 2, node } }, ...extra });
}

describe('handlers must be synchronous', () => {
  it('an async handler fails the run as a model crash that says so', () => {
    const result = runSimulation(helloModel(async () => undefined), { seed: 1 });
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toContain('onMessage returned a Promise');
  });

  it('a ctx used after its handler returned fails the run at the next event, naming the node', async () => {
    let kept: NodeContext<Msg, JsonValue> | null = null;
    const sim = new Simulation(helloModel((ctx) => { kept = ctx; }), { seed: 1 });
    while (kept === null && sim.step());
    expect(kept).not.toBeNull();
    expect(() => kept?.send('a0', { kind: 'hello' })).toThrow(/a1 called ctx.send\(\) outside its own handler/);
    expect(sim.step()).toBe(false);
    const result = sim.result();
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toContain('outside its own handler');
  });
});

describe('scripted steps', () => {
  it('control called from inside a handler is refused: scripts go through sim.at', () => {
    let sim: Simulation | null = null;
    sim = new Simulation(helloModel(() => sim?.crash('a0')), { seed: 1 });
    const result = sim.run();
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toContain('crash() cannot be called from inside a node');
    expect(sim.isUp('a0')).toBe(true);
  });

  it('are marked in the trace, and replay re-applies them from it', () => {
    const sink = new MemorySink();
    const sim = new Simulation(helloModel(() => undefined), { seed: 4, faults: { crash: {} } }, { sinks: [sink] });
    sim.at(ms(100), (c) => c.partition([['a0'], ['a1']]));
    sim.at(ms(200), (c) => {
      c.heal();
      c.crash('a1');
    });
    sim.at(ms(300), (c) => c.restart('a1'));
    sim.run();
    const scripted = sink.events.filter((e) => 'by' in e && e.by === 'script').map((e) => `${e.kind}@${e.timeUs}`);
    expect(scripted).toEqual(['partition@100000', 'heal@200000', 'crash@200000', 'restart@300000']);
    // Random crashes from the options are not marked.
    expect(sink.events.some((e) => e.kind === 'crash' && !('by' in e))).toBe(true);
    const replay = replayTrace(parseTrace(sink.text(), 'scripted.jsonl'), helloModel(() => undefined));
    expect(replay.divergence).toBeNull();
  });

  it('called directly between steps, run under the guard and are traced', () => {
    const sink = new MemorySink();
    const sim = new Simulation(helloModel(() => undefined), { seed: 1 }, { sinks: [sink] });
    while (!sim.isUp('a1')) sim.step();
    sim.crash('a1');
    expect(sim.isUp('a1')).toBe(false);
    sim.run();
    const crash = sink.events.find((e) => e.kind === 'crash');
    expect(crash).toMatchObject({ node: 'a1', by: 'script' });
  });

  it('direct control before the run has started, or after it ended, is the test author\'s input error', () => {
    const sim = new Simulation(helloModel(() => undefined), { seed: 1 });
    expect(() => sim.restart('a0')).toThrow(/before the run has started/);
    expect(() => sim.crash('a0')).toThrow(InputError);
    sim.run();
    expect(() => sim.heal()).toThrow(/the run has ended/);
  });

  it('a failing assertion inside a scripted step is thrown to the test, not blamed on the model', () => {
    const sim = new Simulation(helloModel(() => undefined), { seed: 1 });
    sim.at(ms(1), () => {
      throw new Error('expected 1 to be 2');
    });
    expect(() => sim.run()).toThrow('expected 1 to be 2');
  });

  it('steps taken between step() calls, or scheduled from inside another step, replay where they happened', () => {
    const sink = new MemorySink();
    const model = helloModel(() => undefined);
    const sim = new Simulation(model, { seed: 2 }, { sinks: [sink] });
    while (!sim.isUp('a1')) sim.step();
    sim.partition([['a0'], ['a1']]);
    sim.at(ms(5), (c) => {
      c.heal();
      sim.at(ms(5), (inner) => inner.crash('a0'));
    });
    sim.at(ms(7), () => undefined); // records nothing: must leave no trace, not even on the clock
    sim.run();
    expect(sink.events.filter((e) => 'by' in e).map((e) => e.kind)).toEqual(['partition', 'heal', 'crash']);
    const replay = replayTrace(parseTrace(sink.text(), 'steps.jsonl'), model);
    expect(replay.divergence).toBeNull();
  });
});

describe('properties', () => {
  it('a property that throws is a model crash naming the property, with the trace kept', () => {
    const model = helloModel(() => undefined, {
      properties: [always('looks up a node that does not exist', (view) => view.state('nobody') === undefined)],
    });
    const result = runSimulation(model, { seed: 1 });
    expect(result.failure).toMatchObject({ kind: 'model-crash', property: 'looks up a node that does not exist' });
    expect(result.failure?.message).toContain('unknown node "nobody"');
  });

  it('get frozen views: a property cannot reorder the node list', () => {
    const model = helloModel(() => undefined, {
      properties: [always('sorts the nodes', (view) => ((view.nodes as unknown as unknown[]).reverse(), true))],
    });
    const result = runSimulation(model, { seed: 1 });
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.property).toBe('sorts the nodes');
  });
});

describe('shared data', () => {
  it('node id lists handed to models are frozen', () => {
    const result = runSimulation(helloModel((ctx) => (ctx.nodes as string[]).reverse()), { seed: 1 });
    expect(result.failure?.kind).toBe('model-crash');
    expect(result.failure?.message).toMatch(/read only|frozen|Cannot assign/);
  });

  it('checking mode refuses a message with a getter (it would be read again when the trace is written)', () => {
    let reads = 0;
    const withGetter = () => ({ kind: 'hello', get count() { return ++reads; } }) as unknown as Msg;
    const node = defineNode<null, Msg>({
      start(ctx) {
        if (ctx.id === 'a0') ctx.send('a1', withGetter());
        return null;
      },
    });
    const model = defineModel<Msg>({ name: 'getter', description: 'x', roles: { a: { count: 2, node } } });
    expect(runSimulation(model, { seed: 1, checkMode: true }).failure?.message).toContain('getter or setter');
  });

  it('a bad node id in a scripted step is the script author\'s input error', () => {
    const sim = new Simulation(helloModel(() => undefined), { seed: 1 });
    sim.at(0, (c) => c.crash('nobody'));
    expect(() => sim.run()).toThrow(InputError);
  });
});
