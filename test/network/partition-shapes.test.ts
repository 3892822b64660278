/**
 * Partitions of several shapes: what the random plan draws for each shape (and
 * that `halves` draws exactly what the plan drew before shapes existed), their
 * effect on a mesh where every node talks to every other (checked message by
 * message against the partition events), the scripted isolate, bridge and
 * one-way partitions, and their replay.
 */
import { describe, expect, it } from 'vitest';
import { drawPartition, usableShapes } from '../../src/network/partition-shapes.ts';
import { RandomStream } from '../../src/random/stream.ts';
import { PARTITION_SHAPES, type PartitionShape } from '../../src/sim/network-options.ts';
import { InputError } from '../../src/sim/errors.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import type { NodeId, TraceEvent } from '../../src/trace/events.ts';
import { meshModel, ofKind, record, type Recorded } from '../support/mesh.ts';

const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** The plan's draws before shapes existed (random-faults.ts at the base commit). */
function oldHalves(random: RandomStream, n: number): number[][] {
  const order = random.shuffle(all(n));
  const cut = random.between(1, n - 1);
  return [order.slice(0, cut).sort((a, b) => a - b), order.slice(cut).sort((a, b) => a - b)];
}

describe('drawPartition', () => {
  it('halves draws exactly what the plan drew before shapes existed, and nothing more', () => {
    for (const n of [2, 3, 5, 8]) {
      const now = new RandomStream(9, 'faults:partition');
      const before = new RandomStream(9, 'faults:partition');
      for (let i = 0; i < 200; i++) {
        expect(drawPartition(['halves'], n, now)).toEqual({ shape: 'halves', groups: oldHalves(before, n) });
      }
      // Same position in the stream afterwards: the duration and interval draws that follow are unchanged.
      expect(now.next()).toBe(before.next());
    }
  });

  it.each([3, 4, 5, 6, 7, 9])('each shape has its defining form over %i nodes (500 draws each)', (n) => {
    const random = new RandomStream(n, 'shapes');
    for (let i = 0; i < 500; i++) {
      const isolate = drawPartition(['isolate'], n, random).groups;
      expect(isolate[0]).toHaveLength(1);
      expect([...(isolate[0] ?? []), ...(isolate[1] ?? [])].sort((a, b) => a - b)).toEqual(all(n));

      const [majority = [], minority = []] = drawPartition(['majority'], n, random).groups;
      expect(minority).toHaveLength(Math.floor((n - 1) / 2));
      expect(majority.length * 2).toBeGreaterThan(n);
      expect([...majority, ...minority].sort((a, b) => a - b)).toEqual(all(n));

      for (const shape of ['halves', 'asymmetric'] as const) {
        const [a = [], b = []] = drawPartition([shape], n, random).groups;
        expect(a.length).toBeGreaterThan(0);
        expect(b.length).toBeGreaterThan(0);
        expect([...a, ...b].sort((x, y) => x - y)).toEqual(all(n));
      }

      const [sideA = [], sideB = []] = drawPartition(['bridge'], n, random).groups;
      const shared = sideA.filter((node) => sideB.includes(node));
      expect(shared).toHaveLength(1);
      expect(sideA.length).toBeGreaterThanOrEqual(2);
      expect(sideB.length).toBeGreaterThanOrEqual(2);
      expect([...new Set([...sideA, ...sideB])].sort((x, y) => x - y)).toEqual(all(n));
      for (const group of [...isolate, majority, minority, sideA, sideB]) expect(group).toEqual([...group].sort((x, y) => x - y));
    }
  });

  it('isolates every node about equally often, and picks among several shapes about evenly', () => {
    const random = new RandomStream(3, 'shapes');
    const victims = new Array(5).fill(0);
    for (let i = 0; i < 5_000; i++) victims[drawPartition(['isolate'], 5, random).groups[0]?.[0] ?? -1]++;
    // Binomial(5000, 0.2): mean 1000, sd 28.3; 5 sd -> [859, 1141].
    for (const count of victims) expect(Math.abs(count - 1_000)).toBeLessThan(141);
    const shapes = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      const shape = drawPartition(PARTITION_SHAPES, 6, random).shape;
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    }
    // Binomial(5000, 0.2) again for each of the five shapes.
    for (const shape of PARTITION_SHAPES) expect(Math.abs((shapes.get(shape) ?? 0) - 1_000)).toBeLessThan(141);
  });

  it('leaves out shapes a cluster is too small for', () => {
    expect(usableShapes(PARTITION_SHAPES, 2)).toEqual(['halves', 'isolate', 'asymmetric']);
    expect(usableShapes(PARTITION_SHAPES, 3)).toEqual([...PARTITION_SHAPES]);
    expect(usableShapes(['bridge', 'majority'], 2)).toEqual([]);
  });
});

/** Can `from` reach `to` under a recorded partition event (null: healed)? From the documented meaning of the event. */
function reachable(partition: Extract<TraceEvent, { kind: 'partition' }> | null, from: NodeId, to: NodeId): boolean {
  if (partition === null) return true;
  const [a = [], b = []] = partition.groups;
  if (partition.shape === 'asymmetric') return !(a.includes(from) && b.includes(to));
  if (partition.shape === 'bridge') {
    const sides = (node: NodeId): number[] => [...(a.includes(node) ? [0] : []), ...(b.includes(node) ? [1] : [])];
    return sides(from).some((side) => sides(to).includes(side)) || (sides(from).length === 0 && sides(to).length === 0);
  }
  const groupOf = (node: NodeId): number => partition.groups.findIndex((g) => g.includes(node));
  return groupOf(from) === groupOf(to);
}

/** Every message decision checked against the partition in effect; returns counts of what was seen. */
function checkAgainstPartitions(events: readonly TraceEvent[]): { delivered: number; cutDrops: number; oneWayDeliveries: number } {
  let current: Extract<TraceEvent, { kind: 'partition' }> | null = null;
  let delivered = 0;
  let cutDrops = 0;
  let oneWayDeliveries = 0;
  for (const e of events) {
    if (e.kind === 'partition') current = e;
    else if (e.kind === 'heal') current = null;
    else if (e.kind === 'deliver') {
      expect(reachable(current, e.from, e.to), `event ${e.n}: ${e.from} -> ${e.to} under ${JSON.stringify(current)}`).toBe(true);
      delivered++;
      // Delivered across the two groups of an asymmetric partition: the direction that still works.
      if (current?.shape === 'asymmetric' && !reachable(current, e.to, e.from)) oneWayDeliveries++;
    } else if (e.kind === 'send' && e.deliverAtUs !== null) {
      expect(reachable(current, e.from, e.to), `event ${e.n}`).toBe(true);
    } else if (e.kind === 'drop' && e.reason === 'partition') {
      expect(reachable(current, e.from, e.to), `event ${e.n}`).toBe(false);
      cutDrops++;
    }
  }
  return { delivered, cutDrops, oneWayDeliveries };
}

const MESH = meshModel(5, 1_000);
const PLAN = { meanIntervalUs: 20_000, duration: { minUs: 10_000, maxUs: 30_000 } };

describe('random partitions of each shape on a five-node mesh', () => {
  it.each<PartitionShape>(['halves', 'isolate', 'majority', 'asymmetric', 'bridge'])('%s: every message obeys the partition in effect', (shape) => {
    const run = record(MESH, { seed: 4, timeUs: 1_000_000, faults: { partition: { ...PLAN, shapes: [shape] } } });
    const partitions = ofKind(run.events, 'partition');
    expect(partitions.length).toBeGreaterThan(10);
    for (const p of partitions) {
      if (shape === 'halves') expect(p).not.toHaveProperty('shape');
      else expect(p.shape).toBe(shape);
    }
    const seen = checkAgainstPartitions(run.events);
    expect(seen.cutDrops).toBeGreaterThan(100);
    expect(seen.delivered).toBeGreaterThan(10_000);
    // Only an asymmetric partition lets messages through one way across it.
    if (shape === 'asymmetric') expect(seen.oneWayDeliveries).toBeGreaterThan(100);
    else expect(seen.oneWayDeliveries).toBe(0);
    if (shape === 'isolate') expect(partitions.every((p) => p.groups[0]?.length === 1 && p.groups[1]?.length === 4)).toBe(true);
    if (shape === 'majority') expect(partitions.every((p) => p.groups[0]?.length === 3 && p.groups[1]?.length === 2)).toBe(true);
  });

  it('a mix of shapes: each appears, and the run replays identically', () => {
    const run = record(MESH, { seed: 5, timeUs: 2_000_000, faults: { partition: { ...PLAN, shapes: [...PARTITION_SHAPES] } } });
    const kinds = new Set(ofKind(run.events, 'partition').map((p) => p.shape ?? 'halves'));
    expect([...kinds].sort()).toEqual([...PARTITION_SHAPES].sort());
    checkAgainstPartitions(run.events);
    expect(replayTrace(parseTrace(run.sink.text(), 'mix'), MESH).identical).toBe(true);
  });

  it('off: without partitions nothing is cut; the default shape list is halves, drawn as before', () => {
    const off = record(MESH, { seed: 4, timeUs: 300_000 });
    expect(ofKind(off.events, 'partition')).toEqual([]);
    expect(ofKind(off.events, 'drop')).toEqual([]);
    const implicit = record(MESH, { seed: 4, timeUs: 300_000, faults: { partition: PLAN } });
    const explicit = record(MESH, { seed: 4, timeUs: 300_000, faults: { partition: { ...PLAN, shapes: ['halves'] } } });
    expect(explicit.result.traceHash).toBe(implicit.result.traceHash);
    // Replaying the first partitions with the old algorithm gives the same groups.
    const random = new RandomStream(4, 'faults:partition');
    random.exponential(PLAN.meanIntervalUs);
    const first = ofKind(implicit.events, 'partition')[0];
    expect(first?.groups).toEqual(oldHalves(random, 5).map((g) => g.map((i) => `n${i}`)));
  });
});

describe('scripted shaped partitions', () => {
  const scripted = (script: (sim: Recorded['sim']) => void): Recorded => record(MESH, { seed: 1, timeUs: 100_000 }, script);

  it('isolate(node) cuts it off both ways, and heal() brings it back', () => {
    const run = scripted((sim) => {
      sim.at(20_000, (c) => c.isolate('n2'));
      sim.at(60_000, (c) => c.heal());
    });
    const [event] = ofKind(run.events, 'partition');
    expect(event).toMatchObject({ timeUs: 20_000, shape: 'isolate', groups: [['n2'], ['n0', 'n1', 'n3', 'n4']], by: 'script' });
    const during = (e: { timeUs: number }): boolean => e.timeUs >= 20_000 && e.timeUs < 60_000;
    const touching = ofKind(run.events, 'deliver').filter((e) => during(e) && (e.from === 'n2' || e.to === 'n2'));
    expect(touching).toEqual([]);
    expect(ofKind(run.events, 'deliver').filter((e) => during(e)).length).toBeGreaterThan(300);
    expect(ofKind(run.events, 'deliver').filter((e) => e.timeUs >= 70_000 && e.to === 'n2').length).toBeGreaterThan(50);
    checkAgainstPartitions(run.events);
  });

  it('partitionOneWay(from, to): to hears nothing from `from`, `from` still hears `to`', () => {
    const run = scripted((sim) => sim.at(20_000, (c) => c.partitionOneWay(['n0'], ['n1', 'n2'])));
    const late = ofKind(run.events, 'deliver').filter((e) => e.timeUs >= 30_000);
    expect(late.filter((e) => e.from === 'n0' && (e.to === 'n1' || e.to === 'n2'))).toEqual([]);
    expect(late.filter((e) => e.to === 'n0' && (e.from === 'n1' || e.from === 'n2')).length).toBeGreaterThan(100);
    expect(late.filter((e) => e.from === 'n0' && e.to === 'n3').length).toBeGreaterThan(50);
    expect(ofKind(run.events, 'partition')[0]).toMatchObject({ shape: 'asymmetric', groups: [['n0'], ['n1', 'n2']], by: 'script' });
    checkAgainstPartitions(run.events);
  });

  it('bridge(a, b): the shared node talks to both sides, the sides do not talk', () => {
    const run = scripted((sim) => sim.at(20_000, (c) => c.bridge(['n0', 'n1', 'n2'], ['n2', 'n3', 'n4'])));
    const late = ofKind(run.events, 'deliver').filter((e) => e.timeUs >= 30_000);
    const sideA = ['n0', 'n1'];
    const sideB = ['n3', 'n4'];
    expect(late.filter((e) => (sideA.includes(e.from) && sideB.includes(e.to)) || (sideB.includes(e.from) && sideA.includes(e.to)))).toEqual([]);
    for (const other of [...sideA, ...sideB]) {
      expect(late.some((e) => e.from === 'n2' && e.to === other)).toBe(true);
      expect(late.some((e) => e.from === other && e.to === 'n2')).toBe(true);
    }
    checkAgainstPartitions(run.events);
  });

  it('scripted shapes replay identically from their trace', () => {
    const run = scripted((sim) => {
      sim.at(10_000, (c) => c.isolate('n4'));
      sim.at(30_000, (c) => c.bridge(['n0', 'n1'], ['n1', 'n2']));
      sim.at(50_000, (c) => c.partitionOneWay(['n3'], ['n0']));
      sim.at(70_000, (c) => c.heal());
    });
    expect(ofKind(run.events, 'partition').map((p) => p.shape)).toEqual(['isolate', 'bridge', 'asymmetric']);
    const replay = replayTrace(parseTrace(run.sink.text(), 'scripted'), MESH);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(run.result.traceHash);
  });

  it('bad scripted shapes are the test author\'s InputError, thrown out of run()', () => {
    const attempt = (step: (sim: Recorded['sim']) => void): (() => unknown) => () => scripted(step);
    expect(attempt((sim) => sim.at(1, (c) => c.isolate('n9')))).toThrow(/isolate: unknown node "n9"/);
    expect(attempt((sim) => sim.at(1, (c) => c.bridge(['n0'], ['n1'])))).toThrow(/share no node/);
    expect(attempt((sim) => sim.at(1, (c) => c.partitionOneWay(['n0', 'n1'], ['n1'])))).toThrow(/node "n1" is on both sides/);
    expect(attempt((sim) => sim.at(1, (c) => c.partitionOneWay([], ['n1'])))).toThrow(InputError);
  });
});
