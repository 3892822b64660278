/**
 * Parsing of command-line values into options, with one-line errors that name
 * the flag. Durations and ranges use the parsers in src/sim/duration.ts.
 */
import { InputError } from '../sim/errors.ts';

/** A non-negative safe integer such as a seed or an event budget. */
export function parseNonNegativeInteger(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`${flag}: "${text}" is not a non-negative integer`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InputError(`${flag}: "${text}" is too large (at most ${Number.MAX_SAFE_INTEGER})`);
  return value;
}

/** A positive integer (a count). */
export function parsePositiveInteger(text: string, flag: string): number {
  const value = parseNonNegativeInteger(text, flag);
  if (value === 0) throw new InputError(`${flag}: must be at least 1`);
  return value;
}

/** A probability in [0, 1], e.g. `0.05`. */
export function parseProbability(text: string, flag: string): number {
  const value = Number(text);
  if (!/^(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(text.trim()) || !(value >= 0 && value <= 1)) {
    throw new InputError(`${flag}: "${text}" is not a probability between 0 and 1`);
  }
  return value;
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(text: string, choices: readonly T[], flag: string): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new InputError(`${flag}: "${text}" is not one of ${choices.join(', ')}`);
  }
  return text as T;
}

/** Quotes a path for a shell command line only when it needs it. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
