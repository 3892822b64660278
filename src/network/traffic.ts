/**
 * The path of a message through the simulated network, from a node's send to
 * its arrival, with the network faults on the way: bounded capacity (drop or
 * backpressure), loss, latency, duplication and partitions (the Network's
 * plan), the adversary's tampering, forgeries and replays, clogs that hold a
 * message where it would arrive, and corruption on delivery. It also keeps the
 * per-node load. Every decision is recorded; every fault kind that is off costs
 * no draw and leaves no mark, so a run without them is the run it always was.
 */
import type { EventQueue } from '../scheduler/event-queue.ts';
import { RandomStream } from '../random/stream.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { DropReason, JsonValue, NodeId, NodeLoad } from '../trace/events.ts';
import { NetworkRecorder, type ClogTarget } from '../trace/network-events.ts';
import type { NetworkOptions } from '../sim/options.ts';
import type { RunStats } from '../sim/result.ts';
import type { Delivery, Pending } from '../sim/effects.ts';
import type { Network } from './network.ts';
import { Clogs } from './clogs.ts';
import { CapacityGate, LoadBook, type Waiting } from './capacity.ts';
import { Adversary } from './adversary.ts';
import { corruptPayload } from './corruption.ts';

/** What the traffic needs from the simulation. */
export interface TrafficContext {
  readonly nowUs: number;
}

/** Sends, arrivals and the network faults between them, for one run. */
export class Traffic {
  private nextMessageId = 1;
  readonly clogs: Clogs;
  readonly load: LoadBook;
  private readonly capacity: CapacityGate | null;
  /** The adversary, or null when off (and from the liveness phase on). */
  private adversary: Adversary | null;
  /** The `faults:corrupt` stream, or null when corruption is off (and from the liveness phase on). */
  private corruption: RandomStream | null;
  private readonly events: NetworkRecorder;

  constructor(
    private readonly options: NetworkOptions,
    seed: number,
    ids: readonly NodeId[],
    private readonly clock: TrafficContext,
    private readonly queue: EventQueue<Pending>,
    private readonly network: Network,
    private readonly recorder: Recorder,
    private readonly stats: RunStats,
  ) {
    const nodeCount = ids.length;
    this.events = new NetworkRecorder(recorder, ids);
    this.clogs = new Clogs(nodeCount);
    this.load = new LoadBook(nodeCount);
    this.capacity = options.capacity === null ? null : new CapacityGate(options.capacity, this.load, nodeCount);
    const adversary = options.adversary;
    this.adversary = adversary === null ? null : new Adversary(adversary, new RandomStream(seed, 'adversary'), nodeCount, options.latency);
    this.corruption = options.corruptRate > 0 ? new RandomStream(seed, 'faults:corrupt') : null;
  }

  /** Whether the `load` event is written before the trace's end. */
  get tracksLoad(): boolean {
    return this.options.trackLoad || this.capacity !== null;
  }

  // ---- sending ----------------------------------------------------------------

  /** A node sends `payload` (sealed) from `from` to `to`. */
  transmit(from: number, to: number, payload: JsonValue): void {
    const nowUs = this.clock.nowUs;
    const id = this.nextMessageId++;
    this.stats.sent++;
    this.load.sent[from] = (this.load.sent[from] as number) + 1;
    const capacity = this.capacity;
    if (capacity !== null && !capacity.hasRoom(from, to)) {
      this.recorder.send(nowUs, from, to, id, null, payload);
      if (capacity.options.overflow === 'drop') return this.dropAtSend(nowUs, from, to, id, 'overflow', payload);
      this.stats.held++;
      this.events.hold(nowUs, from, to, id, 'backpressure');
      capacity.enqueue({ id, from, to, payload });
      return;
    }
    this.route(nowUs, from, to, id, payload, false);
  }

  /** Plans a message with the network and puts it on its way; `released`: it waited for room and its send was recorded. */
  private route(nowUs: number, from: number, to: number, id: number, payload: JsonValue, released: boolean): void {
    const route = this.network.plan(from, to, nowUs);
    if (route.drop !== null) {
      if (released) this.events.release(nowUs, from, to, id, null);
      else this.recorder.send(nowUs, from, to, id, null, payload);
      return this.dropAtSend(nowUs, from, to, id, route.drop, payload);
    }
    const { deliverAtUs, duplicateAtUs } = route;
    if (released) this.events.release(nowUs, from, to, id, deliverAtUs);
    else this.recorder.send(nowUs, from, to, id, deliverAtUs, payload);
    const travelling = this.adversary === null ? payload : this.tamper(nowUs, from, to, id, payload);
    this.schedule(deliverAtUs, id, from, to, travelling);
    if (duplicateAtUs >= 0) {
      const copy = this.nextMessageId++;
      this.stats.duplicated++;
      this.recorder.duplicate(nowUs, from, to, copy, id, duplicateAtUs);
      this.schedule(duplicateAtUs, copy, from, to, travelling);
    }
    if (this.adversary !== null) this.inject(nowUs, from, to, id, travelling);
  }

  private dropAtSend(nowUs: number, from: number, to: number, id: number, reason: DropReason, payload: JsonValue): void {
    this.stats.dropped++;
    this.load.dropped[to] = (this.load.dropped[to] as number) + 1;
    this.recorder.drop(nowUs, from, to, id, reason, payload);
  }

  private schedule(atUs: number, id: number, from: number, to: number, payload: JsonValue): void {
    this.queue.push(atUs, { type: 0, id, from, to, payload });
    this.load.enter(to);
    this.capacity?.count(from, to, 1);
  }

  // ---- the adversary ------------------------------------------------------------

  private tamper(nowUs: number, from: number, to: number, id: number, payload: JsonValue): JsonValue {
    const change = (this.adversary as Adversary).tamper(payload);
    if (change === null) return payload;
    const sealed = this.recorder.absorb(change.payload, 'a tampered payload');
    this.stats.tampered++;
    this.events.tamper(nowUs, from, to, id, change.path, change.before, change.after);
    return sealed;
  }

  private inject(nowUs: number, from: number, to: number, id: number, payload: JsonValue): void {
    for (const injection of (this.adversary as Adversary).observe(id, from, to, payload, nowUs)) {
      const copy = this.nextMessageId++;
      if (injection.action === 'forge') this.stats.forged++;
      else this.stats.replayed++;
      this.events.inject(nowUs, injection.action, injection.from, injection.to, copy, injection.copyOf, injection.deliverAtUs);
      this.schedule(injection.deliverAtUs, copy, injection.from, injection.to, injection.payload);
    }
  }

  // ---- arriving -----------------------------------------------------------------

  /** A message is due: true when a clog holds it (it waits, still in flight, until its path clears). */
  holdIfClogged(d: Delivery): boolean {
    if (!this.clogs.isClogged(d.from, d.to)) return false;
    this.clogs.hold(d);
    this.stats.held++;
    this.events.hold(this.clock.nowUs, d.from, d.to, d.id, 'clog');
    return true;
  }

  /** The payload a message is delivered with: sometimes corrupted (recorded before its `deliver`). */
  arrive(d: Delivery): JsonValue {
    const random = this.corruption;
    if (random === null || !random.chance(this.options.corruptRate)) return d.payload;
    const change = corruptPayload(d.payload, random);
    const sealed = this.recorder.absorb(change.payload, 'a corrupted payload');
    this.stats.corrupted++;
    this.events.corrupt(this.clock.nowUs, d.from, d.to, d.id, change.path, change.before, change.after);
    return sealed;
  }

  /** A message stopped travelling (delivered, or dropped on arrival): its room goes to messages waiting for it. */
  left(d: Delivery, delivered: boolean): void {
    this.load.leave(d.to, delivered);
    const capacity = this.capacity;
    if (capacity === null) return;
    capacity.count(d.from, d.to, -1);
    if (capacity.options.overflow === 'backpressure') {
      const nowUs = this.clock.nowUs;
      capacity.release(d.to, (w: Waiting) => this.route(nowUs, w.from, w.to, w.id, w.payload, true));
    }
  }

  // ---- clogs --------------------------------------------------------------------

  /** Clogs (`on`) or unclogs a target; an unclog lets the messages whose path cleared go on, now, in the order they were held. */
  clog(target: ClogTarget, on: boolean, scripted: boolean): void {
    if (!this.clogs.set(target, on)) return;
    const nowUs = this.clock.nowUs;
    this.events.clog(nowUs, target, on, scripted);
    if (on) return;
    for (const d of this.clogs.takeReleasable()) {
      this.events.release(nowUs, d.from, d.to, d.id, nowUs);
      this.queue.push(nowUs, d);
    }
  }

  /**
   * The liveness phase: every clog is lifted, and corruption and the adversary
   * stop (they are faults). Capacity stays: it is what the network is.
   */
  settle(): void {
    for (const target of this.clogs.active()) this.clog(target, false, false);
    this.corruption = null;
    this.adversary = null;
  }

  /** Each node's load so far, by node id. */
  loadByNode(ids: readonly NodeId[]): Record<NodeId, NodeLoad> {
    return Object.fromEntries(this.load.figures().map((figures, i) => [ids[i] as NodeId, figures]));
  }

  /** Records the `load` event (when tracked). */
  recordLoad(): void {
    if (this.tracksLoad) this.events.load(this.clock.nowUs, this.load.figures());
  }
}
