/**
 * Durations that may be negative (a clock's skew, a jump back), for flags and
 * reports: `-50ms`, `+1.5s`, `250us`. The unsigned forms are in duration.ts.
 */
import { formatDuration, parseDuration, type Micros } from './duration.ts';
import { InputError } from './errors.ts';

/** Parses `"-50ms"`, `"+2s"` or `"20ms"` into integer microseconds (a bare number is ms, as in parseDuration). */
export function parseSignedDuration(text: string, what: string): Micros {
  const trimmed = text.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const body = trimmed.startsWith('-') || trimmed.startsWith('+') ? trimmed.slice(1) : trimmed;
  if (!/^\d/.test(body)) {
    throw new InputError(`${what}: "${text}" is not a duration; use a number with a unit, optionally signed, e.g. -50ms, 20ms, +1s`);
  }
  const micros = parseDuration(body, what);
  // 0 - x, not -x: "-0ms" must be 0, not -0.
  return sign < 0 ? 0 - micros : micros;
}

/** Parses a signed range `"-50ms..50ms"` (or one value, meaning min = max). */
export function parseSignedDurationRange(text: string, what: string): { minUs: Micros; maxUs: Micros } {
  const parts = text.split('..');
  if (parts.length > 2) throw new InputError(`${what}: "${text}" is not a range; use MIN..MAX, e.g. -50ms..50ms`);
  const minUs = parseSignedDuration(parts[0] ?? '', what);
  const maxUs = parts.length === 2 ? parseSignedDuration(parts[1] ?? '', what) : minUs;
  if (maxUs < minUs) throw new InputError(`${what}: "${text}" has its maximum below its minimum`);
  return { minUs, maxUs };
}

/** Formats microseconds that may be negative: `-12.5ms`, `3s`. */
export function formatSignedDuration(micros: Micros): string {
  return micros < 0 ? `-${formatDuration(-micros)}` : formatDuration(micros);
}
