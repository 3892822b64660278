/** Seed plans and shards: every seed of a campaign runs in exactly one shard. */
import { describe, expect, it } from 'vitest';
import { parseShard, seedAt, shardSeedCount, shardSeeds, NO_SHARD, type SeedPlan } from '../../src/fuzz/seeds.ts';
import { InputError } from '../../src/sim/errors.ts';

describe('shards', () => {
  it('shards 1..n of N seeds cover each seed from the start seed exactly once', () => {
    for (const total of [1, 7, 10, 100, 1001]) {
      for (const count of [1, 2, 3, 4, 7, 16]) {
        const seen = new Map<number, number>();
        for (let index = 1; index <= count; index++) {
          for (const seed of shardSeeds({ startSeed: 50, shard: { index, count }, totalSeeds: total })) seen.set(seed, (seen.get(seed) ?? 0) + 1);
        }
        const expected = Array.from({ length: total }, (_, k) => 50 + k);
        expect([...seen.keys()].sort((a, b) => a - b), `${total} seeds, ${count} shards`).toEqual(expected);
        expect([...seen.values()].every((times) => times === 1)).toBe(true);
      }
    }
  });

  it('interleaves: shard 2 of 4 from seed 10 runs 11, 15, 19, ...; shares differ by at most one seed', () => {
    const plan: SeedPlan = { startSeed: 10, shard: { index: 2, count: 4 }, totalSeeds: 10 };
    expect(shardSeeds(plan)).toEqual([11, 15, 19]);
    expect([1, 2, 3, 4].map((index) => shardSeedCount({ ...plan, shard: { index, count: 4 } }))).toEqual([3, 3, 2, 2]);
    // Unbounded (--duration): the same formula, no count.
    const open: SeedPlan = { startSeed: 0, shard: { index: 3, count: 3 }, totalSeeds: null };
    expect(shardSeedCount(open)).toBeNull();
    expect([0, 1, 2, 1000].map((k) => seedAt(open, k))).toEqual([2, 5, 8, 3002]);
    expect(shardSeeds({ startSeed: 0, shard: NO_SHARD, totalSeeds: 3 })).toEqual([0, 1, 2]);
  });

  it('parses i/n and refuses anything else with a message naming the flag', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    const cases: Array<[string, RegExp]> = [
      ['0/4', /--shard: "0\/4": i must be between 1 and 4/],
      ['5/4', /i must be between 1 and 4/],
      ['1/0', /n must be at least 1/],
      ['2', /not of the form i\/n/],
      ['a/b', /not of the form i\/n/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseShard(text)).toThrow(InputError);
      expect(() => parseShard(text)).toThrow(message);
    }
  });
});
