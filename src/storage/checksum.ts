/**
 * A checksum for stored values, so a model can store `{ value, sum: checksum(value) }`
 * and tell a corrupted read (see `disk.readCorruptRate`) from a good one.
 *
 * It is 64-bit FNV-1a over a fixed binary encoding of the value, fed in 16-bit
 * units: a type tag per value, numbers as the four 16-bit parts of their
 * IEEE-754 bits, strings as their length and UTF-16 code units, arrays as their
 * length and items, objects as their size and their entries in sorted key
 * order. Every FNV-1a step is a bijection of the running hash, so two encodings
 * of the same length that differ in exactly one unit always hash apart; a
 * corruption the simulator makes (one flipped bit of one number, one
 * character or one boolean) changes exactly one unit, so it is always caught.
 */
import type { JsonValue } from '../trace/events.ts';

/** Type tags of the encoding. */
const TAG = { null: 0x6e, false: 0x66, true: 0x74, number: 0x64, string: 0x73, array: 0x61, object: 0x6f } as const;
/** Deeper values are refused (stored values are at most 64 deep, see src/node/payload.ts). */
const MAX_DEPTH = 64;

/** FNV-1a over 16-bit units, as four 16-bit limbs (JavaScript numbers are exact only to 53 bits). */
class Fnv64 {
  // Offset basis 0xcbf29ce484222325, least significant limb first.
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  unit(value: number): void {
    this.h0 ^= value & 0xffff;
    // Multiply by the FNV prime 0x100000001b3 (limbs 0x01b3, 0, 0x0100, 0), mod 2^64.
    const r0 = this.h0 * 0x1b3;
    const r1 = this.h1 * 0x1b3;
    const r2 = this.h2 * 0x1b3 + this.h0 * 0x100;
    const r3 = this.h3 * 0x1b3 + this.h1 * 0x100;
    this.h0 = r0 & 0xffff;
    const c1 = r1 + Math.floor(r0 / 0x10000);
    this.h1 = c1 & 0xffff;
    const c2 = r2 + Math.floor(c1 / 0x10000);
    this.h2 = c2 & 0xffff;
    this.h3 = (r3 + Math.floor(c2 / 0x10000)) & 0xffff;
  }

  /** A 32-bit count as two units. */
  count(value: number): void {
    this.unit(value >>> 16);
    this.unit(value & 0xffff);
  }

  hex(): string {
    return [this.h3, this.h2, this.h1, this.h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
  }
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * A 16-hex-digit checksum of a plain JSON value. Deterministic on every
 * machine; object key order does not matter (`{a:1,b:2}` and `{b:2,a:1}` agree);
 * numbers count by their bits, so `0` and `-0` differ.
 * @throws TypeError for something that is not plain JSON data.
 */
export function checksum(value: JsonValue): string {
  const fnv = new Fnv64();
  feed(fnv, value, 0);
  return fnv.hex();
}

function feed(fnv: Fnv64, value: JsonValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new TypeError(`checksum(): a value nested deeper than ${MAX_DEPTH}`);
  if (value === null) return fnv.unit(TAG.null);
  switch (typeof value) {
    case 'boolean':
      return fnv.unit(value ? TAG.true : TAG.false);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`checksum(): ${value} is not JSON data`);
      fnv.unit(TAG.number);
      bits.setFloat64(0, value);
      for (let offset = 0; offset < 8; offset += 2) fnv.unit(bits.getUint16(offset));
      return;
    case 'string':
      fnv.unit(TAG.string);
      fnv.count(value.length);
      for (let i = 0; i < value.length; i++) fnv.unit(value.charCodeAt(i));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`checksum(): a ${typeof value} is not JSON data`);
  }
  if (Array.isArray(value)) {
    fnv.unit(TAG.array);
    fnv.count(value.length);
    for (const item of value as readonly JsonValue[]) feed(fnv, item, depth + 1);
    return;
  }
  const record = value as { readonly [key: string]: JsonValue };
  // Sorted by UTF-16 code units (the default sort): a total order, the same everywhere.
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  fnv.unit(TAG.object);
  fnv.count(keys.length);
  for (const key of keys) {
    fnv.count(key.length);
    for (let i = 0; i < key.length; i++) fnv.unit(key.charCodeAt(i));
    feed(fnv, record[key] as JsonValue, depth + 1);
  }
}
