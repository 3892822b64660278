/**
 * The fixed-column timeline printed with failures: one header line and one line
 * per event, aligned columns, clipped details, colour only when asked for, and a
 * summary for every event kind.
 */
import { describe, expect, it } from 'vitest';
import { formatTimeline } from '../../src/view/timeline.ts';
import { TRACE_EVENT_KINDS, type TraceEvent } from '../../src/trace/events.ts';
import { formatDuration } from '../../src/sim/duration.ts';

/** Column starts: time is right-aligned in 0..14, then two spaces between columns. */
const COLUMN = { number: 16, node: 25, kind: 37, peer: 51, detail: 63 } as const;
/** Longest possible line with names of up to 10 characters: detail clipped to 72. */
const MAX_LINE = COLUMN.detail + 72;
const ANSI = /\u001b\[[0-9;]*m/;

/** One event of every kind, with the node, peer and detail columns each should show. */
const SAMPLES: Array<{ event: TraceEvent; node: string; peer: string; detail: string }> = [
  { event: { n: 1, timeUs: 0, kind: 'start', node: 'server0' }, node: 'server0', peer: '', detail: '' },
  {
    event: { n: 2, timeUs: 250, kind: 'send', from: 'client0', to: 'server1', msg: 7, deliverAtUs: 12_500, payload: { kind: 'ping', seq: 3 } },
    node: 'client0',
    peer: 'server1',
    detail: 'msg 7 arrives 12.5ms {"kind":"ping","seq":3}',
  },
  {
    event: { n: 3, timeUs: 1_000, kind: 'send', from: 'client0', to: 'server2', msg: 8, deliverAtUs: null, payload: 1 },
    node: 'client0',
    peer: 'server2',
    detail: 'msg 8 not sent on 1',
  },
  {
    event: { n: 4, timeUs: 12_500, kind: 'deliver', from: 'client0', to: 'server1', msg: 7, payload: { kind: 'ping', seq: 3 } },
    node: 'server1',
    peer: 'client0',
    detail: 'msg 7 {"kind":"ping","seq":3}',
  },
  {
    event: { n: 5, timeUs: 13_000, kind: 'drop', from: 'server1', to: 'client0', msg: 9, reason: 'partition', payload: [1, 'a'] },
    node: 'client0',
    peer: 'server1',
    detail: 'msg 9 (partition) [1,"a"]',
  },
  {
    event: { n: 6, timeUs: 13_000, kind: 'duplicate', from: 'server1', to: 'client0', msg: 10, copyOf: 9, deliverAtUs: 15_000 },
    node: 'client0',
    peer: 'server1',
    detail: 'msg 10 copies 9, arrives 15ms',
  },
  {
    event: { n: 7, timeUs: 50_000, kind: 'timer-set', node: 'client0', timer: 3, fireAtUs: 1_050_000, payload: { kind: 'tick' } },
    node: 'client0',
    peer: '',
    detail: 'timer 3 fires 1.05s {"kind":"tick"}',
  },
  { event: { n: 8, timeUs: 1_050_000, kind: 'timer-fire', node: 'client0', timer: 3, payload: null }, node: 'client0', peer: '', detail: 'timer 3 null' },
  { event: { n: 9, timeUs: 1_050_000, kind: 'timer-cancel', node: 'client0', timer: 4 }, node: 'client0', peer: '', detail: 'timer 4' },
  {
    event: { n: 10, timeUs: 1_100_000, kind: 'crash', node: 'replica2', lostWrites: 2, lostTimers: 1 },
    node: 'replica2',
    peer: '',
    detail: 'lost 2 unsynced write(s), 1 timer(s)',
  },
  { event: { n: 11, timeUs: 1_300_000, kind: 'restart', node: 'replica2' }, node: 'replica2', peer: '', detail: '' },
  {
    event: { n: 12, timeUs: 1_400_000, kind: 'partition', groups: [['client0', 'server0'], ['server1', 'server2']] },
    node: '',
    peer: '',
    detail: '[client0 server0] | [server1 server2]',
  },
  { event: { n: 13, timeUs: 2_000_000, kind: 'heal' }, node: '', peer: '', detail: 'all links restored' },
  {
    event: { n: 14, timeUs: 2_000_001, kind: 'log', node: 'client0', text: 'late pong 3 from server1', data: { latest: 5 } },
    node: 'client0',
    peer: '',
    detail: 'late pong 3 from server1 {"latest":5}',
  },
  { event: { n: 15, timeUs: 2_000_002, kind: 'log', node: null, text: 'harness note', data: null }, node: '', peer: '', detail: 'harness note' },
  {
    event: { n: 16, timeUs: 2_000_002, kind: 'failure', failure: 'safety', property: 'p holds', node: null, message: 'property "p holds" does not hold' },
    node: '',
    peer: '',
    detail: 'safety "p holds": property "p holds" does not hold',
  },
  {
    event: { n: 17, timeUs: 2_000_002, kind: 'failure', failure: 'model-crash', property: null, node: 'server0', message: 'node server0 threw Error: boom' },
    node: 'server0',
    peer: '',
    detail: 'model-crash: node server0 threw Error: boom',
  },
  {
    event: { n: 18, timeUs: 2_000_002, kind: 'settle' },
    node: '',
    peer: '',
    detail: 'liveness phase: random faults stop; heal, unclog, resume, restart',
  },
  {
    event: { n: 19, timeUs: 2_000_002, kind: 'op', node: 'client0', process: 4, type: 'invoke', value: { f: 'write', value: 3 } },
    node: 'client0',
    peer: '',
    detail: 'process 4 invoke {"f":"write","value":3}',
  },
  { event: { n: 20, timeUs: 2_000_002, kind: 'op', node: 'client0', process: 4, type: 'info' }, node: 'client0', peer: '', detail: 'process 4 info' },
  {
    event: { n: 21, timeUs: 2_000_002, kind: 'end', reason: 'failure', steps: 42, hash: '0123456789abcdef' },
    node: '',
    peer: '',
    detail: 'failure after 42 steps, hash 0123456789abcdef',
  },
  {
    event: { n: 22, timeUs: 3_000, kind: 'crash', node: 'replica1', lostWrites: 1, lostTimers: 0, survivedWrites: ['log/2', 'head'] },
    node: 'replica1',
    peer: '',
    detail: 'lost 1 unsynced write(s), 0 timer(s); torn: kept 2 ["log/2","head"]',
  },
  {
    event: { n: 23, timeUs: 3_000, kind: 'disk-fault', node: 'replica1', fault: 'corrupt-read', key: 'log/2', path: ['entries', 0, 'sum'], bit: 35 },
    node: 'replica1',
    peer: '',
    detail: 'corrupt read of "log/2" at .entries[0].sum (bit 35)',
  },
  {
    event: { n: 24, timeUs: 3_000, kind: 'disk-fault', node: 'replica1', fault: 'corrupt-read', key: 'n', path: [], bit: 3 },
    node: 'replica1',
    peer: '',
    detail: 'corrupt read of "n" (bit 3)',
  },
  {
    event: { n: 25, timeUs: 3_000, kind: 'disk-fault', node: 'replica0', fault: 'full', key: 'log/9', bytes: 40, freeBytes: 12 },
    node: 'replica0',
    peer: '',
    detail: 'put "log/9" refused, disk full: needs 40 bytes, 12 free',
  },
  { event: { n: 26, timeUs: 3_000, kind: 'disk-fault', node: 'replica0', fault: 'fill', by: 'script' }, node: 'replica0', peer: '', detail: 'disk made full' },
  { event: { n: 27, timeUs: 3_000, kind: 'disk-fault', node: 'replica0', fault: 'free' }, node: 'replica0', peer: '', detail: 'disk has room again' },
  // The network faults (issue 3).
  {
    event: { n: 22, timeUs: 10, kind: 'partition', shape: 'asymmetric', groups: [['a0'], ['b0', 'b1']], by: 'script' },
    node: '',
    peer: '',
    detail: 'asymmetric: [a0] -/-> [b0 b1]',
  },
  { event: { n: 23, timeUs: 10, kind: 'partition', shape: 'bridge', groups: [['a0', 'c0'], ['b0', 'c0']] }, node: '', peer: '', detail: 'bridge: [a0 c0] | [b0 c0]' },
  { event: { n: 24, timeUs: 20, kind: 'clog', node: 'b0', direction: 'inbound' }, node: 'b0', peer: '', detail: 'inbound' },
  { event: { n: 25, timeUs: 20, kind: 'clog', from: 'a0', to: 'b0', by: 'script' }, node: 'a0', peer: 'b0', detail: 'link' },
  { event: { n: 26, timeUs: 30, kind: 'hold', from: 'a0', to: 'b0', msg: 4, reason: 'clog' }, node: 'b0', peer: 'a0', detail: 'msg 4 (clog)' },
  { event: { n: 27, timeUs: 40, kind: 'unclog', node: 'b0', direction: 'both' }, node: 'b0', peer: '', detail: 'both' },
  { event: { n: 28, timeUs: 40, kind: 'release', from: 'a0', to: 'b0', msg: 4, deliverAtUs: 40 }, node: 'b0', peer: 'a0', detail: 'msg 4 arrives 40us' },
  { event: { n: 29, timeUs: 41, kind: 'release', from: 'a0', to: 'b0', msg: 5, deliverAtUs: null }, node: 'b0', peer: 'a0', detail: 'msg 5 dropped on the way' },
  {
    event: { n: 30, timeUs: 50, kind: 'corrupt', from: 'a0', to: 'b0', msg: 6, path: ['items', 2, 'v'], before: 7, after: 8 },
    node: 'b0',
    peer: 'a0',
    detail: 'msg 6 .items[2].v: 7 -> 8',
  },
  {
    event: { n: 31, timeUs: 60, kind: 'adversary', action: 'forge', from: 'c0', to: 'b0', msg: 9, copyOf: 6, deliverAtUs: 5_060 },
    node: 'b0',
    peer: 'c0',
    detail: 'forge msg 9 copies 6, arrives 5.06ms',
  },
  {
    event: { n: 32, timeUs: 60, kind: 'adversary', action: 'tamper', from: 'a0', to: 'b0', msg: 10, path: [], before: 'go', after: 'fo' },
    node: 'b0',
    peer: 'a0',
    detail: 'tamper msg 10 (top): "go" -> "fo"',
  },
  {
    event: {
      n: 33,
      timeUs: 70,
      kind: 'load',
      nodes: {
        a0: { sent: 9, received: 1, dropped: 0, queueDepthMax: 1, waitingMax: 0 },
        b0: { sent: 1, received: 7, dropped: 2, queueDepthMax: 5, waitingMax: 3 },
      },
    },
    node: '',
    peer: '',
    detail: 'b0 recv 7 drop 2 depth 5; a0 recv 1 drop 0 depth 1',
  },
  // Nodes and time: pauses and clocks.
  {
    event: { n: 22, timeUs: 2_100_000, kind: 'pause', node: 'server0', durationUs: 300_000, untilUs: 2_400_000, by: 'script' },
    node: 'server0',
    peer: '',
    detail: 'stops the world for 300ms, until 2.4s',
  },
  {
    event: { n: 23, timeUs: 2_400_000, kind: 'resume', node: 'server0', heldMessages: 2, heldTimers: 1 },
    node: 'server0',
    peer: '',
    detail: 'held 2 message(s) and 1 timer(s), handled next',
  },
  {
    event: { n: 24, timeUs: 0, clockUs: -12_500, kind: 'clock-skew', node: 'server1', skewUs: -12_500, driftPpm: 40 },
    node: 'server1',
    peer: '',
    detail: 'clock reads -12.5ms: skew -12.5ms, drift 40ppm',
  },
  {
    event: { n: 25, timeUs: 2_500_000, clockUs: 2_000_000, kind: 'clock-jump', node: 'server1', deltaUs: -500_000 },
    node: 'server1',
    peer: '',
    detail: 'clock jumps -500ms to 2s',
  },
  {
    event: { n: 26, timeUs: 2_600_000, clockUs: 2_100_040, kind: 'timer-fire', node: 'server1', timer: 5, payload: null },
    node: 'server1',
    peer: '',
    detail: '[clock 2.10004s] timer 5 null',
  },
  {
    event: { n: 27, timeUs: 2_150_000, kind: 'pause-hold', node: 'server0', from: 'client0', msg: 12 },
    node: 'server0',
    peer: 'client0',
    detail: "msg 12 waits in the paused node's inbox",
  },
  { event: { n: 28, timeUs: 2_160_000, kind: 'pause-hold', node: 'server0', timer: 6 }, node: 'server0', peer: '', detail: 'timer 6 waits for the resume' },
];
const EVENTS = SAMPLES.map((s) => s.event);

/** Splits a timeline line into its columns by fixed offsets. */
function columns(line: string): { time: string; n: string; node: string; kind: string; peer: string; detail: string } {
  return {
    time: line.slice(0, 14),
    n: line.slice(14, COLUMN.node).trim(),
    node: line.slice(COLUMN.node, COLUMN.kind).trim(),
    kind: line.slice(COLUMN.kind, COLUMN.peer).trim(),
    peer: line.slice(COLUMN.peer, COLUMN.detail).trim(),
    detail: line.slice(COLUMN.detail),
  };
}

describe('formatTimeline', () => {
  it('covers every event kind in these samples', () => {
    expect(new Set(EVENTS.map((e) => e.kind))).toEqual(new Set(TRACE_EVENT_KINDS));
  });

  it('prints one header line plus one line per event, and only the header for no events', () => {
    const lines = formatTimeline(EVENTS, { color: false });
    expect(lines).toHaveLength(EVENTS.length + 1);
    expect(lines[0]).toBe(`${'time'.padStart(14)}  ${'#'.padStart(7)}  ${'node'.padEnd(10)}  ${'kind'.padEnd(12)}  ${'peer'.padEnd(10)}  detail`);
    for (const line of lines) expect(line).not.toContain('\n');
    expect(formatTimeline([], { color: false })).toEqual([lines[0]]);
  });

  it('formats every event kind: node, peer and a one-line summary', () => {
    const lines = formatTimeline(EVENTS, { color: false }).slice(1);
    SAMPLES.forEach((sample, i) => {
      const got = columns(lines[i] as string);
      expect(got.n, sample.event.kind).toBe(String(sample.event.n));
      expect(got.kind).toBe(sample.event.kind);
      expect(got.node, sample.event.kind).toBe(sample.node);
      expect(got.peer, sample.event.kind).toBe(sample.peer);
      expect(got.detail, sample.event.kind).toBe(sample.detail);
    });
  });

  it('aligns the columns: time right-aligned to 14 characters, node, kind and peer at fixed offsets', () => {
    const lines = formatTimeline(EVENTS, { color: false });
    const header = lines[0] as string;
    expect(header.indexOf('node')).toBe(COLUMN.node);
    expect(header.indexOf('kind')).toBe(COLUMN.kind);
    expect(header.indexOf('peer')).toBe(COLUMN.peer);
    expect(header.indexOf('detail')).toBe(COLUMN.detail);
    lines.slice(1).forEach((line, i) => {
      const event = EVENTS[i] as TraceEvent;
      expect(line.slice(0, 14)).toBe(formatDuration(event.timeUs).padStart(14));
      expect(line.slice(14, COLUMN.node)).toBe(`  ${String(event.n).padStart(7)}  `);
      // Each column is preceded by two spaces and starts with a non-space when filled.
      expect(line.slice(COLUMN.kind - 2, COLUMN.kind + event.kind.length)).toBe(`  ${event.kind}`);
      const node = columns(line).node;
      if (node !== '') expect(line.slice(COLUMN.node - 2, COLUMN.node + node.length)).toBe(`  ${node}`);
    });
  });

  it('clips long details with … to a fixed maximum line length', () => {
    const long: TraceEvent[] = [
      { n: 1, timeUs: 5, kind: 'deliver', from: 'server1', to: 'client0', msg: 1, payload: { text: 'x'.repeat(500) } },
      { n: 2, timeUs: 6, kind: 'log', node: 'n0', text: 'y'.repeat(72), data: null },
      { n: 3, timeUs: 7, kind: 'log', node: 'n0', text: 'z'.repeat(73), data: null },
    ];
    const [, payload, exact, over] = formatTimeline(long, { color: false }) as [string, string, string, string];
    expect(payload).toHaveLength(MAX_LINE);
    expect(payload.endsWith('…')).toBe(true);
    expect(columns(payload).detail).toBe(`msg 1 {"text":"${'x'.repeat(72 - 'msg 1 {"text":"'.length - 1)}…`);
    // A detail of exactly 72 characters fits; one more is clipped to the same length.
    expect(exact).toHaveLength(MAX_LINE);
    expect(columns(exact).detail).toBe('y'.repeat(72));
    expect(over).toHaveLength(MAX_LINE);
    expect(columns(over).detail).toBe(`${'z'.repeat(71)}…`);
    for (const line of formatTimeline(EVENTS, { color: false })) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
  });

  it('widens the node and peer columns to the longest name shown, so 2PC participants stay apart', () => {
    const twoPc: TraceEvent[] = [
      { n: 1, timeUs: 0, kind: 'send', from: 'coordinator', to: 'participant0', msg: 1, deliverAtUs: 9, payload: { kind: 'prepare' } },
      { n: 2, timeUs: 1, kind: 'send', from: 'coordinator', to: 'participant1', msg: 2, deliverAtUs: 9, payload: { kind: 'prepare' } },
      { n: 3, timeUs: 9, kind: 'deliver', from: 'coordinator', to: 'participant1', msg: 2, payload: { kind: 'prepare' } },
      { n: 4, timeUs: 9, kind: 'crash', node: 'participant0', lostWrites: 0, lostTimers: 0 },
    ];
    const lines = formatTimeline(twoPc, { color: false });
    // node: the longest is "participant0"/"participant1" (12); peer: the same. Each column 2 wider than with short names.
    const kindAt = COLUMN.kind + 2;
    const peerAt = COLUMN.peer + 2;
    expect(lines[0]?.indexOf('kind')).toBe(kindAt);
    expect(lines[0]?.indexOf('peer')).toBe(peerAt);
    expect(lines[0]?.indexOf('detail')).toBe(COLUMN.detail + 4);
    const cells = lines.slice(1).map((line) => [line.slice(COLUMN.node, kindAt).trim(), line.slice(kindAt, peerAt).trim(), line.slice(peerAt, peerAt + 12).trim()]);
    expect(cells).toEqual([
      ['coordinator', 'send', 'participant0'],
      ['coordinator', 'send', 'participant1'],
      ['participant1', 'deliver', 'coordinator'],
      ['participant0', 'crash', ''],
    ]);
    // Short names keep the narrowest layout: the offsets of every other test here.
    expect(formatTimeline([{ n: 1, timeUs: 0, kind: 'start', node: 'n0' }], { color: false })[0]?.indexOf('kind')).toBe(COLUMN.kind);
  });

  it('caps a name column at 24 characters and clips a longer name in the middle, keeping its end', () => {
    const long = 'a-very-long-participant-name-17';
    const lines = formatTimeline(
      [
        { n: 1, timeUs: 5, kind: 'deliver', from: 'another-long-node-name', to: long, msg: 1, payload: null },
        { n: 2, timeUs: 6, kind: 'start', node: `${long.slice(0, -2)}18` },
      ],
      { color: false },
    );
    const kindAt = COLUMN.node + 24 + 2;
    expect(lines[0]?.indexOf('kind')).toBe(kindAt);
    expect(lines[1]?.slice(COLUMN.node, kindAt)).toBe('a-very-long-…ant-name-17  ');
    expect(lines[2]?.slice(COLUMN.node, kindAt)).toBe('a-very-long-…ant-name-18  ');
    // The peer column is as wide as its own longest name (22 here), which fits.
    const peerAt = kindAt + 12 + 2;
    expect(lines[1]?.slice(peerAt, peerAt + 24)).toBe('another-long-node-name  ');
    expect(lines[1]?.slice(kindAt, kindAt + 7)).toBe('deliver');
  });

  it('writes no ANSI escape codes without colour, and colours the lines that matter with it', () => {
    for (const line of formatTimeline(EVENTS, { color: false })) expect(line).not.toMatch(ANSI);
    const plain = formatTimeline(EVENTS, { color: false });
    const colored = formatTimeline(EVENTS, { color: true });
    expect(colored).toHaveLength(plain.length);
    // Removing the escapes gives back the plain text exactly.
    expect(colored.map((line) => line.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual(plain);
    const byKind = (kind: string): string => colored[1 + EVENTS.findIndex((e) => e.kind === kind)] as string;
    expect(colored[0]).toMatch(ANSI); // dim header
    expect(byKind('failure')).toContain('\u001b[31m'); // red
    expect(byKind('crash')).toContain('\u001b[33m'); // yellow
    expect(byKind('restart')).toContain('\u001b[32m'); // green
    expect(byKind('deliver')).not.toMatch(ANSI); // ordinary events stay plain
  });

  it('keeps a log text with a line break on one line', () => {
    const lines = formatTimeline([{ n: 1, timeUs: 0, kind: 'log', node: 'n0', text: 'first line\nsecond line', data: null }], { color: false });
    expect(lines).toHaveLength(2);
    expect(lines[1]).not.toMatch(/[\r\n]/);
    expect(lines[1]).toContain('first line');
  });

  it('keeps the columns aligned for virtual times of several hours', () => {
    // --time accepts hours; 3 h plus 1 us formats as "10800.000001s" (13 characters).
    const lines = formatTimeline(
      [
        { n: 1, timeUs: 1, kind: 'start', node: 'n0' },
        { n: 2, timeUs: 10_800_000_001, kind: 'restart', node: 'n0' },
      ],
      { color: false },
    );
    expect(lines.map((line) => line.indexOf('n0'))).toEqual([-1, COLUMN.node, COLUMN.node]);
  });
});
