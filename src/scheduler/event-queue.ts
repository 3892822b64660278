/**
 * The scheduler's priority queue: a binary min-heap ordered by (virtual time,
 * sequence number). The heap moves only small integers: each entry's time, seq
 * and slot number live in parallel typed arrays, and the item itself stays put
 * in a slot table until it is popped. The sequence number is assigned on push,
 * so two events at the same time run in the order they were scheduled
 * (DESIGN.md rule 3).
 */

const INITIAL_CAPACITY = 1024;

/** A min-heap of items keyed by integer time, ties broken by insertion order. */
export class EventQueue<Item> {
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private slots = new Int32Array(INITIAL_CAPACITY);
  /** Items by slot; a slot is reused after its item is popped. */
  private items: (Item | undefined)[] = new Array<Item | undefined>(INITIAL_CAPACITY).fill(undefined);
  /** Free slots, used as a stack. */
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = INITIAL_CAPACITY;
  private count = 0;
  private nextSeq = 0;

  constructor() {
    for (let i = 0; i < INITIAL_CAPACITY; i++) this.freeSlots[i] = INITIAL_CAPACITY - 1 - i;
  }

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
    const slot = this.freeSlots[--this.freeCount] as number;
    this.items[slot] = item;
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    let index = this.count++;
    // Sift up: move parents down until the new key fits.
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < timeUs || (parentTime === timeUs && (seqs[parent] as number) < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent] as number;
      slots[index] = slots[parent] as number;
      index = parent;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    slots[index] = slot;
    return seq;
  }

  /** Removes and returns the earliest item, or `undefined` when empty. */
  pop(): Item | undefined {
    if (this.count === 0) return undefined;
    const topSlot = this.slots[0] as number;
    const top = this.items[topSlot];
    this.items[topSlot] = undefined; // let the popped item be collected
    this.freeSlots[this.freeCount++] = topSlot;
    const last = --this.count;
    if (last > 0) this.siftDownFromRoot(this.times[last] as number, this.seqs[last] as number, this.slots[last] as number);
    return top;
  }

  private siftDownFromRoot(timeUs: number, seq: number, slot: number): void {
    const count = this.count;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= count) break;
      let childTime = times[child] as number;
      const right = child + 1;
      if (right < count) {
        const rightTime = times[right] as number;
        if (rightTime < childTime || (rightTime === childTime && (seqs[right] as number) < (seqs[child] as number))) {
          child = right;
          childTime = rightTime;
        }
      }
      if (timeUs < childTime || (timeUs === childTime && seq < (seqs[child] as number))) break;
      times[index] = childTime;
      seqs[index] = seqs[child] as number;
      slots[index] = slots[child] as number;
      index = child;
    }
    times[index] = timeUs;
    seqs[index] = seq;
    slots[index] = slot;
  }

  private grow(): void {
    const old = this.times.length;
    const capacity = old * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    const slots = new Int32Array(capacity);
    slots.set(this.slots);
    this.times = times;
    this.seqs = seqs;
    this.slots = slots;
    // Every slot is taken when the heap is full; the new ones are old..capacity-1.
    const freeSlots = new Int32Array(capacity);
    for (let i = 0; i < old; i++) freeSlots[i] = capacity - 1 - i;
    this.freeSlots = freeSlots;
    this.freeCount = old;
    for (let i = old; i < capacity; i++) this.items.push(undefined);
  }
}
