/**
 * Which nodes can reach which. A partition splits the nodes into groups; nodes
 * in different groups cannot exchange messages until the partition heals.
 */
import { InputError } from '../sim/errors.ts';

/** Group membership per node index; all in group 0 when healed. */
export class PartitionTable {
  private readonly groupOf: Int32Array;
  private split = false;

  constructor(nodeCount: number) {
    this.groupOf = new Int32Array(nodeCount);
  }

  /**
   * Splits the nodes into `groups` (node indices). Nodes not named in any group
   * form one more group of their own.
   */
  apply(groups: readonly (readonly number[])[]): void {
    this.groupOf.fill(0);
    groups.forEach((group, i) => {
      for (const node of group) {
        if (this.groupOf[node] !== 0) throw new InputError(`partition: node index ${node} is in two groups`);
        this.groupOf[node] = i + 1;
      }
    });
    this.split = true;
  }

  /** Removes every partition. */
  heal(): void {
    this.groupOf.fill(0);
    this.split = false;
  }

  /** Whether a message from `from` can reach `to` now. */
  connected(from: number, to: number): boolean {
    return !this.split || this.groupOf[from] === this.groupOf[to];
  }
}
