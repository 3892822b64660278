/**
 * The determinism guard: a model that reads real time or real randomness, or
 * schedules real callbacks, fails the run as `nondeterminism` with a message
 * naming the call and the node — even if it catches the error — and the real
 * globals are back once the run is over.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, Simulation, runSimulation, type JsonValue } from '../../src/index.ts';

const RealDate = Date;
const realRandom = Math.random;
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realSetImmediate = globalThis.setImmediate;
const realPerformanceNow = performance.now;

/** x0 runs `cheat` when y0's message arrives at 1100 µs; y0 sends it at 1000 µs. */
function cheatingModel(cheat: () => unknown, where: 'message' | 'start' = 'message') {
  const x = defineNode<{ result: JsonValue }, JsonValue>({
    start() {
      if (where === 'start') cheat();
      return { result: null };
    },
    onMessage(state) {
      state.result = cheat() as never;
    },
  });
  const y = defineNode<null, JsonValue, JsonValue>({
    start(ctx) {
      ctx.setTimer(1_000, null);
      return null;
    },
    onTimer(_state, _timer, ctx) {
      ctx.send('x0', 'go');
    },
  });
  return defineModel<JsonValue, JsonValue>({
    name: 'cheater',
    description: 'x0 reads the real world',
    roles: { x: { count: 1, node: x }, y: { count: 1, node: y } },
  });
}

const OPTIONS = { seed: 9, network: { latency: { minUs: 100, maxUs: 100 } } };

function expectGlobalsRestored(): void {
  expect(Math.random).toBe(realRandom);
  expect(typeof Math.random()).toBe('number');
  expect(globalThis.Date).toBe(RealDate);
  expect(typeof Date.now()).toBe('number');
  expect(new Date().getTime()).toBeGreaterThan(0);
  expect(globalThis.setTimeout).toBe(realSetTimeout);
  expect(globalThis.setInterval).toBe(realSetInterval);
  expect(globalThis.setImmediate).toBe(realSetImmediate);
  expect(performance.now).toBe(realPerformanceNow);
  expect(typeof performance.now()).toBe('number');
}

const cheats: [string, () => unknown][] = [
  ['Math.random()', () => Math.random()],
  ['Date.now()', () => Date.now()],
  ['new Date()', () => new Date().getTime()],
  ['Date()', () => Date()],
  ['performance.now()', () => performance.now()],
  ['setTimeout()', () => setTimeout(() => {}, 0)],
  ['setInterval()', () => setInterval(() => {}, 10)],
  ['setImmediate()', () => setImmediate(() => {})],
];

describe('determinism guard', () => {
  it.each(cheats)('%s in a handler fails the run as nondeterminism naming the call and the node', (call, cheat) => {
    const result = runSimulation(cheatingModel(cheat), OPTIONS);
    expect(result.outcome).toBe('fail');
    expect(result.endReason).toBe('failure');
    expect(result.failure).toMatchObject({ kind: 'nondeterminism', node: 'x0', timeUs: 1_100, property: null });
    expect(result.failure?.message).toContain(`node x0 called ${call}`);
    expectGlobalsRestored();
  });

  it('fails a cheat in start() at time 0 too', () => {
    const result = runSimulation(cheatingModel(() => Math.random(), 'start'), OPTIONS);
    expect(result.failure).toMatchObject({ kind: 'nondeterminism', node: 'x0', timeUs: 0 });
    expect(result.failure?.message).toMatch(/^node x0 called Math\.random\(\) during a run; use ctx\.random/);
  });

  it('still fails a model that catches the error', () => {
    const attempts: string[] = [];
    const result = runSimulation(
      cheatingModel(() => {
        try {
          return Date.now();
        } catch (error) {
          attempts.push((error as Error).name);
          return 0; // carry on as if nothing happened
        }
      }),
      OPTIONS,
    );
    expect(attempts).toEqual(['DeterminismError']);
    expect(result.failure).toMatchObject({ kind: 'nondeterminism', node: 'x0', timeUs: 1_100 });
    expect(result.failure?.message).toContain('node x0 called Date.now()');
    expectGlobalsRestored();
  });

  it('names a scripted action as the culprit when it cheats', () => {
    const sim = new Simulation(cheatingModel(() => 1), OPTIONS);
    sim.at(500, () => {
      Math.random();
    });
    const result = sim.run();
    expect(result.failure).toMatchObject({ kind: 'nondeterminism', node: null, timeUs: 500 });
    expect(result.failure?.message).toContain('called Math.random()');
    expectGlobalsRestored();
  });

  it('allows dates built from explicit timestamps', () => {
    const result = runSimulation(
      cheatingModel(() => {
        const epoch = new Date(0);
        return {
          epoch: epoch.getTime(),
          isDate: epoch instanceof Date,
          parsed: new Date('2020-01-01T00:00:00Z').getTime(),
          utc: Date.UTC(2020, 0, 1),
          iso: new Date(86_400_000).toISOString(),
        };
      }),
      OPTIONS,
    );
    expect(result.outcome).toBe('pass');
    expect(result.failure).toBeNull();
    expectGlobalsRestored();
  });

  it('hands the explicit-timestamp values to the model unchanged', () => {
    const sim = new Simulation(
      cheatingModel(() => ({ epoch: new Date(0).getTime(), utc: Date.UTC(2020, 0, 1), iso: new Date(86_400_000).toISOString() })),
      OPTIONS,
    );
    sim.run();
    expect(sim.stateOf('x0')).toEqual({ result: { epoch: 0, utc: 1_577_836_800_000, iso: '1970-01-02T00:00:00.000Z' } });
  });

  it('is only active during a run: model code may read the clock outside it, and globals work again after', async () => {
    const sim = new Simulation(cheatingModel(() => Math.random()), OPTIONS);
    expect(typeof Math.random()).toBe('number'); // built, not running
    while (sim.step()) {
      expectGlobalsRestored(); // between steps too
    }
    expect(sim.result().failure?.kind).toBe('nondeterminism');
    expectGlobalsRestored();
    await new Promise<void>((resolve) => setTimeout(resolve, 1)); // the real setTimeout fires
  });

  it('restores the globals after a model crash', () => {
    const result = runSimulation(
      cheatingModel(() => {
        throw new Error('plain crash');
      }),
      OPTIONS,
    );
    expect(result.failure?.kind).toBe('model-crash');
    expectGlobalsRestored();
  });

  it('does not mistake the simulator\'s own libraries for a cheating model (immer reads process.env.NODE_ENV)', () => {
    interface Tally {
      counts: Record<string, number>;
      order: string[];
    }
    const tally = defineNode<Tally, JsonValue>({
      start: () => ({ counts: {}, order: [] }),
      onMessage(state, from) {
        state.counts[from] = (state.counts[from] ?? 0) + 1; // an immer draft at work
        state.order.push(from);
      },
    });
    const pinger = defineNode<null, JsonValue, JsonValue>({
      start(ctx) {
        ctx.send('x0', 'hi');
        ctx.setTimer(10, null);
        return null;
      },
      onTimer(_state, _timer, ctx) {
        ctx.send('x0', 'again');
      },
    });
    const model = defineModel<JsonValue, JsonValue>({
      name: 'honest',
      description: 'no cheating at all',
      roles: { x: { count: 1, node: tally }, y: { count: 2, node: pinger } },
    });
    const sim = new Simulation(model, OPTIONS);
    const result = sim.run();
    expect(result.failure).toBeNull();
    expect(sim.stateOf<Tally>('x0')?.counts).toEqual({ y0: 2, y1: 2 });
  });

  it('catches a model that reads process.env (DESIGN rule 2)', () => {
    const result = runSimulation(
      cheatingModel(() => process.env['HOME'] ?? null),
      OPTIONS,
    );
    expect(result.failure).toMatchObject({ kind: 'nondeterminism', node: 'x0' });
    expect(result.failure?.message).toContain('node x0');
    expect(result.failure?.message).toContain('process.env');
    expect(typeof process.env['PATH']).toBe('string');
  });
});
