/**
 * Stacking partial option sets (`SimOptionsInput`) into one, the way
 * resolveOptions stacks its layers: plain objects merge key by key, anything
 * else (a number, an array, null) replaces. Generic on purpose, so option
 * groups added later merge without a change here.
 */
import type { SimOptionsInput } from '../sim/options.ts';

/** The layers merged in order (a later one wins key by key). */
export function mergeOptionLayers(layers: readonly SimOptionsInput[]): SimOptionsInput {
  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeObjects(merged, layer as Record<string, unknown>);
  return merged as SimOptionsInput;
}

function mergeObjects(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const below = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(below) ? mergeObjects(below, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
