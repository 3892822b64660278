/**
 * Message corruption: one leaf of a delivered payload changes (how, for each
 * kind of leaf), the trace records where and the changed payload, a model that
 * checks a checksum catches every corrupted delivery and a model that does not
 * is fooled, the rate holds over a large sample, and nothing happens when off.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, type JsonValue, type TraceEvent } from '../../src/index.ts';
import { changeLeaf, corruptPayload } from '../../src/network/corruption.ts';
import { RandomStream } from '../../src/random/stream.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { ofKind, record } from '../support/mesh.ts';

/** Every leaf of a JSON value with its path, depth first. */
function leaves(value: JsonValue, path: (string | number)[] = []): [string, JsonValue][] {
  if (value === null || typeof value !== 'object') return [[JSON.stringify(path), value]];
  const entries: [string | number, JsonValue][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  if (entries.length === 0) return [[JSON.stringify(path), value]];
  return entries.flatMap(([key, child]) => leaves(child, [...path, key]));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('corruptPayload', () => {
  it('changes each kind of leaf into another value of its kind', () => {
    const random = new RandomStream(1, 'leaf');
    for (let i = 0; i < 200; i++) {
      expect([7 - 1, 7 + 1]).toContain(changeLeaf(7, random));
      expect([-0.5 - 1, -0.5 + 1]).toContain(changeLeaf(-0.5, random));
      const text = changeLeaf('hello', random) as string;
      expect(text).toHaveLength(5);
      expect([...text].filter((c, k) => c !== 'hello'[k])).toHaveLength(1);
    }
    expect(changeLeaf(true, random)).toBe(false);
    expect(changeLeaf(false, random)).toBe(true);
    expect(changeLeaf(null, random)).toBe(0);
    expect(changeLeaf('', random)).toBe('?');
    expect(changeLeaf({}, random)).toBeNull();
    expect(changeLeaf([], random)).toBeNull();
    // Too large for a step of one to show: negated instead.
    expect(changeLeaf(2 ** 60, random)).toBe(-(2 ** 60));
    expect(changeLeaf('\ud83d\ude00', new RandomStream(2, 'x'))).not.toBe('\ud83d\ude00');
  });

  it('changes exactly one leaf, says which, and leaves the original untouched', () => {
    const original = deepFreeze({ a: 1, b: { c: 'text', d: [true, null, 3.5] }, e: [], f: {} }) as JsonValue;
    const before = JSON.stringify(original);
    const random = new RandomStream(4, 'corrupt');
    for (let i = 0; i < 500; i++) {
      const change = corruptPayload(original, random);
      expect(JSON.stringify(original)).toBe(before);
      const was = new Map(leaves(original));
      const now = leaves(change.payload);
      const differing = now.filter(([path, value]) => !Object.is(was.get(path), value) && JSON.stringify(was.get(path)) !== JSON.stringify(value));
      // One leaf differs (an empty container that became null still sits at its path).
      expect(differing.map(([path]) => path)).toEqual([JSON.stringify(change.path)]);
      expect(was.get(JSON.stringify(change.path))).toEqual(change.before);
      expect(differing[0]?.[1]).toEqual(change.after);
    }
  });

  it('draws each leaf about equally often, and the same stream gives the same change', () => {
    const payload = { w: 1, x: 'two', y: [false, null] } as JsonValue;
    const counts = new Map<string, number>();
    const random = new RandomStream(8, 'corrupt');
    for (let i = 0; i < 4_000; i++) {
      const key = JSON.stringify(corruptPayload(payload, random).path);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    // Binomial(4000, 0.25): mean 1000, sd 27.4; 5 sd -> [863, 1137].
    for (const count of counts.values()) expect(Math.abs(count - 1_000)).toBeLessThan(137);
    expect(corruptPayload(payload, new RandomStream(5, 'c'))).toEqual(corruptPayload(payload, new RandomStream(5, 'c')));
  });
});

// ---- a model that validates its input ------------------------------------------

type Reading = { value: { n: number; tag: string; ok: boolean; spare: null }; sum: number };

/** A checksum over the value's JSON (FNV-1a): one changed leaf changes it. */
function checksum(value: Reading['value']): number {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(value)) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

/** s0 sends one reading a millisecond to v0 (which checks the checksum) and to t0 (which trusts it). */
const sensor = defineNode<number, Reading, 'tick'>({
  start(ctx) {
    ctx.setTimer(1_000, 'tick');
    return 0;
  },
  onTimer(n, _timer, ctx) {
    const value = { n, tag: `r${n}`, ok: n % 2 === 0, spare: null };
    ctx.send('v0', { value, sum: checksum(value) });
    ctx.send('t0', { value, sum: checksum(value) });
    ctx.setTimer(1_000, 'tick');
    return n + 1;
  },
});
const validator = defineNode<{ accepted: number; rejected: number }, Reading, 'tick'>({
  start: () => ({ accepted: 0, rejected: 0 }),
  onMessage(state, _from, msg) {
    if (typeof msg.sum === 'number' && typeof msg.value === 'object' && msg.value !== null && checksum(msg.value) === msg.sum) state.accepted++;
    else state.rejected++;
  },
});
const truster = defineNode<{ wrong: number }, Reading, 'tick'>({
  start: () => ({ wrong: 0 }),
  onMessage(state, _from, msg) {
    // Believes whatever arrives; counts readings whose tag does not match their number (it cannot tell).
    if (msg.value?.tag !== `r${msg.value?.n}`) state.wrong++;
  },
});
const SENSORS = defineModel<Reading, 'tick'>({
  name: 'sensors',
  description: 'one sensor, a validating and a trusting receiver',
  roles: { s: { count: 1, node: sensor }, v: { count: 1, node: validator }, t: { count: 1, node: truster } },
});

describe('corruption on a model that validates its input', () => {
  it('the checksum catches every corrupted delivery, the rate holds, and the trusting receiver is fooled', () => {
    const corruptRate = 0.1;
    let corrupted = 0;
    let deliveries = 0;
    let wrong = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = record(SENSORS, { seed, timeUs: 1_000_000, network: { corruptRate } });
      const v = r.sim.stateOf<{ accepted: number; rejected: number }>('v0') as { accepted: number; rejected: number };
      const toValidator = ofKind(r.events, 'corrupt').filter((e) => e.to === 'v0').length;
      expect(v.rejected).toBe(toValidator);
      expect(v.accepted + v.rejected).toBe(ofKind(r.events, 'deliver').filter((e) => e.to === 'v0').length);
      corrupted += r.result.stats.corrupted;
      deliveries += r.result.stats.delivered;
      wrong += (r.sim.stateOf<{ wrong: number }>('t0') as { wrong: number }).wrong;
    }
    // Binomial(deliveries ~ 10,000, 0.1): sd ~30; 5 sd.
    const sd = Math.sqrt(deliveries * corruptRate * (1 - corruptRate));
    expect(Math.abs(corrupted - deliveries * corruptRate)).toBeLessThan(5 * sd);
    // The truster took corrupted n or tag values as true (about half the changes hit one of those two leaves).
    expect(wrong).toBeGreaterThan(100);
  });

  it('the trace says which leaf changed, and the delivery carries exactly that change', () => {
    const r = record(SENSORS, { seed: 7, timeUs: 200_000, network: { corruptRate: 0.2 } });
    const sent = new Map(ofKind(r.events, 'send').map((e) => [e.msg, e.payload]));
    const corrupts = ofKind(r.events, 'corrupt');
    expect(corrupts.length).toBeGreaterThan(40);
    for (const c of corrupts) {
      const deliver = r.events[c.n] as TraceEvent; // the very next event
      expect(deliver).toMatchObject({ kind: 'deliver', msg: c.msg, from: c.from, to: c.to, timeUs: c.timeUs });
      const original = sent.get(c.msg) as JsonValue;
      const at = (value: JsonValue): JsonValue => c.path.reduce<JsonValue>((v, step) => (v as Record<string | number, JsonValue>)[step] as JsonValue, value);
      expect(at(original)).toEqual(c.before);
      expect(at((deliver as Extract<TraceEvent, { kind: 'deliver' }>).payload)).toEqual(c.after);
      expect(c.after).not.toEqual(c.before);
    }
    expect(replayTrace(parseTrace(r.sink.text(), 'corrupt'), SENSORS).identical).toBe(true);
  });

  it('stops at the liveness phase: corruption is a fault, not a network condition', () => {
    const r = record(SENSORS, { seed: 3, timeUs: 400_000, settleUs: 200_000, network: { corruptRate: 0.2 } });
    const corrupts = ofKind(r.events, 'corrupt');
    expect(corrupts.length).toBeGreaterThan(40);
    expect(corrupts.every((e) => e.timeUs < 200_000)).toBe(true);
    expect(ofKind(r.events, 'deliver').filter((e) => e.timeUs >= 200_000).length).toBeGreaterThan(300);
  });

  it('off: nothing is corrupted and the validator rejects nothing', () => {
    const r = record(SENSORS, { seed: 1, timeUs: 300_000, network: { lossRate: 0.1, duplicateRate: 0.1 } });
    expect(ofKind(r.events, 'corrupt')).toEqual([]);
    expect(r.result.stats.corrupted).toBe(0);
    expect(r.sim.stateOf<{ rejected: number }>('v0')?.rejected).toBe(0);
    expect(r.sim.stateOf<{ wrong: number }>('t0')?.wrong).toBe(0);
  });

  it('a rate outside [0, 1] is an InputError naming the option', () => {
    expectInputError(() => new Simulation(SENSORS, { network: { corruptRate: 1.5 } }), 'network.corruptRate must be a probability between 0 and 1');
  });
});
