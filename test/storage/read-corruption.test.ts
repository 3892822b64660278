/**
 * Read corruption (`disk.readCorruptRate`): a read returns the stored value
 * with one bit flipped, traced as a `disk-fault` `corrupt-read`. A model that
 * stores `{ value, sum: checksum(value) }` catches every one (its count equals
 * the trace's), the stored value stays intact, and with the rate at 0 nothing
 * happens at all.
 */
import { describe, expect, it } from 'vitest';
import {
  checksum,
  defineModel,
  defineNode,
  MemorySink,
  ms,
  Simulation,
  type DurableStorage,
  type JsonValue,
  type TraceEvent,
} from '../../src/index.ts';

type CorruptRead = Extract<TraceEvent, { kind: 'disk-fault'; fault: 'corrupt-read' }>;
const corruptReads = (events: readonly TraceEvent[]): CorruptRead[] =>
  events.filter((e): e is CorruptRead => e.kind === 'disk-fault' && e.fault === 'corrupt-read');

const RECORDS = 10;
const original = (i: number): JsonValue => ({ n: i, name: `item-${i}`, tags: ['t', i % 2 === 0], ratio: i / 7 });

interface VaultState {
  reads: number;
  /** Keys of the reads whose checksum did not match, in order. */
  caught: string[];
  /** Reads that matched but returned something other than what was written (must stay 0). */
  wrongButValid: number;
}

/** The storage of the last vault started, for the test that reads it from outside a handler. */
let lastStorage: DurableStorage | null = null;

const vault = defineNode<VaultState, never, 'read'>({
  start(ctx, storage) {
    lastStorage = storage;
    if (storage.keys().length === 0) {
      for (let i = 0; i < RECORDS; i++) storage.put(`r${i}`, { value: original(i), sum: checksum(original(i)) });
      storage.sync();
    }
    ctx.setTimer(ms(1), 'read');
    return { reads: 0, caught: [], wrongButValid: 0 };
  },
  onTimer(state, _timer, ctx) {
    ctx.setTimer(ms(1), 'read');
    const i = ctx.random.int(RECORDS);
    const record = ctx.storage.get<{ value: JsonValue; sum: string }>(`r${i}`);
    state.reads++;
    if (record === undefined || checksum(record.value) !== record.sum) state.caught.push(`r${i}`);
    else if (JSON.stringify(record.value) !== JSON.stringify(original(i))) state.wrongButValid++;
  },
});

const vaultModel = defineModel<never, 'read'>({
  name: 'vault',
  description: 'one node reading checksummed records back',
  roles: { keeper: { count: 1, node: vault } },
});

function runVault(seed: number, readCorruptRate: number | undefined) {
  const sink = new MemorySink();
  const disk = readCorruptRate === undefined ? undefined : { readCorruptRate };
  const sim = new Simulation(vaultModel, { seed, timeUs: ms(1_000), disk }, { sinks: [sink] });
  const result = sim.run();
  return { sim, result, events: sink.events, state: sim.stateOf<VaultState>('keeper0') as VaultState };
}

describe('read corruption', () => {
  it.each([1, 2, 3])('seed %i, rate 0.05: the checksum catches every corrupt read, no more and no fewer than the trace records', (seed) => {
    const { sim, result, events, state } = runVault(seed, 0.05);
    const traced = corruptReads(events);
    expect(state.reads).toBe(1_000);
    expect(state.caught).toEqual(traced.map((e) => e.key));
    expect(result.stats.corruptReads).toBe(traced.length);
    expect(state.wrongButValid).toBe(0);
    // About 5% of 1,000 reads (measured 41, 54 and 58 for seeds 1-3); 25..80 is over 3.5 standard deviations either side.
    expect(traced.length).toBeGreaterThanOrEqual(25);
    expect(traced.length).toBeLessThanOrEqual(80);
    for (const e of traced) {
      expect(e.node).toBe('keeper0');
      expect(['value', 'sum']).toContain(e.path[0]);
    }
    // The flips land all over the record: each of its six leaves (numbers, strings, a boolean, the checksum itself) is hit.
    const fields = new Set(traced.map((e) => e.path.join('.')));
    expect([...fields].sort()).toEqual(['sum', 'value.n', 'value.name', 'value.ratio', 'value.tags.0', 'value.tags.1']);
    // The disk still holds what was written: a read is corrupted on its way, not at rest.
    const onDisk = sim.durableOf('keeper0');
    for (let i = 0; i < RECORDS; i++) expect(onDisk[`r${i}`]).toEqual({ value: original(i), sum: checksum(original(i)) });
  });

  it('at rate 1 corrupts every read', () => {
    const { events, state } = runVault(4, 1);
    expect(state.caught).toHaveLength(1_000);
    expect(corruptReads(events)).toHaveLength(1_000);
  });

  it('never happens at rate 0 (the default): no event, nothing caught, the same trace as without the option', () => {
    for (const seed of [1, 2, 3]) {
      const off = runVault(seed, 0);
      const absent = runVault(seed, undefined);
      expect(off.state.caught).toEqual([]);
      expect(off.result.stats.corruptReads).toBe(0);
      expect(off.events.some((e) => e.kind === 'disk-fault')).toBe(false);
      expect(off.result.traceHash).toBe(absent.result.traceHash);
    }
  });

  it('does not shift the node streams: the same records are read with and without corruption', () => {
    const on = runVault(5, 0.2);
    const off = runVault(5, 0);
    const reads = (events: readonly TraceEvent[]) => events.filter((e) => e.kind === 'timer-fire').map((e) => e.timeUs);
    expect(reads(on.events)).toEqual(reads(off.events));
    expect(on.state.reads).toBe(off.state.reads);
  });

  it('never corrupts a read made outside the node\'s own handler (it is not the node\'s I/O, and must not draw)', () => {
    const sink = new MemorySink();
    const sim = new Simulation(vaultModel, { seed: 6, timeUs: ms(20), disk: { readCorruptRate: 1 } }, { sinks: [sink] });
    const outside: JsonValue[] = [];
    sim.at(ms(10), () => {
      for (let i = 0; i < RECORDS; i++) outside.push((lastStorage as DurableStorage).get(`r${i}`) as JsonValue);
    });
    sim.run();
    expect(outside).toEqual(Array.from({ length: RECORDS }, (_, i) => ({ value: original(i), sum: checksum(original(i)) })));
    // Only the node's own 20 reads (at 1, 2, ..., 20 ms) were corrupted.
    expect(corruptReads(sink.events)).toHaveLength(20);
  });
});
