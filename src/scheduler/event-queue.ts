/**
 * The scheduler's priority queue: a binary min-heap ordered by (virtual time,
 * sequence number). Keys live in parallel typed arrays so comparisons touch no
 * objects; the payload of each entry sits in a plain array at the same index.
 * The sequence number is assigned on push, so two events at the same time run
 * in the order they were scheduled (DESIGN.md rule 3).
 */

const INITIAL_CAPACITY = 1024;

/** A min-heap of items keyed by integer time, ties broken by insertion order. */
export class EventQueue<Item> {
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private items: (Item | undefined)[] = new Array<Item | undefined>(INITIAL_CAPACITY);
  private count = 0;
  private nextSeq = 0;

  /** Number of pending items. */
  get size(): number {
    return this.count;
  }

  /** Time of the earliest item; only meaningful when `size > 0`. */
  peekTime(): number {
    return this.times[0] as number;
  }

  /** Adds an item due at `timeUs` (an integer). Returns its sequence number. */
  push(timeUs: number, item: Item): number {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    let index = this.count++;
    // Sift up: move parents down until the new key fits.
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = this.times[parent] as number;
      if (parentTime < timeUs || (parentTime === timeUs && (this.seqs[parent] as number) < seq)) break;
      this.times[index] = parentTime;
      this.seqs[index] = this.seqs[parent] as number;
      this.items[index] = this.items[parent];
      index = parent;
    }
    this.times[index] = timeUs;
    this.seqs[index] = seq;
    this.items[index] = item;
    return seq;
  }

  /** Removes and returns the earliest item, or `undefined` when empty. */
  pop(): Item | undefined {
    if (this.count === 0) return undefined;
    const top = this.items[0];
    const last = --this.count;
    if (last > 0) this.siftDownFromRoot(this.times[last] as number, this.seqs[last] as number, this.items[last]);
    this.items[last] = undefined; // let the popped payload be collected
    return top;
  }

  private siftDownFromRoot(timeUs: number, seq: number, item: Item | undefined): void {
    const count = this.count;
    const times = this.times;
    const seqs = this.seqs;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= count) break;
      const right = child + 1;
      if (
        right < count &&
        ((times[right] as number) < (times[child] as number) ||
          (times[right] === times[child] && (seqs[right] as number) < (seqs[child] as number)))
      ) {
        child = right;
      }
      const childTime = times[child] as number;
      if (timeUs < childTime || (timeUs === childTime && seq < (seqs[child] as number))) break;
      times[index] = childTime;
      seqs[index] = seqs[child] as number;
      this.items[index] = this.items[child];
      index = child;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    this.items[index] = item;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.items.length = capacity;
  }
}
