/**
 * The simulation's side of node clocks (see src/node/clocks.ts): what `ctx.now`
 * reads, how long a timer takes in true time, and the clock events (a node's
 * skew and drift at time 0, jumps, a test's scripted skew). With the `clocks`
 * option off every node reads true time and nothing here records anything,
 * until a test skews or jumps a clock: then clocks come on from that moment,
 * every other node at skew 0 and drift 0.
 */
import { NodeClocks } from '../node/clocks.ts';
import type { ClockOptions } from './node-time-options.ts';
import type { RandomStream } from '../random/stream.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { RunStats } from './result.ts';
import { InputError } from './errors.ts';
import { MAX_CLOCK_OFFSET_US, MAX_DRIFT_PPM } from './node-time-options.ts';

/** Node clocks of one run. */
export class ClockControl {
  private clocks: NodeClocks | null = null;

  constructor(
    private readonly nodeCount: number,
    options: ClockOptions | null,
    /** The `clocks` stream; drawn from only when the option is on. */
    random: () => RandomStream,
    private readonly recorder: Recorder,
    private readonly stats: RunStats,
    private readonly clock: { readonly nowUs: number },
  ) {
    if (options !== null) this.switchOn(NodeClocks.drawn(options, random(), nodeCount));
  }

  /** Whether nodes have clocks of their own (else they read true time). */
  get on(): boolean {
    return this.clocks !== null;
  }

  /** What `node`'s clock reads now (true time when clocks are off). */
  readUs(node: number): number {
    const nowUs = this.clock.nowUs;
    return this.clocks === null ? nowUs : this.clocks.readUs(node, nowUs);
  }

  /** True time a timer of `delayUs` (on `node`'s own clock) set now takes. */
  timerDelayUs(node: number, delayUs: number): number {
    return this.clocks === null ? delayUs : this.clocks.timerDelayUs(node, this.clock.nowUs, delayUs);
  }

  /** Records each node's clock (`clock-skew`), in node order; the run does this at time 0 when clocks are on. */
  recordAll(): void {
    const clocks = this.clocks;
    if (clocks === null) return;
    const nowUs = this.clock.nowUs;
    for (let node = 0; node < this.nodeCount; node++) {
      const clockUs = clocks.readUs(node, nowUs);
      this.recorder.clockSkew(nowUs, node, clockUs, clockUs - nowUs, clocks.driftPpmOf(node), false);
    }
  }

  /** Steps `node`'s clock by `deltaUs` (negative: back), whether the node is up or not: the clock is its machine's. */
  jump(node: number, deltaUs: number, scripted: boolean): void {
    if (!Number.isSafeInteger(deltaUs) || Math.abs(deltaUs) > MAX_CLOCK_OFFSET_US) {
      throw new InputError(`jump(): deltaUs must be an integer of microseconds between -${MAX_CLOCK_OFFSET_US} and ${MAX_CLOCK_OFFSET_US}, got ${deltaUs}`);
    }
    const clocks = this.clocks ?? this.switchOn(new NodeClocks(this.nodeCount));
    clocks.jump(node, deltaUs);
    this.stats.clockJumps++;
    this.recorder.clockJump(this.clock.nowUs, node, clocks.readUs(node, this.clock.nowUs), deltaUs, scripted);
  }

  /** Sets `node`'s clock to read true time + `skewUs` now, and its drift when `driftPpm` is given. */
  skew(node: number, skewUs: number, driftPpm: number | undefined, scripted: boolean): void {
    if (!Number.isSafeInteger(skewUs) || Math.abs(skewUs) > MAX_CLOCK_OFFSET_US) {
      throw new InputError(`skew(): skewUs must be an integer of microseconds between -${MAX_CLOCK_OFFSET_US} and ${MAX_CLOCK_OFFSET_US}, got ${skewUs}`);
    }
    if (driftPpm !== undefined && (!Number.isSafeInteger(driftPpm) || Math.abs(driftPpm) > MAX_DRIFT_PPM)) {
      throw new InputError(`skew(): driftPpm must be an integer between -${MAX_DRIFT_PPM} and ${MAX_DRIFT_PPM}, got ${driftPpm}`);
    }
    const clocks = this.clocks ?? this.switchOn(new NodeClocks(this.nodeCount));
    const nowUs = this.clock.nowUs;
    const ppm = driftPpm ?? clocks.driftPpmOf(node);
    clocks.set(node, nowUs, skewUs, ppm);
    this.recorder.clockSkew(nowUs, node, clocks.readUs(node, nowUs), skewUs, ppm, scripted);
  }

  /** `node`'s clock offset from true time now, and its drift (zeros when clocks are off). */
  describe(node: number): { clockUs: number; skewUs: number; driftPpm: number } {
    const clockUs = this.readUs(node);
    return { clockUs, skewUs: clockUs - this.clock.nowUs, driftPpm: this.clocks?.driftPpmOf(node) ?? 0 };
  }

  private switchOn(clocks: NodeClocks): NodeClocks {
    this.clocks = clocks;
    // From now on the trace carries each handler's clock reading (`clockUs`).
    this.recorder.nodeClock = (node) => clocks.readUs(node, this.clock.nowUs);
    return clocks;
  }
}
