/**
 * The checker's memo of configurations already explored: a set of
 * (operations linearized so far, state id) pairs (Lowe's refinement of Wing &
 * Gong). Reaching a known configuration again by another order can lead
 * nowhere new, so the search backs off.
 *
 * Open addressing over typed arrays, with the linearized set kept as a bitset
 * in one growing arena: no object per entry, so millions of configurations
 * cost tens of megabytes and no garbage-collection pauses. Lookups compare
 * the full bitset after the 64-bit hash, so a hash collision can never hide a
 * configuration.
 */

/** Slot value for an empty table slot. */
const EMPTY = -1;

/** A set of (bitset, state id) configurations. */
export class ConfigCache {
  /** Configurations stored. */
  size = 0;
  private capacity = 1 << 12;
  private mask = this.capacity - 1;
  private slots = new Int32Array(this.capacity).fill(EMPTY);
  private hashLow = new Int32Array(this.capacity);
  private hashHigh = new Int32Array(this.capacity);
  private states = new Int32Array(this.capacity);
  private arena: Uint32Array;

  /** @param words 32-bit words per bitset. */
  constructor(private readonly words: number) {
    this.arena = new Uint32Array(Math.max(1, words) * 1024);
  }

  /**
   * Adds the configuration unless present.
   * @returns true when it was new.
   */
  add(bits: Uint32Array, state: number, hashLow: number, hashHigh: number): boolean {
    const words = this.words;
    let slot = (hashLow ^ Math.imul(state, 0x9e3779b1)) & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY) break;
      if (this.hashLow[slot] === hashLow && this.hashHigh[slot] === hashHigh && this.states[slot] === state) {
        const base = entry * words;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (this.arena[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & this.mask;
    }
    const entry = this.size++;
    if ((entry + 1) * words > this.arena.length) {
      const grown = new Uint32Array(this.arena.length * 2);
      grown.set(this.arena);
      this.arena = grown;
    }
    this.arena.set(bits.subarray(0, words), entry * words);
    this.slots[slot] = entry;
    this.hashLow[slot] = hashLow;
    this.hashHigh[slot] = hashHigh;
    this.states[slot] = state;
    // Keep the load under one half so probe runs stay short.
    if (this.size * 2 > this.capacity) this.grow();
    return true;
  }

  private grow(): void {
    const { slots, hashLow, hashHigh, states } = this;
    this.capacity *= 2;
    this.mask = this.capacity - 1;
    this.slots = new Int32Array(this.capacity).fill(EMPTY);
    this.hashLow = new Int32Array(this.capacity);
    this.hashHigh = new Int32Array(this.capacity);
    this.states = new Int32Array(this.capacity);
    for (let old = 0; old < slots.length; old++) {
      const entry = slots[old]!;
      if (entry === EMPTY) continue;
      let slot = (hashLow[old]! ^ Math.imul(states[old]!, 0x9e3779b1)) & this.mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = entry;
      this.hashLow[slot] = hashLow[old]!;
      this.hashHigh[slot] = hashHigh[old]!;
      this.states[slot] = states[old]!;
    }
  }
}

