/**
 * checksum(value): FNV-1a 64 over a fixed encoding, checked against a BigInt
 * reference, pinned, independent of key order, and catching every corruption
 * the simulator makes (src/storage/corrupt.ts) on thousands of random values.
 */
import { describe, expect, it } from 'vitest';
import { checksum } from '../../src/storage/checksum.ts';
import { corruptValue } from '../../src/storage/corrupt.ts';
import { RandomStream } from '../../src/random/stream.ts';
import type { JsonValue } from '../../src/trace/events.ts';

/** FNV-1a 64 over 16-bit units, with BigInt: the reference the limb arithmetic must match. */
function referenceFnv(units: readonly number[]): string {
  let hash = 0xcbf29ce484222325n;
  for (const unit of units) hash = BigInt.asUintN(64, (hash ^ BigInt(unit)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

/** The encoding of a string leaf: tag 's', length as two units, code units. */
const stringUnits = (text: string): number[] => [0x73, text.length >>> 16, text.length & 0xffff, ...codeUnits(text)];

/** UTF-16 code units (not code points: a surrogate pair is two). */
function codeUnits(text: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
  return units;
}

/** A random JSON value of bounded size, drawn from `random`. */
function randomJson(random: RandomStream, depth = 0): JsonValue {
  const roll = random.int(depth >= 3 ? 4 : 6);
  switch (roll) {
    case 0:
      return random.chance(0.5);
    case 1:
      return random.chance(0.5) ? random.between(-1_000_000, 1_000_000) : (random.next() - 0.5) * 10 ** random.between(-5, 12);
    case 2:
      return Array.from({ length: random.int(12) }, () => String.fromCharCode(random.chance(0.9) ? random.between(32, 126) : random.between(0x80, 0xffff))).join('');
    case 3:
      return null;
    case 4:
      return Array.from({ length: random.int(5) }, () => randomJson(random, depth + 1));
    default: {
      const record: Record<string, JsonValue> = {};
      for (let i = random.int(5); i > 0; i--) record[`k${random.int(20)}`] = randomJson(random, depth + 1);
      return record;
    }
  }
}

describe('checksum', () => {
  it('is 64-bit FNV-1a over the documented encoding (matches a BigInt reference)', () => {
    expect(checksum(true)).toBe(referenceFnv([0x74]));
    expect(checksum(false)).toBe(referenceFnv([0x66]));
    expect(checksum(null)).toBe(referenceFnv([0x6e]));
    // The FNV-1a 64 test vector for "a" is one step on the unit 0x61.
    expect(referenceFnv([0x61])).toBe('af63dc4c8601ec8c');
    const random = new RandomStream(1, 'checksum-strings');
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: random.int(40) }, () => String.fromCharCode(random.int(0x10000))).join('');
      expect(checksum(text)).toBe(referenceFnv(stringUnits(text)));
    }
    // Numbers: tag 'd', then the four 16-bit parts of the IEEE-754 bits, most significant first (1.5 is 0x3ff8000000000000).
    expect(checksum(1.5)).toBe(referenceFnv([0x64, 0x3ff8, 0, 0, 0]));
    expect(checksum([])).toBe(referenceFnv([0x61, 0, 0]));
    expect(checksum({ b: true })).toBe(referenceFnv([0x6f, 0, 1, 0, 1, 0x62, 0x74]));
  });

  it('is pinned: these values must never change (models store them on their disks)', () => {
    expect([checksum(0), checksum('x'), checksum({ seq: 1, text: 'entry 1' }), checksum([1, [2, null], { a: false }])]).toEqual([
      '47dd287ed9db8c23',
      'ec2402181e1a6e07',
      '842dece4f3067d64',
      '436505b74d8fe860',
    ]);
    // The object's encoding, spelled out: tag, size, then each key (length, units) and value in sorted key order.
    const seq = [0, 3, ...codeUnits('seq'), 0x64, 0x3ff0, 0, 0, 0];
    const text = [0, 4, ...codeUnits('text'), ...stringUnits('entry 1')];
    expect(referenceFnv([0x6f, 0, 2, ...seq, ...text])).toBe('842dece4f3067d64');
  });

  it('ignores key order but tells apart values that JSON would not: types, nesting, 0 and -0', () => {
    expect(checksum({ a: 1, b: [2, 3] })).toBe(checksum({ b: [2, 3], a: 1 }));
    const distinct: JsonValue[] = [0, -0, '0', false, null, [], {}, [0], { 0: 0 }, [[]], [null], '', 'a', ['a'], { a: 'b' }, { b: 'a' }, 1, 1.0000000000000002];
    const sums = distinct.map((value) => checksum(value));
    expect(new Set(sums).size).toBe(distinct.length);
  });

  it('refuses what is not JSON data', () => {
    expect(() => checksum(Number.NaN)).toThrow(TypeError);
    expect(() => checksum(undefined as unknown as JsonValue)).toThrow(TypeError);
  });

  it('catches every corruption the simulator makes: 20,000 random values, each corrupted once', () => {
    const values = new RandomStream(2, 'checksum-values');
    const faults = new RandomStream(2, 'checksum-faults');
    let corrupted = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = randomJson(values);
      const corruption = corruptValue(value, faults);
      if (corruption === null) continue;
      corrupted++;
      expect(corruption.value).not.toEqual(value);
      expect(checksum(corruption.value)).not.toBe(checksum(value));
    }
    // Most random values have a leaf to flip (the rest are null, "", [] or {} nests): 14,614 of these.
    expect(corrupted).toBeGreaterThan(14_000);
  });
});
