/**
 * Random partitions of several shapes, drawn from the `faults:partition`
 * stream. A partition is described by its shape and its groups (node indices,
 * each sorted), which is also what its trace event records:
 *
 * - `halves`: [A, B], a random cut of a random order into two non-empty groups.
 * - `isolate`: [[victim], everyone else].
 * - `majority`: [majority, minority], the minority floor((n-1)/2) random nodes:
 *   the largest group that still leaves the rest a strict majority.
 * - `asymmetric`: [A, B], drawn like halves; A's messages to B are dropped,
 *   B's messages to A arrive (A hears B, B does not hear A).
 * - `bridge`: [A, B] sharing exactly one random node, the bridge; the other
 *   nodes are split randomly, at least one on each side.
 *
 * The `halves` draws are exactly those of the plan before shapes existed, so a
 * run with the default shape list repeats its old traces.
 */
import type { RandomStream } from '../random/stream.ts';
import type { PartitionShape } from '../sim/network-options.ts';
import type { PartitionTable } from './partition.ts';

/** One partition: its shape (null: a scripted split into groups) and groups of node indices. */
export interface PartitionCut {
  shape: PartitionShape | null;
  groups: number[][];
}

/** The fewest nodes each shape needs to cut anything. */
const MIN_NODES: Record<PartitionShape, number> = { halves: 2, isolate: 2, majority: 3, asymmetric: 2, bridge: 3 };

/** The configured shapes a cluster of `nodeCount` nodes can take, in their configured order. */
export function usableShapes(shapes: readonly PartitionShape[], nodeCount: number): PartitionShape[] {
  return shapes.filter((shape) => nodeCount >= MIN_NODES[shape]);
}

/**
 * Draws one partition. The shape is drawn only when there are several to
 * choose from, so a single shape costs no extra draw.
 */
export function drawPartition(shapes: readonly PartitionShape[], nodeCount: number, random: RandomStream): PartitionCut & { shape: PartitionShape } {
  const shape = shapes.length === 1 ? (shapes[0] as PartitionShape) : random.pick(shapes);
  const all = Array.from({ length: nodeCount }, (_, i) => i);
  switch (shape) {
    case 'halves':
    case 'asymmetric': {
      const order = random.shuffle(all);
      const cut = random.between(1, nodeCount - 1);
      return { shape, groups: [sorted(order.slice(0, cut)), sorted(order.slice(cut))] };
    }
    case 'isolate': {
      const victim = random.int(nodeCount);
      return { shape, groups: [[victim], all.filter((node) => node !== victim)] };
    }
    case 'majority': {
      const order = random.shuffle(all);
      const minority = Math.floor((nodeCount - 1) / 2);
      return { shape, groups: [sorted(order.slice(minority)), sorted(order.slice(0, minority))] };
    }
    case 'bridge': {
      const order = random.shuffle(all);
      const bridge = order[0] as number;
      const rest = order.slice(1);
      const cut = random.between(1, rest.length - 1);
      return { shape, groups: [sorted([bridge, ...rest.slice(0, cut)]), sorted([bridge, ...rest.slice(cut)])] };
    }
  }
}

/** Applies a partition to the reachability table. */
export function applyPartition(table: PartitionTable, cut: PartitionCut): void {
  const [first = [], second = []] = cut.groups;
  if (cut.shape === 'bridge') table.bridge(first, second);
  else if (cut.shape === 'asymmetric') table.oneWay(first, second);
  else table.apply(cut.groups);
}

function sorted(nodes: number[]): number[] {
  return nodes.sort((a, b) => a - b);
}
