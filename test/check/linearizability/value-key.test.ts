/** Exact keys: equal only for values no pure function can tell apart. */
import { describe, expect, it } from 'vitest';
import { exactKey } from '../../../src/check/linearizability/value-key.ts';

describe('exactKey', () => {
  it('keeps apart what JSON merges', () => {
    const distinct = [null, undefined, 0, -0, Infinity, -Infinity, NaN, 1n, '1', 1, true, 'true', [], {}, [null], [undefined], { a: 1 }, { a: '1' }];
    const keys = distinct.map(exactKey);
    expect(new Set(keys).size).toBe(distinct.length);
  });

  it('gives equal plain values equal keys', () => {
    expect(exactKey({ f: 'cas', from: [1, 'a'], to: { x: null } })).toBe(exactKey({ f: 'cas', from: [1, 'a'], to: { x: null } }));
    expect(exactKey(NaN)).toBe(exactKey(Number.NaN));
  });

  it('has no key for values it cannot compare exactly', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const value of [new Set([1]), new Map(), new Date(0), () => 1, Symbol('s'), [1, new Set()], cyclic, [, 1]]) {
      expect(exactKey(value)).toBeNull();
    }
  });
});
