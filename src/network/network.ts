/**
 * The simulated network's decisions for one message: lost or not, when it
 * arrives, whether it is duplicated and when the copy arrives. All draws come
 * from the `network` stream, in a fixed order, and only for behaviours that are
 * switched on (so a rate of 0 never consumes a draw and never fires).
 */
import type { LinkBehaviour, NetworkOptions, LatencyOptions } from '../sim/options.ts';
import { linkBehaviour } from './link-behaviour.ts';
import type { RandomStream } from '../random/stream.ts';
import { PartitionTable } from './partition.ts';
import type { DropReason } from '../trace/events.ts';

/** The network's verdict on one send; reused between calls to avoid allocation. */
export interface Route {
  /** Why the message is dropped at send time, or null if it travels. */
  drop: DropReason | null;
  /** When it arrives (valid when `drop` is null). */
  deliverAtUs: number;
  /** When a duplicate arrives, or -1 for no duplicate. */
  duplicateAtUs: number;
}

/** Links, latency, loss, duplication, FIFO order and partitions between `nodeCount` nodes. */
export class Network {
  readonly partitions: PartitionTable;
  private readonly route: Route = { drop: null, deliverAtUs: 0, duplicateAtUs: -1 };
  private readonly overrides: Map<number, LinkBehaviour> | null;
  /** For FIFO links: the latest arrival scheduled per link. */
  private readonly lastArrivalUs = new Map<number, number>();

  constructor(
    private readonly options: NetworkOptions,
    private readonly random: RandomStream,
    private readonly nodeCount: number,
    indexOf: (id: string) => number,
  ) {
    this.partitions = new PartitionTable(nodeCount);
    this.overrides = options.links.length === 0 ? null : new Map();
    for (const link of options.links) {
      const key = indexOf(link.from) * nodeCount + indexOf(link.to);
      this.overrides?.set(key, linkBehaviour(this.overrides?.get(key) ?? options, link));
    }
  }

  /** Decides the fate of a message sent now from `from` to `to`. */
  plan(from: number, to: number, nowUs: number): Route {
    const route = this.route;
    route.duplicateAtUs = -1;
    if (!this.partitions.connected(from, to)) {
      route.drop = 'partition';
      return route;
    }
    const key = from * this.nodeCount + to;
    const link = this.overrides?.get(key) ?? this.options;
    if (link.lossRate > 0 && this.random.next() < link.lossRate) {
      route.drop = 'loss';
      return route;
    }
    route.drop = null;
    route.deliverAtUs = this.arrival(key, nowUs + this.latency(link.latency));
    if (link.duplicateRate > 0 && this.random.next() < link.duplicateRate) {
      route.duplicateAtUs = this.arrival(key, nowUs + this.latency(link.latency));
    }
    return route;
  }

  private arrival(key: number, drawnUs: number): number {
    if (this.options.reorder) return drawnUs;
    // FIFO: never arrive before an earlier message on the same link (ties keep send order).
    const atUs = Math.max(drawnUs, this.lastArrivalUs.get(key) ?? 0);
    this.lastArrivalUs.set(key, atUs);
    return atUs;
  }

  private latency(latency: LatencyOptions): number {
    const { minUs, maxUs } = latency;
    const spanUs = maxUs - minUs;
    if (spanUs === 0) return minUs;
    switch (latency.distribution) {
      case 'uniform':
        return minUs + Math.floor(this.random.next() * (spanUs + 1));
      case 'exponential':
        return minUs + Math.min(spanUs, Math.round(-Math.log(1 - this.random.next()) * (spanUs / 4)));
      case 'normal': {
        // Box-Muller; 1 - u keeps the log finite.
        const radius = Math.sqrt(-2 * Math.log(1 - this.random.next()));
        const z = radius * Math.cos(2 * Math.PI * this.random.next());
        const value = Math.round(minUs + spanUs / 2 + (z * spanUs) / 6);
        return Math.min(maxUs, Math.max(minUs, value));
      }
    }
  }
}
