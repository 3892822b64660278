/**
 * Which events of a trace a person asked to see: a window (from/to, each an
 * event number or a virtual time), nodes, and kinds. Used by `faultline view`;
 * the HTML page applies the same rules in the browser.
 */
import type { JsonValue, TraceEvent } from '../trace/events.ts';
import { InputError } from '../sim/errors.ts';
import { formatDuration, parseDuration } from '../sim/duration.ts';

/** One end of a window: an event number or a virtual time in microseconds. */
export type WindowBound = { eventNumber: number } | { timeUs: number };

/** What to keep; every absent field keeps everything. */
export interface EventFilter {
  /** First event kept (inclusive). */
  from?: WindowBound;
  /** Last event kept (inclusive). */
  to?: WindowBound;
  /** Keep events that involve one of these nodes (as the acting node or the peer). */
  nodes?: readonly string[];
  /**
   * Keep events whose kind, or whose message's `kind` field, is one of these.
   * An event without a payload (a hold, release, duplicate, ...) takes the
   * kind of the message it concerns (see messageKinds).
   */
  kinds?: readonly string[];
}

/**
 * Parses a `--from`/`--to` value: a bare integer is an event number, a number
 * with a unit (`1.5s`, `200ms`, `40us`) a virtual time. `flag` names the flag
 * in the one-line error.
 */
export function parseWindowBound(text: string, flag: string): WindowBound {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const eventNumber = Number(trimmed);
    if (!Number.isSafeInteger(eventNumber)) throw new InputError(`${flag}: "${text}" is too large`);
    return { eventNumber };
  }
  const match = /^(\d+)(?:\.(\d+))?(us|ms|s|m|h)$/.exec(trimmed);
  if (match === null) {
    throw new InputError(`${flag}: "${text}" is neither an event number (e.g. 120) nor a virtual time with a unit (e.g. 1.5s, 200ms)`);
  }
  if (!wholeMicros(match[2] ?? '', match[3] as string)) {
    throw new InputError(`${flag}: "${text}" is not a whole number of microseconds (virtual time counts in microseconds)`);
  }
  return { timeUs: parseDuration(trimmed, flag) };
}

const UNIT_MICROS: Readonly<Record<string, bigint>> = { us: 1n, ms: 1_000n, s: 1_000_000n, m: 60_000_000n, h: 3_600_000_000n };

/**
 * True when a number with these decimals, in this unit, is a whole number of
 * microseconds. Exact (decimal digits, not floating point): `1.000001s` is,
 * `0.5us` and `1.0000005s` are not. model.js parseBound has the same rule.
 */
function wholeMicros(decimals: string, unit: string): boolean {
  if (decimals === '') return true;
  return (BigInt(decimals) * (UNIT_MICROS[unit] ?? 1n)) % 10n ** BigInt(decimals.length) === 0n;
}

/**
 * A one-line reason why `from`..`to` can hold no event (from after to, both
 * event numbers or both virtual times), or null. Bounds of different units
 * are not compared: which comes first depends on the trace.
 */
export function emptyWindowReason(from: WindowBound | undefined, to: WindowBound | undefined): string | null {
  if (from === undefined || to === undefined) return null;
  if ('eventNumber' in from && 'eventNumber' in to && from.eventNumber > to.eventNumber) {
    return `event #${from.eventNumber} comes after #${to.eventNumber}`;
  }
  if ('timeUs' in from && 'timeUs' in to && from.timeUs > to.timeUs) {
    return `${formatDuration(from.timeUs)} comes after ${formatDuration(to.timeUs)}`;
  }
  return null;
}

/** The nodes an event concerns: its acting node and its peer (empty for cluster-wide events). */
export function eventNodes(event: TraceEvent): string[] {
  const nodes: string[] = [];
  if ('node' in event && typeof event.node === 'string') nodes.push(event.node);
  if ('from' in event) nodes.push(event.from);
  if ('to' in event) nodes.push(event.to);
  if (event.kind === 'partition') for (const group of event.groups) nodes.push(...group);
  return nodes;
}

/** The `kind` field of an event's message payload, when it has one. */
export function messageKind(event: TraceEvent): string | null {
  if (!('payload' in event)) return null;
  const payload: JsonValue = event.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const kind = (payload as { readonly [key: string]: JsonValue })['kind'];
  return typeof kind === 'string' ? kind : null;
}

/**
 * Per event, the `kind` field of the message it concerns, or null (no
 * message, or one whose payload has no `kind`). Holds, releases, drops and
 * pause-holds carry only the message id, and copies, forgeries and replays
 * only the id they copy, so the kind comes from the first event that showed
 * the message's payload. The HTML page's message-kind column is built from
 * this (event-columns.ts), so both views resolve kinds alike.
 */
export function messageKinds(events: readonly TraceEvent[]): (string | null)[] {
  const kindOfMsg = new Map<number, string>();
  return events.map((event) => {
    if (!('msg' in event)) return null;
    let kind = messageKind(event);
    if (kind === null && 'copyOf' in event) kind = kindOfMsg.get(event.copyOf) ?? null;
    kind ??= kindOfMsg.get(event.msg) ?? null;
    if (kind !== null && !kindOfMsg.has(event.msg)) kindOfMsg.set(event.msg, kind);
    return kind;
  });
}

function after(event: TraceEvent, bound: WindowBound): boolean {
  return 'eventNumber' in bound ? event.n >= bound.eventNumber : event.timeUs >= bound.timeUs;
}

function before(event: TraceEvent, bound: WindowBound): boolean {
  return 'eventNumber' in bound ? event.n <= bound.eventNumber : event.timeUs <= bound.timeUs;
}

/**
 * True when `event` passes every part of `filter`; `kindOfMessage` is the
 * kind of the message it concerns, as messageKinds resolves it.
 */
export function keepEvent(event: TraceEvent, filter: EventFilter, kindOfMessage: string | null = messageKind(event)): boolean {
  if (filter.from !== undefined && !after(event, filter.from)) return false;
  if (filter.to !== undefined && !before(event, filter.to)) return false;
  if (filter.nodes !== undefined && filter.nodes.length > 0) {
    const wanted = filter.nodes;
    if (!eventNodes(event).some((node) => wanted.includes(node))) return false;
  }
  if (filter.kinds !== undefined && filter.kinds.length > 0) {
    if (!filter.kinds.includes(event.kind) && (kindOfMessage === null || !filter.kinds.includes(kindOfMessage))) return false;
  }
  return true;
}

/** The events that pass `filter`, in trace order. */
export function filterEvents(events: readonly TraceEvent[], filter: EventFilter): TraceEvent[] {
  const kinds = messageKinds(events);
  return events.filter((event, i) => keepEvent(event, filter, kinds[i] ?? null));
}
