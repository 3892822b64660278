/**
 * Exact text keys for plain values: two values get the same key only when no
 * pure function could tell them apart. The checker uses them to find equal
 * inputs, outputs and states, where a false "equal" would be unsound (it
 * could turn a linearizable history into a violation), while a missed one only
 * costs speed. JSON is not such a key: it writes Infinity and NaN as null,
 * a Set or Map as {}, and throws on a bigint.
 */

/**
 * The key of `value`, or null when it holds something without an exact key
 * here (a Set, Map, class instance, function, symbol or cycle): such values
 * are never considered equal to anything else.
 */
export function exactKey(value: unknown): string | null {
  return keyOf(value, 0);
}

/** Deeper than this is treated as unkeyable rather than walked (and guards against cycles). */
const DEPTH_MAX = 64;

function keyOf(value: unknown, depth: number): string | null {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      return Object.is(value, -0) ? 'n-0' : `n${value}`;
    case 'bigint':
      return `b${value}`;
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return value === null ? 'z' : objectKey(value, depth);
    default:
      return null;
  }
}

function objectKey(value: object, depth: number): string | null {
  if (depth >= DEPTH_MAX) return null;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return null;
      const part = keyOf(value[i], depth + 1);
      if (part === null) return null;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return null;
  // Insertion order is kept: objects that differ only in key order get different keys, which is safe.
  for (const [name, field] of Object.entries(value)) {
    const part = keyOf(field, depth + 1);
    if (part === null) return null;
    parts.push(`${JSON.stringify(name)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}
