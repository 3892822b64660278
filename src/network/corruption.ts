/**
 * Changing one field of a JSON payload, the way a flipped bit that slipped
 * past a checksum would: one leaf, drawn from a stream, gets a different value
 * of the same kind. Used by the network's corruption (on delivery) and by the
 * adversary's tampering (in flight). The original payload is never touched:
 * the containers on the path to the leaf are copied.
 *
 * Leaves are the primitives and the empty containers, in depth-first order
 * (object keys in their own order, then array indices). How a leaf changes:
 * a number by +1 or -1 (drawn; a number too large for that to show is negated,
 * or 0 becomes 1), a boolean flips, a string has one character (drawn)
 * replaced (an empty string becomes "?"), null becomes 0, an empty object or
 * array becomes null.
 */
import type { RandomStream } from '../random/stream.ts';
import type { JsonPath, JsonValue } from '../trace/events.ts';

/** Leaves considered per payload: a bound on the walk; larger payloads have a leaf changed among the first ones. */
const MAX_LEAVES = 4_096;

/** One changed payload. */
export interface Corruption {
  /** The whole payload with the leaf changed (fresh containers on the path, the rest shared). */
  payload: JsonValue;
  path: JsonPath;
  before: JsonValue;
  after: JsonValue;
}

/** Changes one leaf of `payload`, drawing which and how from `random`. */
export function corruptPayload(payload: JsonValue, random: RandomStream): Corruption {
  const leaves: JsonPath[] = [];
  collectLeaves(payload, [], leaves);
  const path = leaves[random.int(leaves.length)] as JsonPath;
  const before = valueAt(payload, path);
  const after = changeLeaf(before, random);
  return { payload: replaceAt(payload, path, 0, after), path, before, after };
}

function collectLeaves(value: JsonValue, path: JsonPath, out: JsonPath[]): void {
  if (out.length >= MAX_LEAVES) return;
  if (value === null || typeof value !== 'object') {
    out.push(path);
    return;
  }
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    if (items.length === 0) out.push(path);
    items.forEach((item, i) => collectLeaves(item, [...path, i], out));
    return;
  }
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record);
  if (keys.length === 0) out.push(path);
  for (const key of keys) collectLeaves(record[key] as JsonValue, [...path, key], out);
}

function valueAt(value: JsonValue, path: JsonPath): JsonValue {
  let here = value;
  for (const step of path) here = (here as Record<string | number, JsonValue>)[step] as JsonValue;
  return here;
}

function replaceAt(value: JsonValue, path: JsonPath, depth: number, leaf: JsonValue): JsonValue {
  if (depth === path.length) return leaf;
  const step = path[depth] as string | number;
  if (Array.isArray(value)) {
    const copy = (value as readonly JsonValue[]).slice();
    copy[step as number] = replaceAt(copy[step as number] as JsonValue, path, depth + 1, leaf);
    return copy;
  }
  const record = value as { readonly [key: string]: JsonValue };
  return { ...record, [step]: replaceAt(record[step as string] as JsonValue, path, depth + 1, leaf) };
}

/** A different value of the same kind as `leaf`. */
export function changeLeaf(leaf: JsonValue, random: RandomStream): JsonValue {
  if (leaf === null) return 0;
  switch (typeof leaf) {
    case 'number': {
      const next = leaf + (random.chance(0.5) ? 1 : -1);
      if (next !== leaf) return next;
      // Past 2^53 a step of one does not show.
      return leaf === 0 ? 1 : -leaf;
    }
    case 'boolean':
      return !leaf;
    case 'string': {
      if (leaf.length === 0) return '?';
      const at = random.int(leaf.length);
      const code = leaf.charCodeAt(at);
      // Flipping the low bit keeps a character of the same kind; surrogates (half a character) become '?' instead.
      const replacement = code < 0xd800 ? String.fromCharCode(code ^ 1) : '?';
      return leaf.slice(0, at) + replacement + leaf.slice(at + 1);
    }
    default:
      // An empty object or array.
      return null;
  }
}
