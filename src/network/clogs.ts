/**
 * Clogs: a node's inbound or outbound traffic, or one directed link, held
 * until unclogged. A clog loses nothing: a message that would arrive over a
 * clogged path waits (still in flight) and goes on when the path clears. A
 * clog is on or off (clogging twice is one clog; an unclog lifts it whoever
 * set it).
 */
import type { Delivery } from '../sim/effects.ts';
import type { ClogTarget } from '../trace/network-events.ts';

/** Clogged paths and the messages they hold. */
export class Clogs {
  private readonly inbound: Uint8Array;
  private readonly outbound: Uint8Array;
  /** Clogged directed links by key `from * nodeCount + to`. */
  private readonly links = new Set<number>();
  /** How many node directions and links are clogged (0: the fast path, nothing to check). */
  private clogged = 0;
  /** Messages held, in the order they were held (their arrival order). */
  private held: Delivery[] = [];

  constructor(private readonly nodeCount: number) {
    this.inbound = new Uint8Array(nodeCount);
    this.outbound = new Uint8Array(nodeCount);
  }

  /** Whether a message from `from` to `to` is held now. */
  isClogged(from: number, to: number): boolean {
    if (this.clogged === 0) return false;
    return this.outbound[from] === 1 || this.inbound[to] === 1 || this.links.has(from * this.nodeCount + to);
  }

  /** Clogs (`on`) or unclogs `target`. Returns whether anything changed. */
  set(target: ClogTarget, on: boolean): boolean {
    const flag = on ? 1 : 0;
    let changed = 0;
    if ('node' in target) {
      if (target.direction !== 'outbound' && this.inbound[target.node] !== flag) {
        this.inbound[target.node] = flag;
        changed++;
      }
      if (target.direction !== 'inbound' && this.outbound[target.node] !== flag) {
        this.outbound[target.node] = flag;
        changed++;
      }
    } else {
      const key = target.from * this.nodeCount + target.to;
      if (this.links.has(key) !== on) {
        if (on) this.links.add(key);
        else this.links.delete(key);
        changed++;
      }
    }
    this.clogged += on ? changed : -changed;
    return changed > 0;
  }

  /** Keeps a message that arrived over a clogged path. */
  hold(delivery: Delivery): void {
    this.held.push(delivery);
  }

  /** Number of messages held now. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Removes and returns, in the order they were held, the held messages whose path is clear now. */
  takeReleasable(): Delivery[] {
    if (this.held.length === 0) return [];
    const released: Delivery[] = [];
    const still: Delivery[] = [];
    for (const delivery of this.held) (this.isClogged(delivery.from, delivery.to) ? still : released).push(delivery);
    this.held = still;
    return released;
  }

  /** Every clog in effect, nodes first (by index, both directions as one), then links (by from, then to). */
  active(): ClogTarget[] {
    const targets: ClogTarget[] = [];
    if (this.clogged === 0) return targets;
    for (let node = 0; node < this.nodeCount; node++) {
      const into = this.inbound[node] === 1;
      const out = this.outbound[node] === 1;
      if (into || out) targets.push({ node, direction: into && out ? 'both' : into ? 'inbound' : 'outbound' });
    }
    for (const key of [...this.links].sort((a, b) => a - b)) {
      targets.push({ from: Math.floor(key / this.nodeCount), to: key % this.nodeCount });
    }
    return targets;
  }
}
