/**
 * Seeded random streams. Every source of randomness in a run is a named stream
 * derived from the root seed and the stream's name (DESIGN.md rule 4), so a draw
 * added in one stream never shifts another.
 */
import seedrandom from 'seedrandom';

/** Names of the simulator's own streams; nodes get `node:<id>`. */
export const StreamName = {
  network: 'network',
  faults: 'faults',
  workload: 'workload',
  /** Each node's clock skew and drift, drawn once per run. */
  clocks: 'clocks',
  node: (nodeId: string): string => `node:${nodeId}`,
  /** Each nemesis's choices (which node, how long down). */
  nemesis: (name: string): string => `nemesis:${name}`,
} as const;

/** A deterministic source of numbers: everything a model may draw at random. */
export class RandomStream {
  // Alea: measured several times faster than seedrandom's default ARC4 and good enough for simulation.
  private readonly draw: () => number;

  constructor(
    readonly seed: number,
    readonly name: string,
  ) {
    this.draw = seedrandom.alea(`faultline:${seed}:${name}`);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.draw();
  }

  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.draw() * maxExclusive);
  }

  /** An integer in [min, max], both ends included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.draw() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.draw() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
    return items[this.int(items.length)] as T;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = held;
    }
    return copy;
  }

  /** An exponentially distributed integer with the given mean (for intervals between faults). */
  exponential(mean: number): number {
    // 1 - u is in (0, 1], so the log is finite.
    return Math.round(-Math.log(1 - this.draw()) * mean);
  }
}
