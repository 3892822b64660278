/**
 * Bounded capacity and load figures: a full link or inbox drops (reason
 * `overflow`) or holds messages at their sender (backpressure) until there is
 * room; per-node load (sent, received, dropped, queue depth) shows where the
 * overload is. The figures are checked against what the trace itself shows.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, type NodeLoad, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { ofKind, record } from '../support/mesh.ts';

type Msg = { n: number };

/** Eight clients send to hot0 every millisecond and to cold0 every sixteenth: one hot spot. */
const client = defineNode<number, Msg, 'tick'>({
  start(ctx) {
    ctx.setTimer(1_000, 'tick');
    return 0;
  },
  onTimer(ticks, _timer, ctx) {
    ctx.send('hot0', { n: ticks });
    if (ticks % 16 === 0) ctx.send('cold0', { n: ticks });
    ctx.setTimer(1_000, 'tick');
    return ticks + 1;
  },
});
const server = defineNode<number, Msg, 'tick'>({ start: () => 0, onMessage: (count) => count + 1 });
const HOT = defineModel<Msg, 'tick'>({
  name: 'hot-spot',
  description: 'eight clients, one hot server, one cold one',
  roles: { client: { count: 8, node: client }, hot: { count: 1, node: server }, cold: { count: 1, node: server } },
});

/** s0 sends `burst` messages to r0 at once, then nothing. */
function burstModel(burst: number, senders = 1) {
  const sender = defineNode<null, Msg>({
    start(ctx) {
      for (let n = 1; n <= burst; n++) ctx.send('r0', { n });
      return null;
    },
  });
  return defineModel<Msg>({ name: 'burst', description: 'bursts into one receiver', roles: { s: { count: senders, node: sender }, r: { count: 1, node: server } } });
}

/**
 * Rebuilds from the trace alone which messages are in flight, and returns each
 * node's most in flight towards it at once and each link's.
 */
function inFlightFromTrace(events: readonly TraceEvent[]): { byNode: Map<string, number>; byLink: Map<string, number> } {
  const travelling = new Map<number, { from: string; to: string }>();
  const now = new Map<string, number>();
  const byNode = new Map<string, number>();
  const byLink = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, delta: number, max: Map<string, number>): void => {
    const value = (map.get(key) ?? 0) + delta;
    map.set(key, value);
    if (value > (max.get(key) ?? 0)) max.set(key, value);
  };
  const start = (msg: number, from: string, to: string): void => {
    travelling.set(msg, { from, to });
    bump(now, to, 1, byNode);
    bump(now, `${from}>${to}`, 1, byLink);
  };
  for (const e of events) {
    if ((e.kind === 'send' || e.kind === 'release') && e.deliverAtUs !== null && !travelling.has(e.msg)) start(e.msg, e.from, e.to);
    else if (e.kind === 'duplicate' || (e.kind === 'adversary' && e.action !== 'tamper')) start(e.msg, e.from, e.to);
    else if ((e.kind === 'deliver' || e.kind === 'drop') && travelling.has(e.msg)) {
      const m = travelling.get(e.msg) as { from: string; to: string };
      travelling.delete(e.msg);
      bump(now, m.to, -1, new Map());
      bump(now, `${m.from}>${m.to}`, -1, new Map());
    }
  }
  return { byNode, byLink };
}

const HOT_OPTIONS: SimOptionsInput = { seed: 11, timeUs: 500_000 };

describe('a hot spot', () => {
  it('without capacity: nothing overflows, and the load figures show the hot node\'s deep queue', () => {
    const r = record(HOT, HOT_OPTIONS);
    const load = r.result.load;
    expect(Object.keys(load)).toEqual(['client0', 'client1', 'client2', 'client3', 'client4', 'client5', 'client6', 'client7', 'hot0', 'cold0']);
    expect(ofKind(r.events, 'drop')).toEqual([]);
    expect(ofKind(r.events, 'load')).toEqual([]); // no capacity, no --load: traces stay as they were
    const hot = load['hot0'] as NodeLoad;
    const cold = load['cold0'] as NodeLoad;
    // Each client sends one message a millisecond to hot0 with 1..10 ms latency: about 8 x 5.5 = 44 in flight.
    expect(hot.queueDepthMax).toBeGreaterThan(40);
    expect(hot.queueDepthMax).toBeLessThanOrEqual(80);
    expect(cold.queueDepthMax).toBeLessThan(hot.queueDepthMax / 4);
    expect(inFlightFromTrace(r.events).byNode.get('hot0')).toBe(hot.queueDepthMax);
    // The figures add up to the run's counts.
    const sum = (field: keyof NodeLoad): number => Object.values(load).reduce((total, l) => total + l[field], 0);
    expect([sum('sent'), sum('received'), sum('dropped')]).toEqual([r.result.stats.sent, r.result.stats.delivered, r.result.stats.dropped]);
    expect(load['client3']?.sent).toBe(ofKind(r.events, 'send').filter((e) => e.from === 'client3').length);
  });

  it('with a bounded inbox that drops: the hot node overflows, the cold one never does, and the trace ends with the figures', () => {
    const r = record(HOT, { ...HOT_OPTIONS, network: { capacity: { inboxMax: 10, overflow: 'drop' } } });
    const overflow = ofKind(r.events, 'drop').filter((e) => e.reason === 'overflow');
    expect(overflow.length).toBeGreaterThan(1_000);
    expect(new Set(overflow.map((e) => e.to))).toEqual(new Set(['hot0']));
    // An overflowing message is refused at its send: no delivery time.
    const sends = new Map(ofKind(r.events, 'send').map((e) => [e.msg, e]));
    expect(overflow.every((e) => sends.get(e.msg)?.deliverAtUs === null && sends.get(e.msg)?.timeUs === e.timeUs)).toBe(true);
    const load = r.result.load;
    expect(load['hot0']).toMatchObject({ queueDepthMax: 10, dropped: overflow.length });
    expect(load['cold0']?.dropped).toBe(0);
    expect(inFlightFromTrace(r.events).byNode.get('hot0')).toBe(10);
    // Roughly: hot0 can take 10 per ~5.5 ms of latency, about 1,800 a second, of the 8,000 a second sent to it.
    const hot = load['hot0'] as NodeLoad;
    expect(hot.received / (hot.received + hot.dropped)).toBeGreaterThan(0.15);
    expect(hot.received / (hot.received + hot.dropped)).toBeLessThan(0.4);
    const events = r.events;
    expect(events.at(-2)?.kind).toBe('load');
    expect(events.at(-2)).toMatchObject({ kind: 'load', nodes: load });
  });
});

describe('link capacity', () => {
  it('drop: a burst beyond the link limit is dropped at once, with reason overflow', () => {
    const r = record(burstModel(10), { seed: 1, network: { capacity: { linkInFlightMax: 2, overflow: 'drop' } } });
    expect(ofKind(r.events, 'deliver').map((e) => (e.payload as Msg).n).sort()).toEqual([1, 2]);
    expect(ofKind(r.events, 'drop').map((e) => [(e.payload as Msg).n, e.reason])).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((n) => [n, 'overflow']));
    expect(r.result.stats.dropped).toBe(8);
  });

  it('backpressure: the burst waits at the sender and goes one by one as room frees up; nothing is lost and order is kept', () => {
    const r = record(burstModel(10), { seed: 1, network: { capacity: { linkInFlightMax: 1, overflow: 'backpressure' } } });
    const delivered = ofKind(r.events, 'deliver');
    expect(delivered.map((e) => (e.payload as Msg).n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ofKind(r.events, 'drop')).toEqual([]);
    const holds = ofKind(r.events, 'hold');
    expect(holds.map((h) => h.reason)).toEqual(new Array(9).fill('backpressure'));
    // Each release happens exactly when the message before it is delivered.
    const releases = ofKind(r.events, 'release');
    expect(releases.map((e) => e.timeUs)).toEqual(delivered.slice(0, 9).map((e) => e.timeUs));
    expect(inFlightFromTrace(r.events).byLink.get('s0>r0')).toBe(1);
    expect(r.result.load['r0']).toMatchObject({ received: 10, dropped: 0, queueDepthMax: 1, waitingMax: 9 });
  });

  it('backpressure over an inbox shared by three senders: at most that many in flight, every message goes, each link in order', () => {
    const r = record(burstModel(20, 3), { seed: 5, network: { capacity: { inboxMax: 2, overflow: 'backpressure' }, lossRate: 0.1 } });
    expect(inFlightFromTrace(r.events).byNode.get('r0')).toBe(2);
    expect(r.result.load['r0']?.queueDepthMax).toBe(2);
    const lost = ofKind(r.events, 'drop');
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((e) => e.reason === 'loss')).toBe(true);
    expect(ofKind(r.events, 'deliver').length + lost.length).toBe(60);
    // Each sender's messages leave in the order they were sent (the network may still reorder them on the way).
    const payloads = new Map(ofKind(r.events, 'send').map((e) => [e.msg, (e.payload as Msg).n]));
    for (const sender of ['s0', 's1', 's2']) {
      const held = new Set(ofKind(r.events, 'hold').map((h) => h.msg));
      const leaves = (e: TraceEvent): boolean => e.kind === 'release' || (e.kind === 'send' && !held.has(e.msg));
      const leaving = r.events.flatMap((e) => (leaves(e) && 'from' in e && e.from === sender && 'msg' in e ? [payloads.get(e.msg) ?? -1] : []));
      expect(leaving).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
  });

  it('replays identically, and is off by default', () => {
    const options: SimOptionsInput = { seed: 3, timeUs: 200_000, network: { capacity: { inboxMax: 5, linkInFlightMax: 2, overflow: 'backpressure' } } };
    const r = record(HOT, options);
    expect(ofKind(r.events, 'hold').length).toBeGreaterThan(100);
    expect(replayTrace(parseTrace(r.sink.text(), 'capacity'), HOT).identical).toBe(true);
    const off = record(HOT, { seed: 3, timeUs: 200_000 });
    expect(off.events.filter((e) => e.kind === 'hold' || e.kind === 'release' || e.kind === 'load')).toEqual([]);
  });
});

describe('load figures', () => {
  it('trackLoad writes the load event without any capacity; it changes nothing else', () => {
    const plain = record(HOT, { seed: 2, timeUs: 50_000 });
    const tracked = record(HOT, { seed: 2, timeUs: 50_000, network: { trackLoad: true } });
    const [load] = ofKind(tracked.events, 'load');
    expect(load?.nodes).toEqual(tracked.result.load);
    expect(tracked.result.load).toEqual(plain.result.load);
    // The same run, plus one line before the end.
    expect(tracked.sink.lines.slice(1, -2)).toEqual(plain.sink.lines.slice(1, -1));
  });

  it('bad capacity options are InputErrors naming the option', () => {
    const make = (network: SimOptionsInput['network']) => () => new Simulation(HOT, { network });
    expectInputError(make({ capacity: {} }), 'network.capacity needs linkInFlightMax (--capacity-link) or inboxMax (--capacity-inbox)');
    expectInputError(make({ capacity: { inboxMax: 0 } }), 'network.capacity.inboxMax must be at least 1');
    expectInputError(make({ capacity: { linkInFlightMax: 1.5 } }), 'network.capacity.linkInFlightMax');
    expectInputError(make({ capacity: { inboxMax: 3, overflow: 'queue' as never } }), 'network.capacity.overflow must be one of drop, backpressure');
    expectInputError(make({ capacity: { inboxMax: 3, burst: 2 } as never }), 'network.capacity: unknown option "burst"');
    expectInputError(make({ trackLoad: 'yes' as never }), 'network.trackLoad must be true or false');
  });
});
