/**
 * Random faults: crashes with restarts after a downtime, partitions of the
 * configured shapes with a timed heal, and swizzle-clogs. Each kind draws from
 * its own stream (`faults:crash`, `faults:partition`, `faults:clog`) and
 * schedules its own next occurrence, so switching one kind off never shifts the
 * other's draws.
 */
import type { FaultOptions } from '../sim/options.ts';
import type { RandomStream } from '../random/stream.ts';
import type { PartitionShape } from '../sim/network-options.ts';
import { drawPartition, usableShapes } from '../network/partition-shapes.ts';
import { startSwizzleClog } from './swizzle-clog.ts';

/** What the random fault plan may do to the cluster (node indices). */
export interface FaultTarget {
  readonly nowUs: number;
  readonly nodeCount: number;
  isUp(node: number): boolean;
  isCrashable(node: number): boolean;
  crash(node: number): void;
  restart(node: number): void;
  /** `shape` says how the groups cut the network (see partition-shapes.ts). */
  partition(groups: number[][], shape: PartitionShape): void;
  heal(): void;
  /** Clogs both directions of a node's traffic (swizzle-clog). */
  clog(node: number): void;
  unclog(node: number): void;
  /** Runs `action` at absolute virtual time `atUs`. */
  schedule(atUs: number, action: () => void): void;
}

/** Starts the random fault plan; it keeps scheduling itself until the run ends. */
export function startRandomFaults(
  options: FaultOptions,
  streamFor: (kind: 'crash' | 'partition' | 'clog') => RandomStream,
  target: FaultTarget,
): void {
  const crash = options.crash;
  if (crash !== null) {
    const random = streamFor('crash');
    const downNow = new Set<number>();
    const tick = (): void => {
      const candidates: number[] = [];
      for (let node = 0; node < target.nodeCount; node++) {
        if (target.isUp(node) && target.isCrashable(node)) candidates.push(node);
      }
      if (downNow.size < crash.maxDown && candidates.length > 0) {
        const victim = random.pick(candidates);
        const downtimeUs = random.between(crash.downtime.minUs, crash.downtime.maxUs);
        downNow.add(victim);
        target.crash(victim);
        target.schedule(target.nowUs + downtimeUs, () => {
          downNow.delete(victim);
          if (!target.isUp(victim)) target.restart(victim);
        });
      }
      target.schedule(target.nowUs + 1 + random.exponential(crash.meanIntervalUs), tick);
    };
    target.schedule(1 + random.exponential(crash.meanIntervalUs), tick);
  }

  const partition = options.partition;
  // Shapes that need more nodes than the cluster has are left out (none left: no partitions).
  const shapes = partition === null ? [] : usableShapes(partition.shapes, target.nodeCount);
  if (partition !== null && shapes.length > 0) {
    const random = streamFor('partition');
    const tick = (): void => {
      const cut = drawPartition(shapes, target.nodeCount, random);
      const durationUs = random.between(partition.duration.minUs, partition.duration.maxUs);
      target.partition(cut.groups, cut.shape);
      const healAtUs = target.nowUs + durationUs;
      target.schedule(healAtUs, () => {
        target.heal();
        target.schedule(target.nowUs + 1 + random.exponential(partition.meanIntervalUs), tick);
      });
    };
    target.schedule(1 + random.exponential(partition.meanIntervalUs), tick);
  }

  if (options.clog !== null) startSwizzleClog(options.clog, streamFor('clog'), target);
}
