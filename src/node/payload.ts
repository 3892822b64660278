/**
 * Sealing what a node hands to the simulator (messages, timer payloads, stored
 * values, log data): checked to be plain JSON data, deep-frozen so the sender
 * cannot change it in flight, and mixed into the run's rolling hash, all in one
 * walk. Parts of the sender's own immer draft are replaced by snapshots of
 * their current value, since a draft is revoked when the handler returns.
 * This runs on every send, so the walk builds no strings; only when it finds
 * something that is not JSON does a second, slow walk name the path.
 */
import { current, isDraft } from 'immer';
import type { RollingHash } from '../trace/hash.ts';
import type { JsonValue } from '../trace/events.ts';
import { ModelContractError } from '../sim/errors.ts';

const MAX_DEPTH = 64;
/** Marker words that keep `[]`, `{}` and `null` apart in the hash. */
const NULL_WORD = -1;
const OBJECT_WORD = -2;
const ARRAY_WORD = -3;
/** Closes an object, so {a:{b:1},c:2} and {a:{b:1,c:2}} hash apart. */
const OBJECT_END_WORD = -4;

/** Returns `value` sealed (drafts replaced by snapshots); throws ModelContractError naming `where` and the path of non-JSON data. */
export function sealPayload(value: unknown, hash: RollingHash, where: string | (() => string), strict = false): JsonValue {
  // Checking mode: a getter would be read again (differently) when the trace line is written.
  if (strict && hasAccessor(value, 0)) throw new ModelContractError(`${whereText(where)} is not plain JSON data: it has a getter or setter`);
  const sealed = walk(value, hash, 0);
  if (sealed === NOT_JSON) throw describeProblem(value, whereText(where));
  return sealed;
}

function hasAccessor(value: unknown, depth: number, seen = new Set<object>()): boolean {
  // Depth and a visited set: a shared or cyclic structure must not cost exponential time here.
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (descriptor.get !== undefined || descriptor.set !== undefined) return true;
    if (hasAccessor(descriptor.value, depth + 1, seen)) return true;
  }
  return false;
}

const NOT_JSON = Symbol('not JSON');

/** `where` is only needed for an error message, so callers may pass a function and build no string. */
function whereText(where: string | (() => string)): string {
  return typeof where === 'string' ? where : where();
}

function walk(input: unknown, hash: RollingHash, depth: number): JsonValue | typeof NOT_JSON {
  switch (typeof input) {
    case 'number':
      if (!Number.isFinite(input)) return NOT_JSON;
      hash.number(input);
      return input;
    case 'string':
      hash.string(input);
      return input;
    case 'boolean':
      hash.word(input ? 1 : 0);
      return input;
    case 'object':
      break;
    default:
      return NOT_JSON;
  }
  if (input === null) {
    hash.word(NULL_WORD);
    return null;
  }
  if (depth > MAX_DEPTH) return NOT_JSON;
  const value: object = isDraft(input) ? (current(input) as object) : input;
  if (Array.isArray(value)) {
    hash.word(ARRAY_WORD);
    hash.word(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sealed = walk(item, hash, depth + 1);
      if (sealed === NOT_JSON) return NOT_JSON;
      if (sealed !== item) value[i] = sealed;
    }
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return NOT_JSON;
    hash.word(OBJECT_WORD);
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const field = record[key];
      if (field === undefined) continue; // JSON drops undefined fields, so the hash does too
      hash.string(key);
      const sealed = walk(field, hash, depth + 1);
      if (sealed === NOT_JSON) return NOT_JSON;
      if (sealed !== field) record[key] = sealed;
    }
    hash.word(OBJECT_END_WORD);
  }
  return Object.freeze(value) as JsonValue;
}

/** The slow path: finds the first non-JSON part and says what and where it is. */
function describeProblem(value: unknown, where: string): ModelContractError {
  const found = findProblem(value, '', 0);
  const path = found?.path === '' || found === null ? 'the top level' : found.path;
  return new ModelContractError(`${where} is not plain JSON data: ${found?.what ?? 'unsupported value'} at ${path}`);
}

function findProblem(value: unknown, path: string, depth: number): { what: string; path: string } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { what: `the number ${value}`, path };
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return null;
  if (typeof value !== 'object') return { what: `a ${typeof value}`, path };
  if (depth > MAX_DEPTH) return { what: `nesting deeper than ${MAX_DEPTH} (a cycle?)`, path };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findProblem(value[i], `${path}[${i}]`, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    return { what: `an instance of ${(value as object).constructor?.name ?? 'a class'}`, path };
  }
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const found = findProblem(field, `${path}.${key}`, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
