/**
 * Random faults: crashes with restarts after a downtime, and partitions into
 * two random halves with a timed heal. Each kind draws from its own stream
 * (`faults:crash`, `faults:partition`) and schedules its own next occurrence,
 * so switching one kind off never shifts the other's draws.
 */
import type { FaultOptions } from '../sim/options.ts';
import type { RandomStream } from '../random/stream.ts';

/** What the random fault plan may do to the cluster (node indices). */
export interface FaultTarget {
  readonly nowUs: number;
  readonly nodeCount: number;
  isUp(node: number): boolean;
  isCrashable(node: number): boolean;
  crash(node: number): void;
  restart(node: number): void;
  partition(groups: number[][]): void;
  heal(): void;
  /** Runs `action` at absolute virtual time `atUs`. */
  schedule(atUs: number, action: () => void): void;
}

/** Starts the random fault plan; it keeps scheduling itself until the run ends. */
export function startRandomFaults(
  options: FaultOptions,
  streamFor: (kind: 'crash' | 'partition') => RandomStream,
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
  if (partition !== null && target.nodeCount >= 2) {
    const random = streamFor('partition');
    const tick = (): void => {
      const order = random.shuffle(Array.from({ length: target.nodeCount }, (_, i) => i));
      const cut = random.between(1, target.nodeCount - 1);
      const durationUs = random.between(partition.duration.minUs, partition.duration.maxUs);
      target.partition([order.slice(0, cut).sort(byNumber), order.slice(cut).sort(byNumber)]);
      const healAtUs = target.nowUs + durationUs;
      target.schedule(healAtUs, () => {
        target.heal();
        target.schedule(target.nowUs + 1 + random.exponential(partition.meanIntervalUs), tick);
      });
    };
    target.schedule(1 + random.exponential(partition.meanIntervalUs), tick);
  }
}

const byNumber = (a: number, b: number): number => a - b;
