/**
 * A hostile network (Dolev-Yao, in small): an adversary that sees every
 * message that travels, remembers the last SEEN_MAX of them, and for each
 * message sent may, at the configured rates and drawing from the `adversary`
 * stream only:
 *
 * - tamper: change one leaf of the message in flight (every copy of it);
 * - forge: inject an old payload to a random node, claiming it comes from a
 *   node that neither receives it nor sent the original;
 * - replay: inject an old message again, same sender, receiver and payload.
 *
 * Injected messages arrive after a latency drawn uniformly from the network's
 * base range. The adversary knows payloads, never a node's secrets: a model
 * that authenticates messages (a MAC over a per-node secret) can tell.
 */
import type { RandomStream } from '../random/stream.ts';
import type { AdversaryOptions } from '../sim/network-options.ts';
import type { LatencyOptions } from '../sim/options.ts';
import type { JsonValue } from '../trace/events.ts';
import { corruptPayload, type Corruption } from './corruption.ts';

/** Messages the adversary remembers (a bound on its memory: it replays and forges from recent traffic). */
export const SEEN_MAX = 64;

/** A message the adversary saw. */
interface Seen {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly payload: JsonValue;
}

/** A message the adversary injects. */
export interface Injection {
  readonly action: 'forge' | 'replay';
  /** The sender it claims. */
  readonly from: number;
  readonly to: number;
  /** The message whose payload it copies. */
  readonly copyOf: number;
  readonly payload: JsonValue;
  readonly deliverAtUs: number;
}

/** The adversary of one run. */
export class Adversary {
  private readonly seen: Seen[] = [];
  /** Where the next remembered message goes once `seen` is full (a ring). */
  private next = 0;

  constructor(
    private readonly options: AdversaryOptions,
    private readonly random: RandomStream,
    private readonly nodeCount: number,
    private readonly latency: LatencyOptions,
  ) {}

  /** Whether the message being sent now is tampered with, and how. */
  tamper(payload: JsonValue): Corruption | null {
    const rate = this.options.tamperRate;
    if (rate === 0 || !this.random.chance(rate)) return null;
    return corruptPayload(payload, this.random);
  }

  /**
   * A message was sent at `nowUs` (after any tampering): decides the forgery
   * and the replay it provokes (from messages seen before it), then remembers it.
   */
  observe(id: number, from: number, to: number, payload: JsonValue, nowUs: number): Injection[] {
    const injections: Injection[] = [];
    const { forgeRate, replayRate } = this.options;
    if (forgeRate > 0 && this.random.chance(forgeRate) && this.seen.length > 0) {
      const forged = this.forge(nowUs);
      if (forged !== null) injections.push(forged);
    }
    if (replayRate > 0 && this.random.chance(replayRate) && this.seen.length > 0) {
      const old = this.random.pick(this.seen);
      injections.push({ action: 'replay', from: old.from, to: old.to, copyOf: old.id, payload: old.payload, deliverAtUs: nowUs + this.delayUs() });
    }
    this.remember({ id, from, to, payload });
    return injections;
  }

  private forge(nowUs: number): Injection | null {
    const old = this.random.pick(this.seen);
    const to = this.random.int(this.nodeCount);
    // Claim a sender that is neither the receiver nor the original sender; with two nodes, any but the receiver.
    let claimants = this.nodesExcept(to, old.from);
    if (claimants.length === 0) claimants = this.nodesExcept(to, to);
    if (claimants.length === 0) return null;
    const from = this.random.pick(claimants);
    return { action: 'forge', from, to, copyOf: old.id, payload: old.payload, deliverAtUs: nowUs + this.delayUs() };
  }

  private nodesExcept(a: number, b: number): number[] {
    const nodes: number[] = [];
    for (let node = 0; node < this.nodeCount; node++) if (node !== a && node !== b) nodes.push(node);
    return nodes;
  }

  private delayUs(): number {
    return this.random.between(this.latency.minUs, this.latency.maxUs);
  }

  private remember(message: Seen): void {
    if (this.seen.length < SEEN_MAX) this.seen.push(message);
    else this.seen[this.next] = message;
    this.next = (this.next + 1) % SEEN_MAX;
  }
}
