/**
 * Per-event columns the page filters on without parsing every event: virtual
 * time, event kind and message kind. The page keeps the events themselves as
 * raw trace lines and parses only the ones it draws or shows, which makes the
 * first screen of a 100,000-event trace several times faster to reach.
 */
import type { TraceEvent } from '../trace/events.ts';
import { messageKinds } from './filter.ts';

/** A message-kind code for an event that carries no message. */
export const NO_MESSAGE = -1;
/** A message-kind code for a message whose payload has no `kind` field. */
export const UNKINDED_MESSAGE = -2;

/** The columns, index i describing event number i + 1. */
export interface EventColumns {
  timesUs: number[];
  /** Index into `kindNames`. */
  kinds: number[];
  kindNames: string[];
  /** Index into `messageKindNames`, or NO_MESSAGE / UNKINDED_MESSAGE. */
  messageKinds: number[];
  messageKindNames: string[];
}

/** Builds the columns. A copy, forgery or tampering takes the kind of the message it concerns. */
export function buildEventColumns(events: readonly TraceEvent[]): EventColumns {
  const kindNames: string[] = [];
  const messageKindNames: string[] = [];
  const code = (names: string[], name: string): number => {
    const index = names.indexOf(name);
    if (index >= 0) return index;
    names.push(name);
    return names.length - 1;
  };
  const names = messageKinds(events);
  const messageKindCodes = events.map((event, i) => {
    if (!('msg' in event)) return NO_MESSAGE;
    const name = names[i] ?? null;
    return name === null ? UNKINDED_MESSAGE : code(messageKindNames, name);
  });
  return {
    timesUs: events.map((event) => event.timeUs),
    kinds: events.map((event) => code(kindNames, event.kind)),
    kindNames,
    messageKinds: messageKindCodes,
    messageKindNames,
  };
}
