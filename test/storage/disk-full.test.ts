/**
 * A full disk: over `disk.capacityBytes` (values counted by JSON length), or
 * made full by a scripted `diskFull(node, true)`. The put throws
 * DiskFullError, nothing is written, and a `disk-fault` `full` event is
 * traced; a model can catch it and free space. Without a capacity (the
 * default) no put is ever refused.
 */
import { describe, expect, it } from 'vitest';
import {
  defineModel,
  defineNode,
  DiskFullError,
  InputError,
  MemorySink,
  ms,
  Simulation,
  type JsonValue,
  type SimOptionsInput,
  type TraceEvent,
} from '../../src/index.ts';
import { exitCodeFor } from '../../src/cli/exit.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

type FullEvent = Extract<TraceEvent, { kind: 'disk-fault'; fault: 'full' }>;
const fullEvents = (events: readonly TraceEvent[]): FullEvent[] =>
  events.filter((e): e is FullEvent => e.kind === 'disk-fault' && e.fault === 'full');

/** 20 x's: 22 bytes of JSON. */
const ENTRY = 'x'.repeat(20);

interface Refusal {
  key: string;
  bytes: number;
  freeBytes: number;
  capacityBytes: number | null;
  filled: boolean;
  code: string;
  message: string;
  /** What a read of the key gave right after the refused put. */
  readBack: JsonValue | null;
}

interface AppenderState {
  next: number;
  appended: number;
  refusals: Refusal[];
}

/**
 * Appends `e/<i>` (22 bytes) every millisecond, synced. `handle`: catches
 * DiskFullError, deletes its two oldest entries and tries again on the next
 * tick; otherwise the error escapes the handler.
 */
function appender(handle: boolean) {
  return defineNode<AppenderState, never, 'append'>({
    start(ctx, storage) {
      ctx.setTimer(ms(1), 'append');
      const onDisk = storage.keys().map((key) => Number(key.slice(2)));
      return { next: Math.max(0, ...onDisk) + 1, appended: 0, refusals: [] };
    },
    onTimer(state, _timer, ctx) {
      ctx.setTimer(ms(1), 'append');
      const key = `e/${state.next}`;
      try {
        ctx.storage.put(key, ENTRY);
      } catch (error) {
        if (!handle || !(error instanceof DiskFullError)) throw error;
        const { bytes, freeBytes, capacityBytes, filled, code, message } = error;
        state.refusals.push({ key: error.key, bytes, freeBytes, capacityBytes, filled, code, message, readBack: ctx.storage.get(key) ?? null });
        const oldest = ctx.storage.keys().map((k) => Number(k.slice(2))).sort((a, b) => a - b).slice(0, 2);
        for (const seq of oldest) ctx.storage.delete(`e/${seq}`);
        ctx.storage.sync();
        return;
      }
      ctx.storage.sync();
      state.next++;
      state.appended++;
    },
  });
}

const model = (handle: boolean) =>
  defineModel<never, 'append'>({
    name: handle ? 'appender' : 'careless-appender',
    description: 'one node appending 22-byte entries',
    roles: { x: { count: 1, node: appender(handle) } },
  });

function run(handle: boolean, options: SimOptionsInput, script?: (sim: Simulation) => void) {
  const sink = new MemorySink();
  const sim = new Simulation(model(handle), { seed: 1, timeUs: ms(40), ...options }, { sinks: [sink] });
  script?.(sim);
  const result = sim.run();
  return { sim, result, sink, events: sink.events, state: sim.stateOf<AppenderState>('x0') };
}

/** Bytes the synced values take (JSON length). */
const usedBytes = (contents: Record<string, JsonValue>): number => Object.values(contents).reduce<number>((sum, v) => sum + JSON.stringify(v).length, 0);

describe('disk.capacityBytes', () => {
  it('refuses the put that would go over it with DiskFullError, writing nothing, and the model frees space and goes on', () => {
    const { result, events, state } = run(true, { disk: { capacityBytes: 100 } });
    expect(result.outcome).toBe('pass');
    const refusals = (state as AppenderState).refusals;
    // Four entries take 88 bytes; the fifth would make 110.
    expect(refusals[0]).toEqual({
      key: 'e/5',
      bytes: 22,
      freeBytes: 12,
      capacityBytes: 100,
      filled: false,
      code: 'ENOSPC',
      message: 'disk of x0 is full: put "e/5" needs 22 bytes, 12 of 100 bytes free',
      readBack: null,
    });
    // Every refusal is traced with the same figures, and counted.
    const traced = fullEvents(events);
    expect(traced.map(({ node, key, bytes, freeBytes }) => ({ node, key, bytes, freeBytes }))).toEqual(
      refusals.map(({ key, bytes, freeBytes }) => ({ node: 'x0', key, bytes, freeBytes })),
    );
    expect(result.stats.diskFullPuts).toBe(refusals.length);
    // 40 ticks: after the first four appends, two appends per refusal (each frees two entries).
    expect(refusals.length).toBe(12);
    expect((state as AppenderState).appended).toBe(28);
  });

  it('is never exceeded, step by step', () => {
    const sim = new Simulation(model(true), { seed: 1, timeUs: ms(40), disk: { capacityBytes: 100 } });
    let maxUsed = 0;
    while (sim.step()) maxUsed = Math.max(maxUsed, usedBytes(sim.durableOf('x0')));
    expect(maxUsed).toBe(88);
  });

  it('fails the run as a model crash naming DiskFullError when the model does not catch it', () => {
    const { result } = run(false, { disk: { capacityBytes: 100 } });
    expect(result.failure).toMatchObject({
      kind: 'model-crash',
      node: 'x0',
      message: 'node x0 threw DiskFullError: disk of x0 is full: put "e/5" needs 22 bytes, 12 of 100 bytes free',
      timeUs: ms(5),
    });
    expect(exitCodeFor(result)).toBe(3);
  });

  it('counts an overwrite by the difference, and a delete or a crash gives space back', () => {
    const outcomes: string[] = [];
    const tryPut = (put: () => void): void => {
      try {
        put();
        outcomes.push('ok');
      } catch (error) {
        outcomes.push(error instanceof DiskFullError ? `full ${error.freeBytes}` : 'other');
      }
    };
    const node = defineNode<null, never, 'go'>({
      start(ctx, storage) {
        if (ctx.now === 0) ctx.setTimer(ms(1), 'go');
        else {
          // After the crash only the synced "a" (30 bytes) is left: the unsynced puts and the delete are gone, and so is their accounting.
          tryPut(() => storage.put('c', '12345678')); // 10: 40 used
          tryPut(() => storage.put('d', 1)); // 1 more: 41 > 40
        }
        return null;
      },
      onTimer(_state, _timer, ctx) {
        const s = ctx.storage;
        tryPut(() => s.put('a', 'x'.repeat(28))); // 30 bytes
        s.sync();
        tryPut(() => s.put('b', '12345678')); // 10: 40 used
        tryPut(() => s.put('c', '1')); // 3 more: 43 > 40
        tryPut(() => s.put('a', 'x'.repeat(28))); // same size again: fits
        tryPut(() => s.put('a', 'x'.repeat(29))); // one byte more: 41 > 40
        s.delete('b');
        tryPut(() => s.put('a', 'x'.repeat(38))); // 40 bytes: fits with b gone (none of this is synced)
      },
    });
    const m = defineModel<never, 'go'>({ name: 'overwrite', description: 'overwrites', roles: { x: { count: 1, node } } });
    const sim = new Simulation(m, { seed: 1, timeUs: ms(10), disk: { capacityBytes: 40 } });
    sim.at(ms(2), (c) => c.crash('x0'));
    sim.at(ms(3), (c) => c.restart('x0'));
    sim.run();
    expect(outcomes).toEqual(['ok', 'ok', 'full 0', 'ok', 'full 0', 'ok', 'ok', 'full 0']);
    expect(sim.durableOf('x0')).toEqual({ a: 'x'.repeat(28) });
  });

  it('after a torn crash that kept a put but lost the delete that made room for it, is over capacity until a delete', () => {
    const outcomes: string[] = [];
    const node = defineNode<null, never, 'go'>({
      start(ctx, storage) {
        if (ctx.now === 0) {
          ctx.setTimer(ms(1), 'go');
          return null;
        }
        for (const step of [() => storage.put('c', 1), () => storage.delete('a'), () => storage.put('c', 1)]) {
          try {
            step();
            outcomes.push('ok');
          } catch (error) {
            outcomes.push(error instanceof DiskFullError ? `full ${error.freeBytes}` : 'other');
          }
        }
        return null;
      },
      onTimer(_state, _timer, ctx) {
        ctx.storage.put('a', '1234567890'); // 12 bytes of 20
        ctx.storage.sync();
        ctx.storage.delete('a');
        ctx.storage.put('b', '1234567890'); // fits only because "a" is deleted
      },
    });
    const m = defineModel<never, 'go'>({ name: 'torn-over', description: 'x', roles: { x: { count: 1, node } } });
    // Seeds whose crash keeps the put of "b" and loses the delete of "a": one in four on average, 3 of these 12 (0, 2, 3).
    const runs = Array.from({ length: 12 }, (_, seed) => {
      outcomes.length = 0;
      const sink = new MemorySink();
      const sim = new Simulation(m, { seed, timeUs: ms(10), disk: { crashLoss: 'torn', capacityBytes: 20 } }, { sinks: [sink] });
      sim.at(ms(2), (c) => c.crash('x0'));
      sim.at(ms(3), (c) => c.restart('x0'));
      sim.run();
      const crash = sink.events.find((e) => e.kind === 'crash');
      return { kept: crash?.kind === 'crash' ? crash.survivedWrites : undefined, durable: sim.durableOf('x0'), outcomes: [...outcomes] };
    });
    const over = runs.filter((run) => JSON.stringify(run.kept) === '["b"]');
    expect(over.length).toBe(3);
    for (const run of over) {
      expect(usedBytes(run.durable)).toBe(24);
      // Over capacity: even a 1-byte put is refused (no room left); after deleting "a" it fits.
      expect(run.outcomes).toEqual(['full 0', 'ok', 'ok']);
    }
  });

  it('never refuses anything without a capacity (the default), and a capacity never reached changes nothing', () => {
    const off = run(false, {});
    const roomy = run(false, { disk: { capacityBytes: 1_000_000 } });
    for (const { result, events, state } of [off, roomy]) {
      expect(result.outcome).toBe('pass');
      expect(fullEvents(events)).toEqual([]);
      expect(result.stats.diskFullPuts).toBe(0);
      expect(state?.appended).toBe(40);
    }
    expect(roomy.result.traceHash).toBe(off.result.traceHash);
  });
});

describe('scripted diskFull(node, full)', () => {
  const script = (sim: Simulation): void => {
    sim.at(3_500, (c) => c.diskFull('x0', true));
    sim.at(3_600, (c) => c.diskFull('x0', true)); // already full: nothing happens, nothing is recorded
    sim.at(7_500, (c) => c.diskFull('x0', false));
  };

  it('refuses every put while the disk is full, traced as fill and free by script, then puts work again', () => {
    const { result, events, state } = run(true, {}, script);
    expect(result.outcome).toBe('pass');
    const disk = events.filter((e) => e.kind === 'disk-fault');
    expect(disk.map((e) => [e.timeUs, e.fault, 'by' in e ? e.by : null])).toEqual([
      [3_500, 'fill', 'script'],
      [4_000, 'full', null],
      [5_000, 'full', null],
      [6_000, 'full', null],
      [7_000, 'full', null],
      [7_500, 'free', 'script'],
    ]);
    const refusals = (state as AppenderState).refusals;
    expect(refusals[0]).toMatchObject({ key: 'e/4', freeBytes: 0, capacityBytes: null, filled: true });
    expect(refusals[0]?.message).toBe('disk of x0 is full: put "e/4" needs 22 bytes, the disk was made full by a scripted step');
    // 40 ticks less the four refused; each refusal also deleted two entries.
    expect((state as AppenderState).appended).toBe(36);
  });

  it('replays identically from the trace, and a trace without the fill diverges at the first refused put', () => {
    const { sink } = run(true, {}, script);
    const trace = parseTrace(sink.text(), 'memory');
    const replay = replayTrace(trace, model(true));
    expect(replay.divergence).toBeNull();
    const fill = trace.events.find((e) => e.kind === 'disk-fault' && e.fault === 'fill') as TraceEvent;
    const lines = [JSON.stringify(trace.header), ...trace.eventLines.filter((_, i) => i !== fill.n - 1).map((line, i) => {
      const event = JSON.parse(line) as TraceEvent;
      return JSON.stringify({ ...event, n: i + 1 });
    })];
    const edited = parseTrace(lines.join('\n') + '\n', 'edited');
    const diverged = replayTrace(edited, model(true));
    // Without the fill the put succeeds: the recorded refusal (one number earlier after the edit) is what differs.
    const firstFull = fullEvents(trace.events)[0] as FullEvent;
    expect(diverged.divergence?.eventNumber).toBe(firstFull.n - 1);
    expect(diverged.divergence?.expected).toContain('"fault":"full"');
  });

  it('keeps the disk full across a crash and restart, a property of the disk, not of the node', () => {
    const { events, state } = run(true, {}, (sim) => {
      sim.at(2_500, (c) => c.diskFull('x0', true));
      sim.at(2_600, (c) => c.crash('x0'));
      sim.at(2_700, (c) => c.restart('x0'));
      sim.at(5_500, (c) => c.diskFull('x0', false));
    });
    expect(fullEvents(events).map((e) => [e.timeUs, e.key])).toEqual([
      [3_700, 'e/3'],
      [4_700, 'e/3'],
    ]);
    expect(state?.refusals).toHaveLength(2);
  });

  it('refuses an unknown node or a value that is not a boolean, as the test\'s own error', () => {
    const unknown = new Simulation(model(true), { seed: 1, timeUs: ms(5) });
    unknown.at(1_000, (c) => c.diskFull('nobody', true));
    expect(() => unknown.run()).toThrow(InputError);
    const notBoolean = new Simulation(model(true), { seed: 1, timeUs: ms(5) });
    notBoolean.at(1_000, (c) => c.diskFull('x0', 'yes' as unknown as boolean));
    expect(() => notBoolean.run()).toThrow(/diskFull\("x0", \.\.\.\): the second argument must be true or false, got yes/);
  });

  it('may be called directly between steps', () => {
    const sink = new MemorySink();
    const sim = new Simulation(model(true), { seed: 1, timeUs: ms(3) }, { sinks: [sink] });
    sim.step();
    sim.diskFull('x0', true);
    sim.run();
    expect(fullEvents(sink.events).map((e) => e.timeUs)).toEqual([1_000, 2_000, 3_000]);
  });
});
