/**
 * Stop-the-world pauses of nodes (a long GC, a stalled VM). A paused node
 * handles nothing: a message that reaches it (the network decided it arrives:
 * the node is up and not cut off at that moment) waits in its inbox, and a
 * timer that comes due waits too, each traced as a `pause-hold`. Nothing is dropped.
 * (Holds are traced so that replay, which re-applies a test's scripted step
 * right after the event before it, puts a scripted crash after them too.)
 *
 * The rule at resume: the `resume` event is recorded, then everything the node
 * held runs, one scheduler event each, in the order it originally came due
 * (virtual time, then sequence number), before anything else due at the
 * resume time; then the queue goes on. A held delivery is handed over even if
 * a partition began meanwhile (it was already in the inbox); a held timer that
 * a held message's handler cancels does not fire.
 *
 * A paused node can crash: the pause ends (no `resume`), its held timers are
 * lost with its other timers (counted in the crash's `lostTimers`) and each
 * held message is traced as a `drop` (`node-down`) right after the crash.
 */
import type { Recorder } from '../trace/recorder.ts';
import type { RunStats } from './result.ts';
import type { Delivery } from './effects.ts';
import type { PendingTimer } from '../node/runtime.ts';

/** What a paused node holds: deliveries and due timers. */
export type Held = Delivery | PendingTimer;

/** Runs `run` at virtual time `atUs` as a control event of the simulator (not stopped by the liveness phase). */
export type Schedule = (atUs: number, run: () => void) => void;

/** Which nodes are paused, what each holds, and what runs next after a resume. */
export class Pauses {
  /** Nodes paused now. */
  pausedCount = 0;
  /** When each node's pause ends (true time), or -1 when it is not paused. */
  private readonly untilUs: Float64Array;
  /** Bumped on every pause and its end, so a superseded resume does nothing. */
  private readonly generation: Float64Array;
  private readonly held: Held[][];
  /** Held items released by a resume, run before the event queue (a FIFO from `readyHead`). */
  private ready: Held[] = [];
  private readyHead = 0;

  constructor(
    /** The nodes, by index (whether each is up). */
    private readonly nodes: readonly { readonly up: boolean }[],
    private readonly clock: { readonly nowUs: number },
    private readonly schedule: Schedule,
    private readonly recorder: Recorder,
    private readonly stats: RunStats,
    /** Drops a held delivery of a crashed node (`node-down`): traced, counted, and freed from the network's in-flight count. */
    private readonly dropHeld: (d: Delivery) => void,
  ) {
    const nodeCount = nodes.length;
    this.untilUs = new Float64Array(nodeCount).fill(-1);
    this.generation = new Float64Array(nodeCount);
    this.held = Array.from({ length: nodeCount }, () => []);
  }

  /** Whether `node` is paused now. */
  isPaused(node: number): boolean {
    return this.pausedCount > 0 && (this.untilUs[node] as number) >= 0;
  }

  /**
   * Pauses `node` for `durationUs` (a positive integer) from now. A node that
   * is down is left alone (nothing recorded); a paused one stays paused until
   * the later of its two ends.
   */
  pause(node: number, durationUs: number, scripted: boolean): void {
    if (this.nodes[node]?.up !== true) return;
    const nowUs = this.clock.nowUs;
    const wasUntilUs = this.untilUs[node] as number;
    const untilUs = Math.max(nowUs + durationUs, wasUntilUs);
    if (wasUntilUs < 0) this.pausedCount++;
    this.untilUs[node] = untilUs;
    const generation = (this.generation[node] as number) + 1;
    this.generation[node] = generation;
    this.stats.pauses++;
    this.recorder.pause(nowUs, node, durationUs, untilUs, scripted);
    this.schedule(untilUs, () => {
      if (this.generation[node] === generation) this.resume(node);
    });
  }

  /** A delivery or timer came due for a paused node: it waits (traced as a `pause-hold`). */
  hold(node: number, item: Held): void {
    (this.held[node] as Held[]).push(item);
    if (item.type === 0) this.recorder.holdMessage(this.clock.nowUs, node, item.from, item.id);
    else this.recorder.holdTimer(this.clock.nowUs, node, item.id);
  }

  /** The next held item a resume released, or undefined. */
  takeReady(): Held | undefined {
    if (this.readyHead === this.ready.length) return undefined;
    const item = this.ready[this.readyHead] as Held;
    this.ready[this.readyHead++] = undefined as never;
    if (this.readyHead === this.ready.length) {
      this.ready = [];
      this.readyHead = 0;
    }
    return item;
  }

  /** Whether a resume released items that have not run yet. */
  get hasReady(): boolean {
    return this.readyHead < this.ready.length;
  }

  /** Ends `node`'s pause now: records `resume` and releases what it held, in its original order. */
  resume(node: number): void {
    if ((this.untilUs[node] as number) < 0) return;
    this.untilUs[node] = -1;
    this.generation[node] = (this.generation[node] as number) + 1;
    this.pausedCount--;
    const held = this.held[node] as Held[];
    this.held[node] = [];
    let messages = 0;
    for (const item of held) if (item.type === 0) messages++;
    this.recorder.resume(this.clock.nowUs, node, messages, held.length - messages);
    for (const item of held) this.ready.push(item);
  }

  /** The liveness phase begins: every paused node resumes, in node order. */
  resumeAll(): void {
    for (let node = 0; node < this.untilUs.length; node++) this.resume(node);
  }

  /**
   * `node` crashed: its pause ends without a resume, and the messages it held
   * (in its inbox, or released and not yet run) are lost: each is traced as a
   * `drop` (`node-down`), in their original order.
   */
  crashed(node: number): void {
    const lost: Delivery[] = [];
    // Released but not yet run (came due before anything still held): only when a test
    // crashes the node between single steps right after a resume.
    if (this.hasReady) {
      const rest = this.ready.slice(this.readyHead);
      for (const item of rest) if (item.type === 0 && item.to === node) lost.push(item);
      this.ready = rest.filter((item) => (item.type === 0 ? item.to : item.node) !== node);
      this.readyHead = 0;
    }
    if ((this.untilUs[node] as number) >= 0) {
      this.untilUs[node] = -1;
      this.generation[node] = (this.generation[node] as number) + 1;
      this.pausedCount--;
      for (const item of this.held[node] as Held[]) if (item.type === 0) lost.push(item);
      this.held[node] = [];
    }
    // Through the simulation's own drop, so the network's in-flight count and load figures let go of them too.
    for (const d of lost) this.dropHeld(d);
  }
}
