/**
 * Virtual time is an integer number of microseconds (DESIGN.md rule 5). These
 * helpers turn human units into microseconds and back.
 */
import { InputError } from './errors.ts';

/** Microseconds, as an integer. */
export type Micros = number;

/** `us(n)`: n microseconds. */
export const us = (n: number): Micros => Math.round(n);
/** `ms(n)`: n milliseconds in microseconds. */
export const ms = (n: number): Micros => Math.round(n * 1_000);
/** `sec(n)`: n seconds in microseconds. */
export const sec = (n: number): Micros => Math.round(n * 1_000_000);

const UNIT_TO_MICROS: Readonly<Record<string, number>> = {
  us: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

/**
 * Parses `"250us"`, `"20ms"`, `"10s"`, `"1.5s"`, `"2m"`, `"1h"` into integer
 * microseconds. A bare number is read as milliseconds. `what` names the flag or
 * option in the error message.
 */
export function parseDuration(text: string, what: string): Micros {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)?$/.exec(text.trim());
  if (match === null) {
    throw new InputError(
      `${what}: "${text}" is not a duration; use a non-negative number with a unit, e.g. 500us, 20ms, 10s, 2m`,
    );
  }
  const amount = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const micros = Math.round(amount * (UNIT_TO_MICROS[unit] ?? 1));
  if (!Number.isSafeInteger(micros)) throw new InputError(`${what}: "${text}" is too large`);
  return micros;
}

/** Parses a range `"1ms..20ms"` (or a single duration, meaning min = max). */
export function parseDurationRange(text: string, what: string): { minUs: Micros; maxUs: Micros } {
  const parts = text.split('..');
  if (parts.length > 2) throw new InputError(`${what}: "${text}" is not a range; use MIN..MAX, e.g. 1ms..20ms`);
  const minUs = parseDuration(parts[0] ?? '', what);
  const maxUs = parts.length === 2 ? parseDuration(parts[1] ?? '', what) : minUs;
  if (maxUs < minUs) throw new InputError(`${what}: "${text}" has its maximum below its minimum`);
  return { minUs, maxUs };
}

/** Formats microseconds for people: `12.345ms`, `3.2s`, `250us`. */
export function formatDuration(micros: Micros): string {
  if (micros < 1_000) return `${micros}us`;
  if (micros < 1_000_000) return `${trimZeros((micros / 1_000).toFixed(3))}ms`;
  return `${trimZeros((micros / 1_000_000).toFixed(6))}s`;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
