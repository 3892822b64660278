/**
 * Reading a trace back: parse and validate the header and every event line,
 * with errors that name file:line. Writing happens through sinks; the line
 * format is JSON.stringify of the event objects the Recorder builds.
 */
import { InputError } from '../sim/errors.ts';
import { TRACE_EVENT_KINDS, TRACE_FORMAT, TRACE_VERSION, type TraceEvent, type TraceHeader } from './events.ts';

/** A trace read from text: the header, the events and the raw lines (for exact comparison). */
export interface ParsedTrace {
  header: TraceHeader;
  events: TraceEvent[];
  /** Raw event lines, without the header, in order. */
  eventLines: string[];
}

const KINDS = new Set<string>(TRACE_EVENT_KINDS);

/**
 * Parses trace text. `source` names the file in error messages. Throws
 * InputError. Tolerates a file that went through a Windows editor: a UTF-8 BOM
 * at the start and CRLF line endings (the lines are kept without the '\r', so
 * they compare equal to what a replay writes).
 */
export function parseTrace(text: string, source: string): ParsedTrace {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop();
  else if (lines.length > 0) {
    throw new InputError(`${source}:${lines.length}: truncated trace: the last line has no newline (was the run cut off?)`);
  }
  if (lines.length === 0) throw new InputError(`${source}: empty file, not a faultline trace`);
  const header = parseHeader(lines[0] as string, source);
  const events: TraceEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    events.push(parseEvent(lines[i] as string, `${source}:${i + 1}`, i));
  }
  const last = events.at(-1);
  if (last?.kind !== 'end') {
    throw new InputError(`${source}:${lines.length}: truncated trace: it does not finish with an "end" event`);
  }
  return { header, events, eventLines: lines.slice(1) };
}

function parseJsonObject(line: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InputError(`${where}: not valid JSON (${line.length > 60 ? `${line.slice(0, 60)}...` : line})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${where}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

function parseHeader(line: string, source: string): TraceHeader {
  const where = `${source}:1`;
  const header = parseJsonObject(line, where);
  if (header['format'] !== TRACE_FORMAT) throw new InputError(`${where}: not a faultline trace (no "format": "${TRACE_FORMAT}" header)`);
  if (header['version'] !== TRACE_VERSION) {
    throw new InputError(
      `${where}: trace format version ${JSON.stringify(header['version'])} is not supported (this faultline reads version ${TRACE_VERSION})`,
    );
  }
  for (const field of ['model', 'modelName', 'faultline'] as const) {
    if (typeof header[field] !== 'string') throw new InputError(`${where}: header field "${field}" must be a string`);
  }
  if (typeof header['seed'] !== 'number') throw new InputError(`${where}: header field "seed" must be a number`);
  if (typeof header['options'] !== 'object' || header['options'] === null) {
    throw new InputError(`${where}: header field "options" must be an object`);
  }
  // The fault plan record is for readers only, but a reader must be able to rely on its shape.
  const plan = header['plan'];
  if (plan !== undefined && (typeof plan !== 'object' || plan === null || Array.isArray(plan))) {
    throw new InputError(`${where}: header field "plan" must be an object`);
  }
  return header as unknown as TraceHeader;
}

function parseEvent(line: string, where: string, expectedNumber: number): TraceEvent {
  const event = parseJsonObject(line, where);
  if (event['n'] !== expectedNumber) {
    throw new InputError(`${where}: event number ${JSON.stringify(event['n'])} where ${expectedNumber} was expected`);
  }
  if (typeof event['timeUs'] !== 'number' || !Number.isSafeInteger(event['timeUs'])) {
    throw new InputError(`${where}: "timeUs" must be an integer`);
  }
  if (typeof event['kind'] !== 'string' || !KINDS.has(event['kind'])) {
    throw new InputError(`${where}: unknown event kind ${JSON.stringify(event['kind'])}`);
  }
  return event as unknown as TraceEvent;
}
