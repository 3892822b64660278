/**
 * Read corruption: a copy of a stored value with one bit of one leaf flipped,
 * the way a bad sector or a flaky bus hands back data that is almost right.
 * The stored value itself is untouched (the next read may be fine).
 *
 * A leaf is a number, a boolean or a non-empty string, found in a fixed walk
 * (object keys in their order, array items by index). A number gets one of its
 * 52 IEEE-754 mantissa bits flipped (it stays finite and always changes; an
 * integer may become a fraction, 0 a tiny subnormal); a string gets one of the
 * low 7 bits of one UTF-16 code unit flipped (a surrogate stays a surrogate of
 * the same half, so the string stays well-formed); a boolean is negated.
 */
import type { RandomStream } from '../random/stream.ts';
import type { JsonValue } from '../trace/events.ts';

/** A step into a JSON value: an object key or an array index. */
export type JsonPathStep = string | number;

/** What a corruption did. */
export interface Corruption {
  /** The corrupted copy (frozen, like every stored value). */
  value: JsonValue;
  /** Where the flipped leaf sits in the value ([] for a value that is itself a leaf). */
  path: JsonPathStep[];
  /** Which bit of the leaf: 0-51 of a number's mantissa, `16 * index + bit` of a string, 0 for a boolean. */
  bit: number;
}

/** Leaves a walk visits at most, so a huge value costs a bounded amount (only the first ones can be hit). */
const MAX_LEAVES = 10_000;

/**
 * Corrupts `value` with draws from `random` (one to pick the leaf, one or two
 * for the bit). Returns null, drawing nothing, for a value without a leaf
 * (null, `""`, `[]`, `{}` or nests of them): there is no bit to flip.
 */
export function corruptValue(value: JsonValue, random: RandomStream): Corruption | null {
  const leaves: JsonPathStep[][] = [];
  collectLeaves(value, [], leaves);
  if (leaves.length === 0) return null;
  const path = random.pick(leaves);
  let bit = 0;
  const flipped = replaceAt(value, path, 0, (leaf) => {
    if (typeof leaf === 'number') {
      bit = random.int(52);
      return flipMantissaBit(leaf, bit);
    }
    if (typeof leaf === 'string') {
      const index = random.int(leaf.length);
      const low = random.int(7);
      bit = 16 * index + low;
      return leaf.slice(0, index) + String.fromCharCode(leaf.charCodeAt(index) ^ (1 << low)) + leaf.slice(index + 1);
    }
    return !(leaf as boolean);
  });
  return { value: flipped, path, bit };
}

function collectLeaves(value: JsonValue, path: JsonPathStep[], out: JsonPathStep[][]): void {
  if (out.length >= MAX_LEAVES || value === null) return;
  if (typeof value === 'number' || typeof value === 'boolean') {
    out.push(path);
    return;
  }
  if (typeof value === 'string') {
    if (value.length > 0) out.push(path);
    return;
  }
  if (Array.isArray(value)) {
    (value as readonly JsonValue[]).forEach((item, index) => collectLeaves(item, [...path, index], out));
    return;
  }
  const record = value as { readonly [key: string]: JsonValue };
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (field !== undefined) collectLeaves(field, [...path, key], out);
  }
}

/** A frozen copy of `value` with the leaf at `path` replaced by `change(leaf)`; everything off the path is shared. */
function replaceAt(value: JsonValue, path: readonly JsonPathStep[], depth: number, change: (leaf: JsonValue) => JsonValue): JsonValue {
  if (depth === path.length) return change(value);
  const step = path[depth] as JsonPathStep;
  if (Array.isArray(value)) {
    const copy = (value as readonly JsonValue[]).slice();
    copy[step as number] = replaceAt(copy[step as number] as JsonValue, path, depth + 1, change);
    return Object.freeze(copy);
  }
  const record = value as { readonly [key: string]: JsonValue };
  const copy = { ...record, [step]: replaceAt(record[step] as JsonValue, path, depth + 1, change) };
  return Object.freeze(copy);
}

const bits = new DataView(new ArrayBuffer(8));

/** `value` with mantissa bit `bit` (0 = least significant) flipped: same sign and exponent, so finite and different. */
export function flipMantissaBit(value: number, bit: number): number {
  bits.setFloat64(0, value);
  // Big-endian: bytes 0-3 hold the sign, the exponent and the top 20 mantissa bits; bytes 4-7 the low 32.
  if (bit < 32) bits.setUint32(4, (bits.getUint32(4) ^ (2 ** bit)) >>> 0);
  else bits.setUint32(0, (bits.getUint32(0) ^ (2 ** (bit - 32))) >>> 0);
  return bits.getFloat64(0);
}
