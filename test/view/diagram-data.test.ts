/**
 * The diagram's layout worked out from a trace: lanes in order of first
 * appearance, one arrow per message (ending delivered, dropped or in flight),
 * copies dashed, and the spans for down nodes, pauses, clogs and partitions.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDiagram, MESSAGE_END } from '../../src/view/diagram-data.ts';
import { readTraceFile } from '../../src/trace/file.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import { REPO_ROOT } from '../cli/helpers.ts';

describe('buildDiagram', () => {
  it('lays out a committed chaos trace: 4 lanes, 164 arrows, 71 drops, 2 down spans, 3 partitions', () => {
    const events = readTraceFile(join(REPO_ROOT, 'traces/ping-pong-chaos-seed3.jsonl')).events;
    const diagram = buildDiagram(events);
    expect(diagram.nodes).toEqual(['client0', 'server0', 'server1', 'server2']);
    expect(diagram.arrows).toHaveLength(164);
    const ends = (code: number): number => diagram.arrows.filter((a) => a[4] === code).length;
    expect([ends(MESSAGE_END.delivered), ends(MESSAGE_END.dropped), ends(MESSAGE_END.inFlight)]).toEqual([92, 71, 1]);
    expect(diagram.arrows.filter((a) => a[5] === 1)).toHaveLength(4);
    for (const [from, to, , , end, , msg] of diagram.arrows) {
      expect(events[from]).toMatchObject({ msg });
      if (end !== MESSAGE_END.inFlight) expect(events[to]).toMatchObject({ msg, kind: end === MESSAGE_END.delivered ? 'deliver' : 'drop' });
    }
    const spans = diagram.spans.map((s) => [s.kind, s.lane, events[s.fromIndex]?.kind, events[s.toIndex]?.kind]);
    expect(spans.filter((s) => s[0] === 'down')).toEqual([['down', 2, 'crash', 'restart'], ['down', 3, 'crash', 'restart']]);
    expect(spans.filter((s) => s[0] === 'partition').map((s) => s[3])).toEqual(['heal', 'heal', 'end']);
    expect(diagram.failureIndex).toBe(-1);
  });

  it('draws pauses, node and link clogs, forgeries and a failure', () => {
    const events: TraceEvent[] = [
      { n: 1, timeUs: 0, kind: 'start', node: 'a0' },
      { n: 2, timeUs: 0, kind: 'start', node: 'b0' },
      { n: 3, timeUs: 1, kind: 'pause', node: 'b0', durationUs: 10, untilUs: 11 },
      { n: 4, timeUs: 2, kind: 'clog', node: 'a0', direction: 'inbound' },
      { n: 5, timeUs: 2, kind: 'clog', from: 'b0', to: 'a0' },
      { n: 6, timeUs: 3, kind: 'adversary', action: 'forge', from: 'b0', to: 'a0', msg: 9, copyOf: 1, deliverAtUs: 4 },
      { n: 7, timeUs: 4, kind: 'deliver', from: 'b0', to: 'a0', msg: 9, payload: 1 },
      { n: 8, timeUs: 11, kind: 'resume', node: 'b0', heldMessages: 0, heldTimers: 0 },
      { n: 9, timeUs: 12, kind: 'unclog', node: 'a0', direction: 'both' },
      { n: 10, timeUs: 12, kind: 'failure', failure: 'safety', property: 'p', node: null, message: 'm' },
      { n: 11, timeUs: 12, kind: 'end', reason: 'failure', steps: 9, hash: '0' },
    ];
    const diagram = buildDiagram(events);
    expect(diagram.lanes).toEqual([0, 1, 1, 0, 0, 0, 0, 1, 0, -1, -1]);
    expect(diagram.arrows).toEqual([[5, 6, 1, 0, MESSAGE_END.delivered, 1, 9]]);
    expect(diagram.spans.map((s) => [s.kind, s.lane, s.fromIndex, s.toIndex, s.label])).toEqual([
      ['pause', 1, 2, 7, 'b0 paused'],
      ['clog', 0, 3, 8, 'a0 clogged (inbound)'],
      ['clog', 0, 4, 10, 'link b0 -> a0 clogged'],
    ]);
    expect(diagram.failureIndex).toBe(9);
  });
});
