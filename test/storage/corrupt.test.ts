/**
 * corruptValue: exactly one bit of exactly one leaf changes, the copy is
 * frozen and shares everything off the path, the stored value is untouched,
 * and a value with nothing to flip draws nothing.
 */
import { describe, expect, it } from 'vitest';
import { corruptValue, flipMantissaBit, type JsonPathStep } from '../../src/storage/corrupt.ts';
import { RandomStream } from '../../src/random/stream.ts';
import type { JsonValue } from '../../src/trace/events.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}

function at(value: JsonValue, path: readonly JsonPathStep[]): JsonValue {
  return path.reduce<JsonValue>((node, step) => (node as Record<string | number, JsonValue>)[step] as JsonValue, value);
}

/** A deep copy of `value` with the leaf at `path` set to `leaf`. */
function withLeaf(value: JsonValue, path: readonly JsonPathStep[], leaf: JsonValue): JsonValue {
  if (path.length === 0) return leaf;
  const copy = structuredClone(value) as Record<string | number, JsonValue>;
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, JsonValue>;
  parent[path.at(-1) as JsonPathStep] = leaf;
  return copy;
}

/** Number of differing bits between two doubles. */
function bitDistance(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  let count = 0;
  for (let i = 0; i < 8; i++) {
    let x = view.getUint8(i) ^ view.getUint8(8 + i);
    for (; x !== 0; x &= x - 1) count++;
  }
  return count;
}

/** The sign bit. */
const negative = (x: number): boolean => x < 0 || Object.is(x, -0);

describe('flipMantissaBit', () => {
  it('flips exactly one bit, keeps the value finite and changes it, for every mantissa bit', () => {
    for (const value of [0, -0, 1, -1, 3.25, 1e300, -1e-300, Number.MAX_SAFE_INTEGER, 5e-324]) {
      for (let bit = 0; bit < 52; bit++) {
        const flipped = flipMantissaBit(value, bit);
        expect(Number.isFinite(flipped)).toBe(true);
        expect(Object.is(flipped, value)).toBe(false);
        expect(bitDistance(value, flipped)).toBe(1);
        expect(negative(flipped)).toBe(negative(value));
        expect(flipMantissaBit(flipped, bit)).toBe(value);
      }
    }
    expect(flipMantissaBit(0, 0)).toBe(5e-324);
    expect(flipMantissaBit(1, 51)).toBe(1.5);
    expect(flipMantissaBit(5e-324, 0)).toBe(0);
  });
});

describe('corruptValue', () => {
  const stored = deepFreeze({ value: { n: 41, name: 'item-41', tags: ['a', '', 'bc'], ok: true, none: null }, sum: '00ff00ff00ff00ff' });

  it('changes one leaf by one bit, leaves the stored value as it was, and shares what is off the path', () => {
    const random = new RandomStream(3, 'corrupt');
    const before = JSON.stringify(stored);
    const seenPaths = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const corruption = corruptValue(stored, random);
      expect(corruption).not.toBeNull();
      const { value, path, bit } = corruption as NonNullable<typeof corruption>;
      seenPaths.add(JSON.stringify(path));
      const was = at(stored, path);
      const now = at(value, path);
      if (typeof was === 'number') {
        expect(bitDistance(was, now as number)).toBe(1);
        expect(bit).toBeLessThan(52);
      } else if (typeof was === 'string') {
        const index = Math.floor(bit / 16);
        expect((now as string).length).toBe(was.length);
        expect((now as string).charCodeAt(index) ^ was.charCodeAt(index)).toBe(1 << bit % 16);
        expect(bit % 16).toBeLessThan(7);
        expect((now as string).slice(0, index) + (now as string).slice(index + 1)).toBe(was.slice(0, index) + was.slice(index + 1));
      } else {
        expect(now).toBe(!was);
        expect(bit).toBe(0);
      }
      // Putting the old leaf back gives the stored value: nothing else changed.
      expect(withLeaf(value, path, was)).toEqual(stored);
      // The copy is frozen, and the untouched top-level field is the very same object.
      expect(Object.isFrozen(value)).toBe(true);
      if (path[0] === 'sum') expect((value as typeof stored).value).toBe(stored.value);
      else expect((value as typeof stored).sum).toBe(stored.sum);
    }
    expect(JSON.stringify(stored)).toBe(before);
    // Every leaf is hit sometimes; the empty string and null never are.
    expect([...seenPaths].sort()).toEqual(
      [['value', 'n'], ['value', 'name'], ['value', 'tags', 0], ['value', 'tags', 2], ['value', 'ok'], ['sum']].map((p) => JSON.stringify(p)).sort(),
    );
  });

  it('corrupts a bare leaf with an empty path', () => {
    const random = new RandomStream(4, 'corrupt');
    expect(corruptValue(true, random)).toEqual({ value: false, path: [], bit: 0 });
    const number = corruptValue(7, random);
    expect(number?.path).toEqual([]);
    expect(bitDistance(7, number?.value as number)).toBe(1);
  });

  it('returns null without drawing for a value with no leaf to flip', () => {
    const random = new RandomStream(5, 'corrupt');
    const twin = new RandomStream(5, 'corrupt');
    for (const value of [null, '', [], {}, [[], {}], { a: null, b: [''] }] as JsonValue[]) expect(corruptValue(value, random)).toBeNull();
    expect(random.next()).toBe(twin.next());
  });

  it('is deterministic: the same stream state gives the same corruption', () => {
    const a = corruptValue(stored, new RandomStream(6, 'corrupt'));
    const b = corruptValue(stored, new RandomStream(6, 'corrupt'));
    expect(a).toEqual(b);
  });
});
