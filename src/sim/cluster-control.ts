/**
 * The operations that change the cluster rather than one node's state:
 * starting and restarting a node, crashing it, partitioning and healing the
 * network. Random faults and a test's scripted steps both come through here, so
 * both are traced the same way (scripted ones marked).
 */
import type { NodeRuntime } from '../node/runtime.ts';
import type { Network } from '../network/network.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { RunStats } from './result.ts';
import type { Clock } from './effects.ts';
import type { ClientHistory } from './client-history.ts';
import type { PartitionShape } from './network-options.ts';
import { applyPartition } from '../network/partition-shapes.ts';

/** Who is acting now: the node whose handler runs, for ctx checks and culprit names. */
export interface Acting {
  /** Node index, or -1. */
  node: number;
  /** True while that node's own handler (start, message, timer) runs. */
  inHandler: boolean;
}

/** Starts, crashes, partitions and heals. */
export class ClusterControl {
  /** Whether a partition is in effect (so the liveness phase knows whether to heal). */
  private partitioned = false;
  /** Called right after a node crashed and its crash was recorded (a paused node's held messages are lost). */
  afterCrash: ((index: number) => void) | null = null;

  constructor(
    private readonly nodes: readonly NodeRuntime[],
    private readonly network: Network,
    private readonly recorder: Recorder,
    private readonly stats: RunStats,
    private readonly clock: Pick<Clock, 'nowUs'>,
    private readonly acting: Acting,
    private readonly history: ClientHistory,
  ) {}

  /** Runs a node's start handler: its first start, or a restart after a crash. */
  start(index: number, restart: boolean, scripted: boolean): void {
    const node = this.nodes[index] as NodeRuntime;
    // A node a test restarted before its first start has started already.
    if (!restart && node.up) return;
    if (restart) {
      this.stats.restarts++;
      this.recorder.restart(this.clock.nowUs, index, scripted);
    } else {
      this.recorder.start(this.clock.nowUs, index);
    }
    const saved = { ...this.acting };
    this.acting.node = index;
    this.acting.inHandler = true;
    node.start();
    // Restore who is acting: a scripted step that restarts a node and then misbehaves is not that node.
    this.acting.node = saved.node;
    this.acting.inHandler = saved.inHandler;
  }

  /**
   * Crashes a node that is up: its volatile state, timers and unsynced writes
   * are lost, and an operation it had in flight ends as `info` (recorded
   * right after the crash).
   */
  crash(index: number, scripted: boolean): void {
    const node = this.nodes[index] as NodeRuntime;
    if (!node.up) return;
    const [lostWrites, lostTimers, survivedWrites] = node.crash();
    this.stats.crashes++;
    this.recorder.crash(this.clock.nowUs, index, lostWrites, lostTimers, scripted, survivedWrites);
    this.history.crashed(index);
    this.afterCrash?.(index);
  }

  /** Splits the nodes into groups that cannot talk, cut as `shape` says (null: plain groups; see partition-shapes.ts). */
  partition(groups: number[][], scripted: boolean, shape: PartitionShape | null = null): void {
    applyPartition(this.network.partitions, { shape, groups });
    this.partitioned = true;
    this.stats.partitions++;
    this.recorder.partition(this.clock.nowUs, groups, scripted, shape);
  }

  /** Removes every partition. */
  heal(scripted: boolean): void {
    this.network.partitions.heal();
    this.partitioned = false;
    this.recorder.heal(this.clock.nowUs, scripted);
  }

  /**
   * The liveness phase begins: recorded as a `settle` event, then a heal if a
   * partition is in effect, then `beforeRestarts` (disks made full get room
   * again, so a restarting node can write), and a restart of every node that
   * is down, in index order. (The caller stops the random fault plan.)
   */
  settle(beforeRestarts: () => void = () => undefined): void {
    this.recorder.settle(this.clock.nowUs);
    if (this.partitioned) this.heal(false);
    beforeRestarts();
    for (const node of this.nodes) if (!node.up) this.start(node.index, true, false);
  }
}
