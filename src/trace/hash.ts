/**
 * A cheap rolling hash over every event of a run, kept even when no trace is
 * written, so two runs can be compared for determinism without serialising.
 * Two 32-bit lanes mixed with Math.imul (in the style of cyrb53) give 64 bits.
 */

/** Accumulates numbers and strings into a 64-bit hash. */
export class RollingHash {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  /** Mixes in one number (any finite or non-finite double). */
  number(value: number): void {
    // Integers are the common case; split them into 32-bit halves so large times hash fully.
    const low = value | 0;
    const high = Number.isInteger(value) ? Math.floor(value / 4294967296) | 0 : hashDoubleBits(value);
    this.mix(low);
    this.mix(high);
  }

  /** Mixes in a string, including its length so "ab","c" differs from "a","bc". */
  string(value: string): void {
    this.mix(value.length);
    for (let i = 0; i < value.length; i++) this.mix(value.charCodeAt(i));
  }

  /** The current value as 16 hex digits. */
  hex(): string {
    const a = this.finalLane(this.h1, this.h2);
    const b = this.finalLane(this.h2, this.h1);
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }

  private mix(word: number): void {
    this.h1 = Math.imul(this.h1 ^ word, 2654435761);
    this.h2 = Math.imul(this.h2 ^ word, 1597334677);
    this.h1 ^= this.h2 >>> 15;
  }

  private finalLane(a: number, b: number): number {
    let x = Math.imul(a ^ (a >>> 16), 2246822507);
    x ^= Math.imul(b ^ (b >>> 13), 3266489909);
    return x;
  }
}

const doubleView = new DataView(new ArrayBuffer(8));
function hashDoubleBits(value: number): number {
  doubleView.setFloat64(0, value);
  return doubleView.getInt32(0) ^ doubleView.getInt32(4);
}
