/**
 * Random faults of nodes and time: stop-the-world pauses (stream
 * `faults:pause`) and clock jumps (stream `faults:clock-jump`). Each kind draws
 * only from its own stream and schedules its own next occurrence, so switching
 * one on never shifts the draws of another kind, and a kind switched off draws
 * nothing.
 */
import type { ClockJumpOptions, PauseFaultOptions } from '../sim/node-time-options.ts';
import type { RandomStream } from '../random/stream.ts';

/** What the random pause plan may do (node indices). */
export interface PauseTarget {
  readonly nowUs: number;
  readonly nodeCount: number;
  /** Nodes paused now, by any cause. */
  readonly pausedCount: number;
  isUp(node: number): boolean;
  isPaused(node: number): boolean;
  pause(node: number, durationUs: number): void;
  /** Runs `action` at absolute virtual time `atUs` (nothing once the liveness phase began). */
  schedule(atUs: number, action: () => void): void;
}

/**
 * Starts random pauses: on average every `meanIntervalUs`, while fewer than
 * `maxPaused` nodes are paused, a node that is up and not paused (of any role:
 * a pause loses nothing) is paused for a duration drawn from `duration`.
 */
export function startRandomPauses(options: PauseFaultOptions, random: RandomStream, target: PauseTarget): void {
  const tick = (): void => {
    const candidates: number[] = [];
    for (let node = 0; node < target.nodeCount; node++) {
      if (target.isUp(node) && !target.isPaused(node)) candidates.push(node);
    }
    if (target.pausedCount < options.maxPaused && candidates.length > 0) {
      const victim = random.pick(candidates);
      target.pause(victim, random.between(options.duration.minUs, options.duration.maxUs));
    }
    target.schedule(target.nowUs + 1 + random.exponential(options.meanIntervalUs), tick);
  };
  target.schedule(1 + random.exponential(options.meanIntervalUs), tick);
}

/** What the random clock-jump plan may do. */
export interface ClockJumpTarget {
  readonly nowUs: number;
  readonly nodeCount: number;
  jump(node: number, deltaUs: number): void;
  /** Runs `action` at absolute virtual time `atUs` (nothing once the liveness phase began). */
  schedule(atUs: number, action: () => void): void;
}

/**
 * Starts random clock jumps: on average every `meanIntervalUs`, one node (any
 * node, up or down: the clock is its machine's) has its clock stepped by a
 * size drawn from `sizeUs`, forward or back with equal chance.
 */
export function startRandomClockJumps(options: ClockJumpOptions, random: RandomStream, target: ClockJumpTarget): void {
  const tick = (): void => {
    const node = random.int(target.nodeCount);
    const sizeUs = random.between(options.sizeUs.minUs, options.sizeUs.maxUs);
    // 0 - size, not -size: a jump of 0 must not be -0.
    target.jump(node, random.chance(0.5) ? sizeUs : 0 - sizeUs);
    target.schedule(target.nowUs + 1 + random.exponential(options.meanIntervalUs), tick);
  };
  target.schedule(1 + random.exponential(options.meanIntervalUs), tick);
}

/** What both plans need from the simulation. */
export interface NodeTimeTarget {
  readonly nowUs: number;
  readonly nodeCount: number;
  readonly pauses: { readonly pausedCount: number; isPaused(node: number): boolean; pause(node: number, durationUs: number, scripted: false): void };
  readonly clocks: { jump(node: number, deltaUs: number, scripted: false): void };
  isUp(node: number): boolean;
  /** Runs `action` at absolute virtual time `atUs` (nothing once the liveness phase began). */
  schedule(atUs: number, action: () => void): void;
}

/** Starts the random pause and clock-jump plans that `pause` and `jumps` switch on (null: off, no draw). */
export function startNodeTimeFaults(
  pause: PauseFaultOptions | null,
  jumps: ClockJumpOptions | null,
  streamFor: (kind: 'pause' | 'clock-jump') => RandomStream,
  target: NodeTimeTarget,
): void {
  if (pause !== null) {
    startRandomPauses(pause, streamFor('pause'), {
      get nowUs() {
        return target.nowUs;
      },
      nodeCount: target.nodeCount,
      get pausedCount() {
        return target.pauses.pausedCount;
      },
      isUp: (node) => target.isUp(node),
      isPaused: (node) => target.pauses.isPaused(node),
      pause: (node, durationUs) => target.pauses.pause(node, durationUs, false),
      schedule: (atUs, action) => target.schedule(atUs, action),
    });
  }
  if (jumps !== null) {
    startRandomClockJumps(jumps, streamFor('clock-jump'), {
      get nowUs() {
        return target.nowUs;
      },
      nodeCount: target.nodeCount,
      jump: (node, deltaUs) => target.clocks.jump(node, deltaUs, false),
      schedule: (atUs, action) => target.schedule(atUs, action),
    });
  }
}
