/**
 * Sealing what a node hands to the simulator (messages, timer payloads, stored
 * values, log data): checked to be plain JSON data, deep-frozen so the sender
 * cannot change it in flight, and mixed into the run's rolling hash, all in one
 * walk. Parts of the sender's own immer draft are replaced by snapshots of
 * their current value, since a draft is revoked when the handler returns.
 */
import { current, isDraft } from 'immer';
import type { RollingHash } from '../trace/hash.ts';
import type { JsonValue } from '../trace/events.ts';
import { ModelContractError } from '../sim/errors.ts';

const MAX_DEPTH = 64;

/** Returns `value` sealed (drafts replaced by snapshots); throws ModelContractError naming the path of non-JSON data. */
export function sealPayload(value: unknown, hash: RollingHash, where: string): JsonValue {
  return walk(value, hash, where, '', 0);
}

function walk(input: unknown, hash: RollingHash, where: string, path: string, depth: number): JsonValue {
  switch (typeof input) {
    case 'number':
      hash.number(input);
      if (!Number.isFinite(input)) throw notJson(where, path, `the number ${input}`);
      return input;
    case 'string':
      hash.string(input);
      return input;
    case 'boolean':
      hash.number(input ? 1 : 0);
      return input;
    case 'object':
      break;
    default:
      throw notJson(where, path, `a ${typeof input}`);
  }
  if (input === null) {
    hash.number(-1);
    return null;
  }
  if (depth > MAX_DEPTH) throw notJson(where, path, `nesting deeper than ${MAX_DEPTH} (a cycle?)`);
  const value: object = isDraft(input) ? (current(input) as object) : input;
  if (Array.isArray(value)) {
    hash.number(-2 - value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sealed = walk(item, hash, where, `${path}[${i}]`, depth + 1);
      if (sealed !== item) value[i] = sealed;
    }
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw notJson(where, path, `an instance of ${value.constructor?.name ?? 'a class'}`);
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const field = record[key];
      if (field === undefined) continue; // JSON drops undefined fields, so the hash does too
      hash.string(key);
      const sealed = walk(field, hash, where, `${path}.${key}`, depth + 1);
      if (sealed !== field) record[key] = sealed;
    }
  }
  return Object.freeze(value) as JsonValue;
}

function notJson(where: string, path: string, what: string): ModelContractError {
  return new ModelContractError(`${where} is not plain JSON data: ${what} at ${path === '' ? 'the top level' : path}`);
}
