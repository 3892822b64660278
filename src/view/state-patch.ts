/**
 * A small structural diff of two node states, so the viewer can embed each
 * change as what changed instead of the whole state again: a state that grows
 * every event (a list of acknowledgements) would otherwise cost the square of
 * its length. Immer shares every unchanged part between two states, so equal
 * references are skipped without looking inside. The page applies the
 * operations in src/view/page/model.js (applyPatch).
 */

/** A path from the top of a state: object keys and array indices. */
export type StatePath = (string | number)[];

/**
 * One change: set a value, delete an object key, append items to an array,
 * or cut an array to a length.
 */
export type PatchOp =
  | ['s', StatePath, unknown]
  | ['d', StatePath]
  | ['a', StatePath, unknown[]]
  | ['t', StatePath, number];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Appends to `ops` the operations that turn `before` into `after`. */
export function diffStates(before: unknown, after: unknown, path: StatePath = [], ops: PatchOp[] = []): PatchOp[] {
  if (before === after) return ops;
  if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++) diffStates(before[i], after[i], [...path, i], ops);
    if (after.length > before.length) ops.push(['a', path, after.slice(before.length)]);
    else if (after.length < before.length) ops.push(['t', path, after.length]);
    return ops;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(after)) {
      // A key holding undefined is absent in JSON, on either side.
      if (after[key] === undefined) {
        if (before[key] !== undefined) ops.push(['d', [...path, key]]);
      } else if (before[key] === undefined) ops.push(['s', [...path, key], after[key]]);
      else diffStates(before[key], after[key], [...path, key], ops);
    }
    for (const key of Object.keys(before)) {
      if (before[key] !== undefined && !(key in after)) ops.push(['d', [...path, key]]);
    }
    return ops;
  }
  // Primitives that differ, or a change of type: the new value replaces the old.
  if (typeof before === 'number' && typeof after === 'number' && Number.isNaN(before) && Number.isNaN(after)) return ops;
  ops.push(['s', path, after ?? null]);
  return ops;
}
