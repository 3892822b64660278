/**
 * The effects node handlers ask for (the World of src/node/runtime.ts): sends
 * routed through the network into the event queue, timers, logs. Every effect
 * is recorded; every payload is sealed (checked, frozen, hashed) on the way in.
 */
import type { EventQueue } from '../scheduler/event-queue.ts';
import type { PendingTimer, World } from '../node/runtime.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { JsonValue, NodeId } from '../trace/events.ts';
import type { Topology } from './topology.ts';
import { ModelContractError } from './errors.ts';
import type { Acting } from './cluster-control.ts';
import type { ClientHistory } from './client-history.ts';
import type { InFlightOperation } from '../node/model.ts';
import type { Traffic } from '../network/traffic.ts';

/** A message travelling to its receiver. */
export interface Delivery {
  readonly type: 0;
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly payload: JsonValue;
}

/** Something the simulator itself does at a time: a start, a fault, a scripted step. */
export interface ControlAction {
  readonly type: 2;
  /** The node it concerns (for error reports), or -1. */
  readonly node: number;
  readonly run: () => void;
  /** A test's `sim.at()` step (its bad input is the test's, and its faults are marked in the trace). */
  readonly scripted: boolean;
}

/** What the event queue holds. */
export type Pending = Delivery | PendingTimer | ControlAction;

/** What effects need from the simulation: the clock, and where to report a misused ctx. */
export interface Clock {
  readonly nowUs: number;
  /** A ctx was used outside its handler; the simulation fails the run. */
  reportMisuse(error: ModelContractError): void;
}

/** Carries out node effects for one simulation. */
export class Effects implements World {
  private nextTimerId = 1;
  /** Node clocks (src/sim/clock-control.ts), set by the simulation; null: every node reads true time. */
  clocks: { readUs(node: number): number; timerDelayUs(node: number, delayUs: number): number } | null = null;
  /** "a message from <id>" per node, built once: the busiest path must not build a string per send. */
  private readonly messageSource: readonly string[];

  constructor(
    private readonly clock: Clock,
    private readonly topology: Topology,
    private readonly queue: EventQueue<Pending>,
    /** Where sends go: the network and its faults. */
    private readonly traffic: Traffic,
    private readonly recorder: Recorder,
    private readonly bugs: ReadonlySet<string>,
    /** Each node's incarnation by index, read when a timer is set. */
    private readonly incarnationOf: (node: number) => number,
    /** Who is acting now (owned by the simulation). */
    private readonly acting: Acting,
    private readonly history: ClientHistory,
  ) {
    this.messageSource = topology.ids.map((id) => `a message from ${id}`);
  }

  get nowUs(): number {
    return this.clock.nowUs;
  }

  clockUs(node: number): number {
    return this.clocks === null ? this.clock.nowUs : this.clocks.readUs(node);
  }

  send(from: number, to: NodeId, msg: JsonValue): void {
    this.assertActive(from, 'send');
    const target = this.topology.indexOf(to);
    if (target === undefined) throw new ModelContractError(`node ${this.topology.ids[from]} sent to unknown node "${to}"`);
    this.transmit(from, target, this.recorder.absorb(msg, this.messageSource[from] as string));
  }

  broadcast(from: number, msg: JsonValue): void {
    this.assertActive(from, 'broadcast');
    const sealed = this.recorder.absorb(msg, this.messageSource[from] as string);
    const count = this.topology.ids.length;
    for (let to = 0; to < count; to++) if (to !== from) this.transmit(from, to, sealed);
  }

  private transmit(from: number, to: number, payload: JsonValue): void {
    this.traffic.transmit(from, to, payload);
  }

  setTimer(node: number, delayUs: number, payload: JsonValue): PendingTimer {
    this.assertActive(node, 'setTimer');
    const who = this.topology.ids[node];
    if (!Number.isSafeInteger(delayUs) || delayUs < 0) {
      throw new ModelContractError(`node ${who} set a timer with delay ${delayUs}; delays are non-negative integer microseconds`);
    }
    const sealed = this.recorder.absorb(payload ?? null, () => `a timer payload of ${who}`);
    const timer: PendingTimer = {
      type: 1, id: this.nextTimerId++, node, incarnation: this.incarnationOf(node), payload: sealed, cancelled: false,
    };
    const nowUs = this.clock.nowUs;
    // The delay is on the node's own clock: a fast clock fires early in true time.
    const fireAtUs = nowUs + (this.clocks === null ? delayUs : this.clocks.timerDelayUs(node, delayUs));
    this.recorder.timerSet(nowUs, node, timer.id, fireAtUs, timer.payload);
    this.queue.push(fireAtUs, timer);
    return timer;
  }

  cancelTimer(timer: PendingTimer): void {
    this.assertActive(timer.node, 'cancelTimer');
    timer.cancelled = true;
    this.recorder.timerCancel(this.clock.nowUs, timer.node, timer.id);
  }

  log(node: number, text: string, data: JsonValue | undefined): void {
    this.assertActive(node, 'log');
    const sealed = this.recorder.absorb(data ?? null, () => `log data of ${this.topology.ids[node]}`);
    this.recorder.log(this.clock.nowUs, node, text, sealed);
  }

  /**
   * A ctx acts only inside its own node's handler. Called later (after an
   * await, from a callback) its effect would land outside the event order.
   */
  assertActive(node: number, call: string): void {
    if (this.acting.inHandler && this.acting.node === node) return;
    const error = new ModelContractError(
      `node ${this.topology.ids[node]} called ctx.${call}() outside its own handler (after an await, or from a callback or another node); handlers must be synchronous`,
    );
    this.clock.reportMisuse(error);
    throw error;
  }

  processOf(node: number): number {
    return this.history.processOf(node);
  }

  inFlightOf(node: number): InFlightOperation | null {
    return this.history.inFlight(node);
  }

  invoke(node: number, input: JsonValue): number {
    this.assertActive(node, 'invoke');
    return this.history.invoke(node, input);
  }

  complete(node: number, type: unknown, output: JsonValue | undefined): void {
    this.assertActive(node, 'complete');
    this.history.complete(node, type, output);
  }

  nodesOf(role: string): readonly NodeId[] {
    return this.topology.nodesOf(role);
  }

  bugEnabled(flag: string): boolean {
    return this.bugs.has(flag);
  }

  store(node: number, key: string, value: JsonValue): JsonValue {
    this.assertActive(node, 'storage.put');
    return this.recorder.absorb(value, () => `value stored by ${this.topology.ids[node]} under "${key}"`);
  }
}
