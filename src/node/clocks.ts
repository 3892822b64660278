/**
 * Each node's own clock. The scheduler keeps true virtual time; a node reads
 *
 *   clockUs(t) = t + offsetUs + floor(t · driftPpm / 1,000,000)
 *
 * where `t` is true time (µs since the run began), `driftPpm` the clock's rate
 * error and `offsetUs` its skew plus every jump so far. All of it is integer
 * arithmetic (DESIGN rule 5), exact for any safe true time, and the reading
 * never runs backwards except by a jump. A node's clock belongs to its machine,
 * not its process: a crash and restart keep it.
 *
 * Timers run on the same oscillator but are not moved by jumps (as timers on a
 * monotonic clock are not): a timer of `d` µs fires once the node's clock has
 * advanced `d` µs at its own rate, so a fast clock fires early in true time.
 */
import type { ClockOptions } from '../sim/node-time-options.ts';
import type { RandomStream } from '../random/stream.ts';

/** Parts per million. */
const PPM = 1_000_000;
/** Steps the timer search may take after its estimate (it needs at most two or three). */
const TIMER_SEARCH_LIMIT = 64;

/** `floor(trueUs · ppm / 1e6)`, exact: split so no product leaves the safe integers. */
export function driftUs(trueUs: number, ppm: number): number {
  const wholeSeconds = Math.floor(trueUs / PPM);
  const restUs = trueUs - wholeSeconds * PPM;
  // + 0 turns a -0 (0 · a negative drift) into 0, which prints and hashes as 0.
  return wholeSeconds * ppm + Math.floor((restUs * ppm) / PPM) + 0;
}

/** The clocks of all nodes of one run. */
export class NodeClocks {
  private readonly offsetUs: Float64Array;
  private readonly driftPpm: Int32Array;

  constructor(readonly nodeCount: number) {
    this.offsetUs = new Float64Array(nodeCount);
    this.driftPpm = new Int32Array(nodeCount);
  }

  /** Clocks drawn from `random` (the `clocks` stream): per node, in node order, its skew then its drift. */
  static drawn(options: ClockOptions, random: RandomStream, nodeCount: number): NodeClocks {
    const clocks = new NodeClocks(nodeCount);
    for (let node = 0; node < nodeCount; node++) {
      clocks.offsetUs[node] = random.between(options.skewUs.minUs, options.skewUs.maxUs);
      clocks.driftPpm[node] = random.between(options.driftPpm.min, options.driftPpm.max);
    }
    return clocks;
  }

  /** What `node`'s clock reads at true time `trueUs`. */
  readUs(node: number, trueUs: number): number {
    const ppm = this.driftPpm[node] as number;
    const offsetUs = this.offsetUs[node] as number;
    return ppm === 0 ? trueUs + offsetUs : trueUs + offsetUs + driftUs(trueUs, ppm);
  }

  /** How far `node`'s clock is from true time at `trueUs` (positive: ahead). */
  skewUs(node: number, trueUs: number): number {
    return this.readUs(node, trueUs) - trueUs;
  }

  /** `node`'s rate error, parts per million. */
  driftPpmOf(node: number): number {
    return this.driftPpm[node] as number;
  }

  /** Steps `node`'s clock by `deltaUs` (negative: back). */
  jump(node: number, deltaUs: number): void {
    this.offsetUs[node] = (this.offsetUs[node] as number) + deltaUs;
  }

  /** Sets `node`'s clock to read `trueUs + skewUs` now, running at `driftPpm` from here on. */
  set(node: number, trueUs: number, skewUs: number, driftPpm: number): void {
    this.driftPpm[node] = driftPpm;
    this.offsetUs[node] = skewUs - driftUs(trueUs, driftPpm);
  }

  /**
   * True time a timer of `delayUs` set by `node` at true time `trueUs` takes:
   * the least `t1 - trueUs` with `rate(t1) - rate(trueUs) >= delayUs`, where
   * `rate(t) = t + floor(t · drift / 1e6)` (jumps aside). Exactly `delayUs`
   * without drift.
   */
  timerDelayUs(node: number, trueUs: number, delayUs: number): number {
    const ppm = this.driftPpm[node] as number;
    if (ppm === 0 || delayUs === 0) return delayUs;
    const startUs = trueUs + driftUs(trueUs, ppm);
    const advanced = (atUs: number): number => atUs + driftUs(atUs, ppm) - startUs;
    const estimateUs = Math.ceil(delayUs / (1 + ppm / PPM));
    // A delay this long never fires within any time budget; keep the answer a safe integer.
    if (estimateUs >= Number.MAX_SAFE_INTEGER - trueUs - TIMER_SEARCH_LIMIT) return Number.MAX_SAFE_INTEGER - trueUs;
    let fireUs = trueUs + estimateUs;
    let steps = 0;
    while (advanced(fireUs) < delayUs) {
      fireUs++;
      if (++steps > TIMER_SEARCH_LIMIT) throw new Error(`clock timer search did not converge (drift ${ppm} ppm, delay ${delayUs} µs)`);
    }
    while (fireUs > trueUs && advanced(fireUs - 1) >= delayUs) {
      fireUs--;
      if (++steps > TIMER_SEARCH_LIMIT) throw new Error(`clock timer search did not converge (drift ${ppm} ppm, delay ${delayUs} µs)`);
    }
    return fireUs - trueUs;
  }
}
