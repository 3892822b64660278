/**
 * A cheap rolling hash over every event of a run, kept even when no trace is
 * written, so two runs can be compared for determinism without serialising.
 * Two 32-bit lanes, each one multiply per word, give a 64-bit value; strings
 * are folded to one word first (FNV-1a style) so a character costs one multiply.
 */

/** Accumulates 32-bit words, numbers and strings into a 64-bit hash. */
export class RollingHash {
  private h1 = 0x2545f491;
  private h2 = 0x6b43a9b5;

  /** Mixes in one 32-bit integer word. */
  word(value: number): void {
    const h1 = Math.imul(this.h1 ^ value, 0x9e3779b1);
    this.h1 = h1;
    this.h2 = Math.imul(this.h2 ^ value, 0x85ebca77) ^ (h1 >>> 15);
  }

  /** Mixes in any number: int32 values as one word, others as a marker and their two halves. */
  number(value: number): void {
    const low = value | 0;
    if (low === value) {
      this.word(low);
      return;
    }
    this.word(0x7f4a7c15);
    if (Number.isInteger(value)) {
      this.word(low);
      this.word(Math.floor(value / 4294967296) | 0);
    } else {
      doubleView.setFloat64(0, value);
      this.word(doubleView.getInt32(0));
      this.word(doubleView.getInt32(4));
    }
  }

  /** Mixes in a string as one word (its length and characters folded together). */
  string(value: string): void {
    let folded = value.length ^ 0x811c9dc5;
    for (let i = 0; i < value.length; i++) folded = Math.imul(folded ^ value.charCodeAt(i), 0x01000193);
    this.word(folded);
  }

  /** The current value as 16 hex digits. */
  hex(): string {
    const a = avalanche(this.h1 ^ Math.imul(this.h2, 0x27d4eb2f));
    const b = avalanche(this.h2 ^ Math.imul(a, 0x165667b1));
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }
}

/** murmur3's final mix: every input bit affects every output bit. */
function avalanche(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const doubleView = new DataView(new ArrayBuffer(8));
