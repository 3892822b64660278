/**
 * The filters of `faultline view`: --from/--to as event numbers or virtual
 * times (inclusive), nodes as actor or peer, kinds as event or message kinds,
 * and one-line errors that name the flag.
 */
import { describe, expect, it } from 'vitest';
import { emptyWindowReason, filterEvents, messageKinds, parseWindowBound } from '../../src/view/filter.ts';
import { buildEventColumns } from '../../src/view/event-columns.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import { expectInputError } from '../support/expect-input-error.ts';

const EVENTS: TraceEvent[] = [
  { n: 1, timeUs: 0, kind: 'start', node: 'a0' },
  { n: 2, timeUs: 1_000, kind: 'send', from: 'a0', to: 'b0', msg: 1, deliverAtUs: 5_000, payload: { kind: 'ping' } },
  { n: 3, timeUs: 5_000, kind: 'deliver', from: 'a0', to: 'b0', msg: 1, payload: { kind: 'ping' } },
  { n: 4, timeUs: 5_000, kind: 'crash', node: 'c0', lostWrites: 0, lostTimers: 0 },
  { n: 5, timeUs: 1_500_000, kind: 'partition', groups: [['a0'], ['b0', 'c0']] },
  { n: 6, timeUs: 2_000_000, kind: 'send', from: 'b0', to: 'a0', msg: 2, deliverAtUs: null, payload: 7 },
  { n: 7, timeUs: 2_000_000, kind: 'end', reason: 'time-budget', steps: 6, hash: '0' },
];
const numbers = (kept: TraceEvent[]): number[] => kept.map((e) => e.n);

describe('parseWindowBound', () => {
  it('reads a bare integer as an event number and a number with a unit as a virtual time', () => {
    expect(parseWindowBound('120', '--from')).toEqual({ eventNumber: 120 });
    expect(parseWindowBound(' 1.5s ', '--from')).toEqual({ timeUs: 1_500_000 });
    expect(parseWindowBound('200ms', '--to')).toEqual({ timeUs: 200_000 });
    expect(parseWindowBound('40us', '--to')).toEqual({ timeUs: 40 });
  });

  it('refuses anything else with a one-line error naming the flag', () => {
    for (const bad of ['', '-1', '1.5', '2 s', 'soon', '1e3']) {
      expectInputError(() => parseWindowBound(bad, '--to'), `--to: "${bad}" is neither an event number (e.g. 120) nor a virtual time with a unit`);
    }
  });
});

describe('parseWindowBound and emptyWindowReason', () => {
  it('refuse a virtual time that is not a whole number of microseconds (exactly, not by floating point)', () => {
    expect(parseWindowBound('1.000001s', '--from')).toEqual({ timeUs: 1_000_001 });
    expect(parseWindowBound('0.001ms', '--from')).toEqual({ timeUs: 1 });
    expect(parseWindowBound('0.5m', '--from')).toEqual({ timeUs: 30_000_000 });
    for (const bad of ['0.5us', '1.0000005s', '0.0001ms']) {
      expectInputError(() => parseWindowBound(bad, '--from'), `--from: "${bad}" is not a whole number of microseconds (virtual time counts in microseconds)`);
    }
  });

  it('name a window that ends before it starts, when both ends are of one unit', () => {
    expect(emptyWindowReason({ eventNumber: 200 }, { eventNumber: 100 })).toBe('event #200 comes after #100');
    expect(emptyWindowReason({ timeUs: 300_000 }, { timeUs: 100_000 })).toBe('300ms comes after 100ms');
    expect(emptyWindowReason({ eventNumber: 100 }, { eventNumber: 100 })).toBeNull();
    expect(emptyWindowReason({ timeUs: 5 }, { timeUs: 6 })).toBeNull();
    // An event number and a time are not compared: the trace decides which comes first.
    expect(emptyWindowReason({ eventNumber: 900 }, { timeUs: 1 })).toBeNull();
    expect(emptyWindowReason(undefined, { eventNumber: 1 })).toBeNull();
  });
});

describe('filterEvents', () => {
  it('keeps everything with no filter', () => {
    expect(numbers(filterEvents(EVENTS, {}))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('windows by event number or by time, both ends inclusive', () => {
    expect(numbers(filterEvents(EVENTS, { from: { eventNumber: 3 }, to: { eventNumber: 5 } }))).toEqual([3, 4, 5]);
    expect(numbers(filterEvents(EVENTS, { from: { timeUs: 5_000 }, to: { timeUs: 1_500_000 } }))).toEqual([3, 4, 5]);
    expect(numbers(filterEvents(EVENTS, { from: { timeUs: 2_000_001 } }))).toEqual([]);
  });

  it('keeps the events a node acts in, is the peer of, or is grouped by', () => {
    expect(numbers(filterEvents(EVENTS, { nodes: ['c0'] }))).toEqual([4, 5]);
    expect(numbers(filterEvents(EVENTS, { nodes: ['b0'] }))).toEqual([2, 3, 5, 6]);
    expect(numbers(filterEvents(EVENTS, { nodes: ['a0', 'c0'] }))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('matches a kind against the event kind or the kind field of its message', () => {
    expect(numbers(filterEvents(EVENTS, { kinds: ['send'] }))).toEqual([2, 6]);
    expect(numbers(filterEvents(EVENTS, { kinds: ['ping'] }))).toEqual([2, 3]);
    expect(numbers(filterEvents(EVENTS, { kinds: ['ping', 'crash'], to: { eventNumber: 3 } }))).toEqual([2, 3]);
  });

  it('matches a message kind on the events that carry only the message id: holds, releases, copies, forgeries, pause-holds', () => {
    // Message 1 is a ping, 4 a pong; 2 copies 1, 3 is a forgery of 1, 5 a replay of 4.
    const held: TraceEvent[] = [
      { n: 1, timeUs: 0, kind: 'send', from: 'a0', to: 'b0', msg: 1, deliverAtUs: 9_000, payload: { kind: 'ping' } },
      { n: 2, timeUs: 1_000, kind: 'hold', from: 'a0', to: 'b0', msg: 1, reason: 'clog' },
      { n: 3, timeUs: 2_000, kind: 'duplicate', from: 'a0', to: 'b0', msg: 2, copyOf: 1, deliverAtUs: 4_000 },
      { n: 4, timeUs: 3_000, kind: 'adversary', action: 'forge', from: 'a0', to: 'b0', msg: 3, copyOf: 1, deliverAtUs: 5_000 },
      { n: 5, timeUs: 3_500, kind: 'send', from: 'b0', to: 'a0', msg: 4, deliverAtUs: 8_000, payload: { kind: 'pong' } },
      { n: 6, timeUs: 4_000, kind: 'pause-hold', node: 'b0', from: 'a0', msg: 2 },
      { n: 7, timeUs: 6_000, kind: 'release', from: 'a0', to: 'b0', msg: 1, deliverAtUs: 9_000 },
      { n: 8, timeUs: 7_000, kind: 'adversary', action: 'replay', from: 'b0', to: 'a0', msg: 5, copyOf: 4, deliverAtUs: 9_500 },
      { n: 9, timeUs: 9_000, kind: 'deliver', from: 'a0', to: 'b0', msg: 1, payload: { kind: 'ping' } },
    ];
    expect(numbers(filterEvents(held, { kinds: ['ping'] }))).toEqual([1, 2, 3, 4, 6, 7, 9]);
    expect(numbers(filterEvents(held, { kinds: ['pong'] }))).toEqual([5, 8]);
    expect(messageKinds(held)).toEqual(['ping', 'ping', 'ping', 'ping', 'pong', 'ping', 'ping', 'pong', 'ping']);
    // The page's message-kind column resolves every event to the same kind.
    const columns = buildEventColumns(held);
    expect(columns.messageKinds.map((code) => columns.messageKindNames[code])).toEqual(messageKinds(held));
  });
});
