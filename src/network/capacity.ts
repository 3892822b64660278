/**
 * Network load and bounded capacity. The load book counts, per node, what it
 * sent, received and lost, and how deep the queue of messages travelling to it
 * got: this is how overload and hot spots show up. The capacity gate bounds
 * messages in flight per directed link and per receiving node (its inbox);
 * with `backpressure`, messages that find no room wait at their sender in
 * per-receiver FIFO queues and go on, oldest first, as room frees up.
 */
import type { CapacityOptions } from '../sim/network-options.ts';
import type { JsonValue, NodeLoad } from '../trace/events.ts';

/** Per-node load counters (typed arrays: they are bumped on every send and delivery). */
export class LoadBook {
  readonly sent: Int32Array;
  readonly received: Int32Array;
  readonly dropped: Int32Array;
  /** Messages in flight towards each node now (its inbox). */
  readonly inFlight: Int32Array;
  readonly inFlightMax: Int32Array;
  /** Messages towards each node waiting at their senders now (backpressure). */
  readonly waiting: Int32Array;
  readonly waitingMax: Int32Array;

  constructor(nodeCount: number) {
    this.sent = new Int32Array(nodeCount);
    this.received = new Int32Array(nodeCount);
    this.dropped = new Int32Array(nodeCount);
    this.inFlight = new Int32Array(nodeCount);
    this.inFlightMax = new Int32Array(nodeCount);
    this.waiting = new Int32Array(nodeCount);
    this.waitingMax = new Int32Array(nodeCount);
  }

  /** A message towards `to` starts travelling. */
  enter(to: number): void {
    const depth = (this.inFlight[to] as number) + 1;
    this.inFlight[to] = depth;
    if (depth > (this.inFlightMax[to] as number)) this.inFlightMax[to] = depth;
  }

  /** A message towards `to` stops travelling: delivered, or dropped on arrival. */
  leave(to: number, delivered: boolean): void {
    this.inFlight[to] = (this.inFlight[to] as number) - 1;
    if (delivered) this.received[to] = (this.received[to] as number) + 1;
    else this.dropped[to] = (this.dropped[to] as number) + 1;
  }

  /** A message towards `to` starts or stops waiting at its sender. */
  wait(to: number, delta: 1 | -1): void {
    const depth = (this.waiting[to] as number) + delta;
    this.waiting[to] = depth;
    if (depth > (this.waitingMax[to] as number)) this.waitingMax[to] = depth;
  }

  /** The figures of every node, in node order. */
  figures(): NodeLoad[] {
    return Array.from(this.sent, (sent, node) => ({
      sent,
      received: this.received[node] as number,
      dropped: this.dropped[node] as number,
      queueDepthMax: this.inFlightMax[node] as number,
      waitingMax: this.waitingMax[node] as number,
    }));
  }
}

/** A message held back by backpressure. */
export interface Waiting {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly payload: JsonValue;
}

/** The limits on messages in flight, and the messages waiting for room. */
export class CapacityGate {
  /** Messages in flight per directed link (key `from * nodeCount + to`); only kept with a link limit. */
  private readonly onLink = new Map<number, number>();
  /** Waiting messages per receiver, oldest first; released entries become null until compacted. */
  private readonly queues = new Map<number, { entries: (Waiting | null)[]; head: number }>();

  constructor(
    readonly options: CapacityOptions,
    private readonly load: LoadBook,
    private readonly nodeCount: number,
  ) {}

  /** Whether one more message from `from` to `to` fits now. */
  hasRoom(from: number, to: number): boolean {
    const inboxMax = this.options.inboxMax;
    if (inboxMax !== undefined && (this.load.inFlight[to] as number) >= inboxMax) return false;
    const linkMax = this.options.linkInFlightMax;
    return linkMax === undefined || (this.onLink.get(from * this.nodeCount + to) ?? 0) < linkMax;
  }

  /** Whether `to`'s inbox is full (then nothing waiting for it can go, whatever its link). */
  inboxFull(to: number): boolean {
    const inboxMax = this.options.inboxMax;
    return inboxMax !== undefined && (this.load.inFlight[to] as number) >= inboxMax;
  }

  /** A message starts (+1) or stops (-1) travelling on a link. */
  count(from: number, to: number, delta: 1 | -1): void {
    if (this.options.linkInFlightMax === undefined) return;
    const key = from * this.nodeCount + to;
    const next = (this.onLink.get(key) ?? 0) + delta;
    if (next === 0) this.onLink.delete(key);
    else this.onLink.set(key, next);
  }

  /** Queues a message at its sender until there is room. */
  enqueue(message: Waiting): void {
    let queue = this.queues.get(message.to);
    if (queue === undefined) {
      queue = { entries: [], head: 0 };
      this.queues.set(message.to, queue);
    }
    queue.entries.push(message);
    this.load.wait(message.to, 1);
  }

  /**
   * Takes, oldest first, the waiting messages towards `to` that fit now. `send`
   * puts each on its way (it may count it in flight, or the network may drop it),
   * so room is judged again for each one.
   */
  release(to: number, send: (message: Waiting) => void): void {
    const queue = this.queues.get(to);
    if (queue === undefined) return;
    const { entries } = queue;
    for (let i = queue.head; i < entries.length && !this.inboxFull(to); i++) {
      const message = entries[i];
      // A message whose link is still full waits; a later one on a free link may pass it (links are independent).
      if (message === null || message === undefined || !this.hasRoom(message.from, to)) continue;
      entries[i] = null;
      this.load.wait(to, -1);
      send(message);
    }
    while (queue.head < entries.length && entries[queue.head] === null) queue.head++;
    if (queue.head === entries.length) this.queues.delete(to);
    else if (queue.head > 1_024 && queue.head * 2 > entries.length) {
      // Compact now and then, so a long-lived backlog does not keep its released prefix.
      queue.entries = entries.slice(queue.head);
      queue.head = 0;
    }
  }
}
