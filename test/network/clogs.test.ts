/**
 * Clogs hold traffic without losing it: a node's inbound or outbound traffic,
 * or one directed link, waits until unclogged and then arrives at once, in the
 * order it was held. Scripted clogs, the random swizzle-clog, the liveness
 * phase lifting clogs, replay, and no trace of any of it when off.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { meshModel, ofKind, record, type Recorded } from '../support/mesh.ts';

type Msg = { i: number } | { ack: number };

/** a0 and a1 send message k to b0 at k ms (k = 1..count); b0 acks each one. */
function pairModel(count: number) {
  const sender = defineNode<number, Msg, 'tick'>({
    start(ctx) {
      ctx.setTimer(1_000, 'tick');
      return 0;
    },
    onTimer(sent, _timer, ctx) {
      ctx.send('b0', { i: sent + 1 });
      if (sent + 1 < count) ctx.setTimer(1_000, 'tick');
      return sent + 1;
    },
  });
  const receiver = defineNode<number, Msg, 'tick'>({
    start: () => 0,
    onMessage(received, from, msg, ctx) {
      if ('i' in msg) ctx.send(from, { ack: msg.i });
      return received + 1;
    },
  });
  return defineModel<Msg, 'tick'>({ name: 'pair', description: 'two senders, one acking receiver', roles: { a: { count: 2, node: sender }, b: { count: 1, node: receiver } } });
}

const PAIR = pairModel(60);
/** Fixed 2 ms latency: message k from a sender arrives at (k + 2) ms. */
const FIXED: SimOptionsInput = { seed: 1, timeUs: 200_000, network: { latency: { minUs: 2_000, maxUs: 2_000 } } };
const number = (e: { payload: unknown }): number => {
  const p = e.payload as { i?: number; ack?: number };
  return p.i ?? p.ack ?? -1;
};

function run(script: (sim: Recorded['sim']) => void, options: SimOptionsInput = FIXED): Recorded {
  return record(PAIR, options, script);
}

describe('scripted clogs', () => {
  it('inbound: messages due while clogged wait, then all arrive at the unclog, in the order they were held', () => {
    const r = run((sim) => {
      sim.at(10_000, (c) => c.clog({ node: 'b0', direction: 'inbound' }));
      sim.at(30_000, (c) => c.unclog({ node: 'b0', direction: 'inbound' }));
    });
    const holds = ofKind(r.events, 'hold');
    // Message k arrives at (k + 2) ms; those due in [10, 30) ms are k = 8..27, from each sender.
    expect(holds).toHaveLength(40);
    expect(holds.every((h) => h.reason === 'clog' && h.to === 'b0' && h.timeUs >= 10_000 && h.timeUs < 30_000)).toBe(true);
    const releases = ofKind(r.events, 'release');
    expect(releases.map((e) => e.msg)).toEqual(holds.map((h) => h.msg));
    expect(releases.every((e) => e.timeUs === 30_000 && e.deliverAtUs === 30_000)).toBe(true);
    // Delivered at 30 ms in that order (messages simply due at 30 ms were queued before the release, and go first).
    const heldIds = new Set(holds.map((h) => h.msg));
    const burst = ofKind(r.events, 'deliver').filter((e) => heldIds.has(e.msg));
    expect(burst.every((e) => e.timeUs === 30_000)).toBe(true);
    expect(burst.map((e) => e.msg)).toEqual(holds.map((h) => h.msg));
    // Nothing was lost: every message sent to b0 was delivered.
    expect(ofKind(r.events, 'drop')).toEqual([]);
    expect(ofKind(r.events, 'deliver').filter((e) => e.to === 'b0')).toHaveLength(120);
    expect(r.result.stats.held).toBe(40);
    // b0's own sends were not held (clogged inbound only): acks it sent just before the clog arrive during it.
    const acks = ofKind(r.events, 'deliver').filter((e) => e.from === 'b0' && e.timeUs >= 10_000 && e.timeUs < 30_000);
    expect(acks.map((e) => [e.to, e.timeUs])).toEqual([['a0', 10_000], ['a1', 10_000], ['a0', 11_000], ['a1', 11_000]]);
  });

  it('outbound: only the clogged node\'s messages wait; it still receives', () => {
    const r = run((sim) => {
      sim.at(10_000, (c) => c.clog({ node: 'a0', direction: 'outbound' }));
      sim.at(30_000, (c) => c.unclog({ node: 'a0', direction: 'outbound' }));
    });
    const holds = ofKind(r.events, 'hold');
    expect(holds).toHaveLength(20);
    expect(holds.every((h) => h.from === 'a0')).toBe(true);
    const during = (e: TraceEvent): boolean => e.timeUs >= 10_000 && e.timeUs < 30_000;
    expect(ofKind(r.events, 'deliver').filter((e) => during(e) && e.from === 'a1').length).toBe(20);
    // Acks to a0 for messages delivered before the clog still arrive.
    expect(ofKind(r.events, 'deliver').filter((e) => during(e) && e.to === 'a0').length).toBeGreaterThan(0);
  });

  it('a link: only that direction of that link waits', () => {
    const r = run((sim) => {
      sim.at(10_000, (c) => c.clog({ from: 'a0', to: 'b0' }));
      sim.at(30_000, (c) => c.unclog({ from: 'a0', to: 'b0' }));
    });
    const holds = ofKind(r.events, 'hold');
    expect(holds).toHaveLength(20);
    expect(holds.every((h) => h.from === 'a0' && h.to === 'b0')).toBe(true);
    expect(ofKind(r.events, 'clog')[0]).toMatchObject({ from: 'a0', to: 'b0', by: 'script' });
  });

  it('an unclog releases only what no other clog still holds', () => {
    const r = run((sim) => {
      sim.at(10_000, (c) => {
        c.clog({ node: 'b0', direction: 'inbound' });
        c.clog({ from: 'a0', to: 'b0' });
      });
      sim.at(20_000, (c) => c.unclog({ node: 'b0', direction: 'inbound' }));
      sim.at(40_000, (c) => c.unclog({ from: 'a0', to: 'b0' }));
    });
    const releasedAt = (time: number): string[] => ofKind(r.events, 'release').filter((e) => e.timeUs === time).map((e) => e.from);
    expect(new Set(releasedAt(20_000))).toEqual(new Set(['a1']));
    expect(releasedAt(40_000).length).toBe(30); // a0's k = 8..37
    expect(new Set(releasedAt(40_000))).toEqual(new Set(['a0']));
  });

  it('clogging twice is one clog, and unclogging what is not clogged records nothing', () => {
    const r = run((sim) => {
      sim.at(10_000, (c) => c.clog({ node: 'b0' }));
      sim.at(11_000, (c) => c.clog({ node: 'b0', direction: 'inbound' }));
      sim.at(12_000, (c) => c.unclog({ from: 'a1', to: 'b0' }));
      sim.at(20_000, (c) => c.unclog({ node: 'b0' }));
    });
    expect(ofKind(r.events, 'clog').map((e) => [e.timeUs, 'node' in e ? e.direction : 'link'])).toEqual([[10_000, 'both']]);
    expect(ofKind(r.events, 'unclog').map((e) => e.timeUs)).toEqual([20_000]);
  });

  it('a held message still meets what happens meanwhile: its receiver crashed, so it is dropped on release', () => {
    const r = run((sim) => {
      sim.at(10_000, (c) => c.clog({ node: 'b0', direction: 'inbound' }));
      sim.at(15_000, (c) => c.crash('b0'));
      sim.at(30_000, (c) => c.unclog({ node: 'b0', direction: 'inbound' }));
    });
    const held = new Set(ofKind(r.events, 'hold').map((h) => h.msg));
    expect(held.size).toBe(40);
    const drops = ofKind(r.events, 'drop').filter((e) => held.has(e.msg));
    expect(drops).toHaveLength(40);
    expect(drops.every((e) => e.reason === 'node-down' && e.timeUs === 30_000)).toBe(true);
  });

  it('with FIFO links, released messages keep their order on each link', () => {
    const r = run(
      (sim) => {
        sim.at(10_000, (c) => c.clog({ from: 'a0', to: 'b0' }));
        sim.at(30_000, (c) => c.unclog({ from: 'a0', to: 'b0' }));
      },
      { seed: 2, timeUs: 200_000, network: { reorder: false, latency: { minUs: 1_000, maxUs: 9_000 } } },
    );
    const order = ofKind(r.events, 'deliver').filter((e) => e.from === 'a0' && e.to === 'b0').map(number);
    expect(order).toHaveLength(60);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(ofKind(r.events, 'hold').length).toBeGreaterThan(15);
  });

  it('the liveness phase lifts every clog, and what it held arrives then', () => {
    const r = run((sim) => sim.at(10_000, (c) => c.clog({ node: 'b0' })), { ...FIXED, timeUs: 100_000, settleUs: 40_000 });
    const unclogs = ofKind(r.events, 'unclog');
    expect(unclogs).toEqual([{ n: unclogs[0]?.n, timeUs: 60_000, kind: 'unclog', node: 'b0', direction: 'both' }]);
    const settle = r.events.find((e) => e.kind === 'settle');
    expect(settle?.timeUs).toBe(60_000);
    expect((unclogs[0]?.n ?? 0) > (settle?.n ?? Infinity)).toBe(true);
    expect(ofKind(r.events, 'release').every((e) => e.timeUs === 60_000)).toBe(true);
    expect(ofKind(r.events, 'release').length).toBe(ofKind(r.events, 'hold').length);
  });

  it('scripted clogs replay identically from their trace', () => {
    const r = run((sim) => {
      sim.at(10_000, (c) => c.clog({ node: 'b0', direction: 'inbound' }));
      sim.at(12_000, (c) => c.clog({ from: 'a1', to: 'b0' }));
      sim.at(20_000, (c) => c.clog({ node: 'a0', direction: 'outbound' }));
      sim.at(30_000, (c) => c.unclog({ node: 'b0', direction: 'inbound' }));
      sim.at(35_000, (c) => c.unclog({ from: 'a1', to: 'b0' }));
      sim.at(40_000, (c) => c.unclog({ node: 'a0', direction: 'outbound' }));
    });
    expect(ofKind(r.events, 'clog').every((e) => e.by === 'script')).toBe(true);
    const replay = replayTrace(parseTrace(r.sink.text(), 'clogs'), PAIR);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(r.result.traceHash);
  });

  it('bad clog requests are the test author\'s InputError', () => {
    expect(() => run((sim) => sim.at(1, (c) => c.clog({ node: 'z9' })))).toThrow(/clog: unknown node "z9"/);
    expect(() => run((sim) => sim.at(1, (c) => c.clog({ node: 'a0', direction: 'sideways' as never })))).toThrow(/direction must be one of inbound, outbound, both/);
    expect(() => run((sim) => sim.at(1, (c) => c.unclog({} as never)))).toThrow(/expected \{ node, direction\? \} or \{ from, to \}/);
  });

  it('off: nothing is held, and every message arrives when its send said', () => {
    const r = run(() => undefined);
    expect(ofKind(r.events, 'hold')).toEqual([]);
    expect(ofKind(r.events, 'clog')).toEqual([]);
    expect(r.result.stats.held).toBe(0);
    const due = new Map(ofKind(r.events, 'send').map((e) => [e.msg, e.deliverAtUs]));
    for (const d of ofKind(r.events, 'deliver')) expect(d.timeUs).toBe(due.get(d.msg));
  });
});

describe('swizzle-clog', () => {
  const MESH = meshModel(6, 1_000);
  const SWIZZLE = { meanIntervalUs: 30_000, nodes: 3, stepUs: 4_000, holdUs: 10_000 };

  function swizzles(events: readonly TraceEvent[]): { clogs: Extract<TraceEvent, { kind: 'clog' }>[]; unclogs: Extract<TraceEvent, { kind: 'unclog' }>[] }[] {
    const clogs = ofKind(events, 'clog');
    const unclogs = ofKind(events, 'unclog');
    const out = [];
    for (let i = 0; i + 3 <= unclogs.length; i += 3) out.push({ clogs: clogs.slice(i, i + 3), unclogs: unclogs.slice(i, i + 3) });
    return out;
  }

  it('clogs a random subset one by one, holds it, and unclogs it one by one in a different order; nothing is lost', () => {
    const r = record(MESH, { seed: 3, timeUs: 2_000_000, faults: { clog: SWIZZLE } });
    const rounds = swizzles(r.events);
    expect(rounds.length).toBeGreaterThan(25);
    const chosen = new Map<string, number>();
    for (const { clogs, unclogs } of rounds) {
      const nodes = clogs.map((e) => ('node' in e ? e.node : ''));
      const freed = unclogs.map((e) => ('node' in e ? e.node : ''));
      expect(new Set(nodes).size).toBe(3);
      expect([...freed].sort()).toEqual([...nodes].sort());
      expect(freed).not.toEqual(nodes);
      expect(clogs.every((e) => 'direction' in e && e.direction === 'both' && e.by === undefined)).toBe(true);
      const t0 = clogs[0]?.timeUs ?? 0;
      expect(clogs.map((e) => e.timeUs - t0)).toEqual([0, 4_000, 8_000]);
      expect(unclogs.map((e) => e.timeUs - t0)).toEqual([18_000, 22_000, 26_000]);
      for (const node of nodes) chosen.set(node, (chosen.get(node) ?? 0) + 1);
    }
    // Every node gets its turn: each is chosen with probability 1/2 per swizzle.
    expect(chosen.size).toBe(6);
    // No message is lost; everything held was released.
    expect(ofKind(r.events, 'drop')).toEqual([]);
    const held = ofKind(r.events, 'hold').length;
    expect(held).toBeGreaterThan(1_000);
    expect(ofKind(r.events, 'release').length).toBeGreaterThanOrEqual(held - 60);
    // Clogged messages arrive late: the longest wait is about a whole swizzle.
    const sentAt = new Map(ofKind(r.events, 'send').map((e) => [e.msg, e.timeUs]));
    const waits = ofKind(r.events, 'deliver').map((e) => e.timeUs - (sentAt.get(e.msg) ?? 0));
    expect(Math.max(...waits)).toBeGreaterThan(20_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(26_000 + 10_000);
  });

  it('stops at the liveness phase, which lifts what it had clogged', () => {
    const r = record(MESH, { seed: 3, timeUs: 500_000, settleUs: 200_000, faults: { clog: SWIZZLE } });
    const settleAt = 300_000;
    expect(ofKind(r.events, 'clog').filter((e) => e.timeUs > settleAt)).toEqual([]);
    expect(ofKind(r.events, 'unclog').filter((e) => e.timeUs > settleAt)).toEqual([]);
    expect(ofKind(r.events, 'hold').filter((e) => e.timeUs > settleAt)).toEqual([]);
  });

  it('more nodes than the cluster has clogs them all', () => {
    const r = record(meshModel(2, 1_000), { seed: 1, timeUs: 200_000, faults: { clog: { ...SWIZZLE, nodes: 5 } } });
    const first = ofKind(r.events, 'clog').slice(0, 2).map((e) => ('node' in e ? e.node : ''));
    expect(first.sort()).toEqual(['n0', 'n1']);
  });

  it('replays identically, and is off by default', () => {
    const r = record(MESH, { seed: 8, timeUs: 300_000, faults: { clog: SWIZZLE } });
    expect(replayTrace(parseTrace(r.sink.text(), 'swizzle'), MESH).identical).toBe(true);
    const off = record(MESH, { seed: 8, timeUs: 300_000 });
    expect(off.events.filter((e) => ['clog', 'unclog', 'hold', 'release'].includes(e.kind))).toEqual([]);
  });
});
