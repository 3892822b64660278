/**
 * The directed reachability table: plain groups, bridges and one-way cuts,
 * checked pair by pair against an oracle written from the definitions, for
 * hand-made cases and thousands of random ones.
 */
import { describe, expect, it } from 'vitest';
import { PartitionTable } from '../../src/network/partition.ts';
import { RandomStream } from '../../src/random/stream.ts';
import { InputError } from '../../src/sim/errors.ts';

type Shape =
  | { kind: 'groups'; groups: number[][] }
  | { kind: 'bridge'; a: number[]; b: number[] }
  | { kind: 'oneWay'; from: number[]; to: number[] };

/** Can `from` reach `to` under `shape`? Straight from the definitions in partition.ts. */
function oracle(shape: Shape, from: number, to: number): boolean {
  switch (shape.kind) {
    case 'groups': {
      const groupOf = (node: number): number => shape.groups.findIndex((g) => g.includes(node));
      return groupOf(from) === groupOf(to); // -1 (named nowhere) is a group of its own too
    }
    case 'bridge': {
      const sides = (node: number): string[] => [...(shape.a.includes(node) ? ['a'] : []), ...(shape.b.includes(node) ? ['b'] : [])];
      const [s, t] = [sides(from), sides(to)];
      if (s.length === 0 || t.length === 0) return s.length === 0 && t.length === 0;
      return s.some((side) => t.includes(side));
    }
    case 'oneWay':
      return !(shape.from.includes(from) && shape.to.includes(to));
  }
}

function apply(table: PartitionTable, shape: Shape): void {
  if (shape.kind === 'groups') table.apply(shape.groups);
  else if (shape.kind === 'bridge') table.bridge(shape.a, shape.b);
  else table.oneWay(shape.from, shape.to);
}

/** Every ordered pair where the table and the oracle disagree. */
function disagreements(table: PartitionTable, shape: Shape | null, n: number): string[] {
  const out: string[] = [];
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++) {
      const want = shape === null ? true : oracle(shape, from, to);
      if (table.connected(from, to) !== want) out.push(`${from}->${to} expected ${want}`);
    }
  }
  return out;
}

/** A random shape over n nodes: each node lands in side A, B, both (bridge) or none. */
function randomShape(random: RandomStream, n: number): Shape {
  const kind = random.pick(['groups', 'bridge', 'oneWay'] as const);
  const a: number[] = [];
  const b: number[] = [];
  for (let node = 0; node < n; node++) {
    const where = random.int(kind === 'bridge' ? 4 : 3);
    if (where === 0 || where === 3) a.push(node);
    if (where === 1 || where === 3) b.push(node);
  }
  if (kind === 'bridge' && !a.some((node) => b.includes(node))) {
    a.push(0);
    if (!b.includes(0)) b.push(0);
  }
  if (kind === 'groups') return { kind, groups: [a, b] };
  return kind === 'bridge' ? { kind, a, b } : { kind, from: a, to: b };
}

describe('PartitionTable', () => {
  it('connects everything until partitioned, and again after heal', () => {
    const table = new PartitionTable(4);
    expect(disagreements(table, null, 4)).toEqual([]);
    table.apply([[0], [1, 2, 3]]);
    expect(table.connected(0, 1)).toBe(false);
    table.heal();
    expect(disagreements(table, null, 4)).toEqual([]);
  });

  it('groups: symmetric, unnamed nodes form one more group', () => {
    const table = new PartitionTable(5);
    const shape: Shape = { kind: 'groups', groups: [[0, 1], [2]] };
    apply(table, shape);
    expect(disagreements(table, shape, 5)).toEqual([]);
    expect([table.connected(3, 4), table.connected(3, 0), table.connected(0, 1), table.connected(1, 2)]).toEqual([true, false, true, false]);
  });

  it('bridge: the shared node reaches and is reached by both sides; the sides cannot talk', () => {
    const table = new PartitionTable(5);
    apply(table, { kind: 'bridge', a: [0, 1, 2], b: [2, 3] });
    expect([table.connected(2, 0), table.connected(0, 2), table.connected(2, 3), table.connected(3, 2)]).toEqual([true, true, true, true]);
    expect([table.connected(0, 3), table.connected(3, 0), table.connected(1, 3)]).toEqual([false, false, false]);
    // Node 4 is on neither side: a group of its own.
    expect([table.connected(4, 2), table.connected(2, 4), table.connected(4, 4)]).toEqual([false, false, true]);
  });

  it('one-way: A hears B, B does not hear A; nodes outside both sides are untouched', () => {
    const table = new PartitionTable(4);
    apply(table, { kind: 'oneWay', from: [0], to: [1, 2] });
    expect([table.connected(0, 1), table.connected(0, 2)]).toEqual([false, false]);
    expect([table.connected(1, 0), table.connected(2, 0), table.connected(1, 2), table.connected(0, 3), table.connected(3, 0)]).toEqual([true, true, true, true, true]);
  });

  it('a new partition replaces the previous one entirely (a one-way cut does not linger)', () => {
    const table = new PartitionTable(3);
    table.oneWay([0], [1]);
    table.apply([[0, 1, 2]]);
    expect(disagreements(table, null, 3)).toEqual([]);
    table.bridge([0, 1], [1, 2]);
    table.oneWay([2], [0]);
    expect(disagreements(table, { kind: 'oneWay', from: [2], to: [0] }, 3)).toEqual([]);
  });

  it('refuses a node in two plain groups, a bridge without a shared node, and a one-way cut with a node on both sides', () => {
    const table = new PartitionTable(3);
    expect(() => table.apply([[0, 1], [1]])).toThrow(InputError);
    expect(() => table.bridge([0], [1])).toThrow(/share no node/);
    expect(() => table.oneWay([0, 1], [1])).toThrow(/on both sides/);
    // A refused one-way cut leaves nothing behind.
    table.apply([[0, 1, 2]]);
    expect(disagreements(table, null, 3)).toEqual([]);
  });

  it('agrees with the oracle on 3,000 random shapes over 2..9 nodes, every ordered pair', () => {
    const random = new RandomStream(42, 'partition-oracle');
    let cut = 0;
    let oneWayOnly = 0;
    for (let i = 0; i < 3_000; i++) {
      const n = random.between(2, 9);
      const shape = randomShape(random, n);
      const table = new PartitionTable(n);
      if (random.chance(0.3)) apply(table, randomShape(random, n)); // something to replace
      apply(table, shape);
      expect(disagreements(table, shape, n), JSON.stringify(shape)).toEqual([]);
      for (let from = 0; from < n; from++) {
        for (let to = 0; to < n; to++) {
          if (!table.connected(from, to)) cut++;
          if (!table.connected(from, to) && table.connected(to, from)) oneWayOnly++;
        }
      }
    }
    // The sample exercised cuts, and directed ones among them.
    expect(cut).toBeGreaterThan(10_000);
    expect(oneWayOnly).toBeGreaterThan(1_000);
  });
});
