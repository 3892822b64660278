/**
 * Which seeds a campaign runs: from a start seed, optionally one shard of n.
 * Shards interleave (shard i of n runs start + (i-1), start + (i-1) + n, ...)
 * rather than cut contiguous blocks, because interleaving needs no seed count:
 * it works the same under --duration, where nobody knows the count in advance,
 * and every shard sees seeds from the whole range as a campaign grows.
 */
import { InputError } from '../sim/errors.ts';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The seed sequence of one campaign (one shard of it). */
export interface SeedPlan {
  startSeed: number;
  shard: Shard;
  /** Seeds of the whole campaign across all shards, or null when bounded by wall time instead. */
  totalSeeds: number | null;
}

/** The whole campaign as one shard. */
export const NO_SHARD: Shard = { index: 1, count: 1 };

/** Parses `i/n` (1 <= i <= n); `flag` names the flag in the error. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (match === null) throw new InputError(`${flag}: "${text}" is not of the form i/n, e.g. 2/4`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw new InputError(`${flag}: "${text}": n must be at least 1`);
  if (!Number.isSafeInteger(index) || index < 1 || index > count) throw new InputError(`${flag}: "${text}": i must be between 1 and ${count}`);
  return { index, count };
}

/** The `k`-th seed (0-based) of the plan's shard. */
export function seedAt(plan: SeedPlan, k: number): number {
  return plan.startSeed + (plan.shard.index - 1) + k * plan.shard.count;
}

/**
 * How many seeds this shard runs: its share of `totalSeeds` (the first
 * `totalSeeds mod n` shards get one more), or null when unbounded.
 */
export function shardSeedCount(plan: SeedPlan): number | null {
  if (plan.totalSeeds === null) return null;
  const { index, count } = plan.shard;
  return Math.floor(plan.totalSeeds / count) + (index - 1 < plan.totalSeeds % count ? 1 : 0);
}

/** Every seed of the shard, in order (bounded plans only). */
export function shardSeeds(plan: SeedPlan): number[] {
  const count = shardSeedCount(plan);
  if (count === null) throw new Error('shardSeeds: the plan has no seed count');
  return Array.from({ length: count }, (_, k) => seedAt(plan, k));
}
