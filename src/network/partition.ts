/**
 * Which nodes can reach which, directed: whether a message from `from` can
 * reach `to` now. A partition puts nodes into groups (a node may sit in two,
 * the bridge of a `bridge` partition), and may cut one direction between two
 * sets of nodes (an `asymmetric` partition). Two nodes can talk when they share
 * a group and the direction is not cut.
 *
 * Kept as O(n) arrays rather than an n×n matrix: 10,000 nodes would need a
 * 100 MB matrix, and every shape is described by groups and one directed cut.
 * A query is a few array reads, cheap enough for every send and delivery.
 */
import { InputError } from '../sim/errors.ts';

/** Group membership and the directed cut, per node index; all connected when healed. */
export class PartitionTable {
  /** Each node's first group (0: named in no group, which is one more group of its own). */
  private readonly groupOf: Int32Array;
  /** Each node's second group (-1: none); only the shared nodes of a bridge have one. */
  private readonly secondGroupOf: Int32Array;
  /** Nodes whose messages to `cutTo` nodes are dropped (one-way cut). */
  private readonly cutFrom: Uint8Array;
  private readonly cutTo: Uint8Array;
  private split = false;
  private cutOneWay = false;

  constructor(nodeCount: number) {
    this.groupOf = new Int32Array(nodeCount);
    this.secondGroupOf = new Int32Array(nodeCount).fill(-1);
    this.cutFrom = new Uint8Array(nodeCount);
    this.cutTo = new Uint8Array(nodeCount);
  }

  /**
   * Splits the nodes into `groups` (node indices). Nodes not named in any group
   * form one more group of their own. A node in two groups is an error.
   */
  apply(groups: readonly (readonly number[])[]): void {
    this.reset();
    groups.forEach((group, i) => {
      for (const node of group) {
        if (this.groupOf[node] !== 0) throw new InputError(`partition: node index ${node} is in two groups`);
        this.groupOf[node] = i + 1;
      }
    });
    this.split = true;
  }

  /**
   * Two sides that share the nodes named in both (the bridge): a node of one
   * side only cannot reach a node of the other side only, while a shared node
   * reaches, and is reached by, both. Nodes in neither side form a group of
   * their own.
   */
  bridge(sideA: readonly number[], sideB: readonly number[]): void {
    this.reset();
    for (const node of sideA) this.groupOf[node] = 1;
    let shared = 0;
    for (const node of sideB) {
      if (this.groupOf[node] === 1) {
        this.secondGroupOf[node] = 2;
        shared++;
      } else this.groupOf[node] = 2;
    }
    if (shared === 0) throw new InputError('bridge: the two sides share no node (a partition without a bridge is partition())');
    this.split = true;
  }

  /**
   * Cuts one direction: messages from any node of `from` to any node of `to`
   * are dropped, while `to` still reaches `from`. Every other pair still talks.
   */
  oneWay(from: readonly number[], to: readonly number[]): void {
    this.reset();
    // Set first, so that a refused cut is cleared by the next reset.
    this.cutOneWay = true;
    for (const node of from) this.cutFrom[node] = 1;
    for (const node of to) {
      if (this.cutFrom[node] === 1) {
        this.reset();
        throw new InputError(`partitionOneWay: node index ${node} is on both sides`);
      }
      this.cutTo[node] = 1;
    }
    this.split = true;
  }

  /** Removes every partition. */
  heal(): void {
    this.reset();
  }

  /** Whether a message from `from` can reach `to` now. */
  connected(from: number, to: number): boolean {
    if (!this.split) return true;
    if (this.cutOneWay && this.cutFrom[from] === 1 && this.cutTo[to] === 1) return false;
    const a = this.groupOf[from] as number;
    const b = this.groupOf[to] as number;
    if (a === b) return true;
    // Only a bridge's shared nodes have a second group (never -1 on both sides of a match).
    const a2 = this.secondGroupOf[from] as number;
    const b2 = this.secondGroupOf[to] as number;
    return a2 === b || b2 === a || (a2 !== -1 && a2 === b2);
  }

  private reset(): void {
    this.groupOf.fill(0);
    this.secondGroupOf.fill(-1);
    if (this.cutOneWay) {
      this.cutFrom.fill(0);
      this.cutTo.fill(0);
    }
    this.split = false;
    this.cutOneWay = false;
  }
}
