/** Helpers shared by the history formats. */
import { InputError } from '../../sim/errors.ts';

/** Splits a file's text into lines: drops a UTF-8 byte-order mark and accepts CRLF as well as LF. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r?\n/);
}

/** A line shortened for a one-line message, quoted. */
export function quoteLine(line: string, lengthMax = 60): string {
  const trimmed = line.trim();
  return JSON.stringify(trimmed.length > lengthMax ? `${trimmed.slice(0, lengthMax)}…` : trimmed);
}

/** The error for a file in which a format found nothing to read. */
export function noHistoryLines(displayPath: string, format: string): InputError {
  return new InputError(`${displayPath}: no history lines found when reading it as --format ${format}; check that --format matches the file`);
}
