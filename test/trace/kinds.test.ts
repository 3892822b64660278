/**
 * The recorder packs an event's kind code into 5 bits of the hashed word
 * (node << 5 | code), so there may be at most 32 kinds, each listed once:
 * a 33rd kind or a duplicate name would make two different events hash alike.
 */
import { describe, expect, it } from 'vitest';
import { TRACE_EVENT_KINDS } from '../../src/trace/events.ts';

describe('trace event kinds', () => {
  it('are unique and fit the 5-bit code the rolling hash packs', () => {
    expect(new Set(TRACE_EVENT_KINDS).size).toBe(TRACE_EVENT_KINDS.length);
    expect(TRACE_EVENT_KINDS.length).toBeLessThanOrEqual(32);
  });
});
