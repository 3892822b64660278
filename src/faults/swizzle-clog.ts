/**
 * Swizzle-clog, after FoundationDB's simulator: pick a random subset of nodes,
 * clog them one by one (`stepUs` apart), hold them all clogged for `holdUs`,
 * then unclog them one by one in a different random order; after a random gap
 * (exponential, mean `meanIntervalUs`) begin again. A clogged node's traffic,
 * both directions, waits instead of being lost, so a swizzle builds a backlog
 * that arrives in a burst: the shape of a flapping switch or a stalled NIC.
 * Draws come from `faults:clog` only.
 */
import type { RandomStream } from '../random/stream.ts';
import type { ClogFaultOptions } from '../sim/network-options.ts';

/** What a swizzle needs from the cluster (node indices). */
export interface SwizzleTarget {
  readonly nowUs: number;
  readonly nodeCount: number;
  clog(node: number): void;
  unclog(node: number): void;
  /** Runs `action` at absolute virtual time `atUs` (nothing once the liveness phase began). */
  schedule(atUs: number, action: () => void): void;
}

/** Starts the swizzle plan; it keeps scheduling itself until the run ends. */
export function startSwizzleClog(options: ClogFaultOptions, random: RandomStream, target: SwizzleTarget): void {
  const count = Math.min(options.nodes, target.nodeCount);
  const all = Array.from({ length: target.nodeCount }, (_, i) => i);
  const swizzle = (): void => {
    const startUs = target.nowUs;
    const chosen = random.shuffle(all).slice(0, count);
    const unclogOrder = differentOrder(random.shuffle(chosen), chosen);
    chosen.forEach((node, i) => {
      if (i === 0) target.clog(node);
      else target.schedule(startUs + i * options.stepUs, () => target.clog(node));
    });
    const firstUnclogUs = startUs + (count - 1) * options.stepUs + options.holdUs;
    unclogOrder.forEach((node, j) => {
      const last = j === count - 1;
      target.schedule(firstUnclogUs + j * options.stepUs, () => {
        target.unclog(node);
        if (last) target.schedule(target.nowUs + 1 + random.exponential(options.meanIntervalUs), swizzle);
      });
    });
  };
  target.schedule(1 + random.exponential(options.meanIntervalUs), swizzle);
}

/** `order`, unless it equals `avoid` (possible by chance): then rotated by one, so the unclog order always differs. */
function differentOrder(order: number[], avoid: readonly number[]): number[] {
  const same = order.length >= 2 && order.every((node, i) => node === avoid[i]);
  return same ? [...order.slice(1), order[0] as number] : order;
}
