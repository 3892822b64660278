/**
 * Replay: a recorded trace re-runs identically; an edited trace or an edited
 * model is reported at the first event that differs, with both lines; and the
 * run hash is a faithful, sink-independent fingerprint of a run.
 */
import { describe, expect, it } from 'vitest';
import { defineNode, MemorySink, runSimulation, type ModelDefinition, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { parseTrace, type ParsedTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import pingPong, { type Msg as PingMsg, type Timer as PingTimer } from '../../models/ping-pong/model.ts';
import replicatedCounter from '../../models/replicated-counter/model.ts';
import register from '../../models/register/model.ts';

const FAULTS: SimOptionsInput = { faults: { crash: {}, partition: {} } };
/** Under FAULTS, seed 1 makes every bundled model crash, restart, partition, heal, duplicate and drop for every reason. */
const SEED = 1;

const models: [string, ModelDefinition][] = [
  ['ping-pong', pingPong as ModelDefinition],
  ['replicated-counter', replicatedCounter as ModelDefinition],
  ['register', register as ModelDefinition],
];

function record(model: ModelDefinition, options: SimOptionsInput = { seed: SEED, ...FAULTS }) {
  const sink = new MemorySink();
  const result = runSimulation(model, options, { sinks: [sink] });
  const text = sink.text();
  return { text, result, parsed: parseTrace(text, 'memory') };
}

/** Rebuilds a trace from a header line and event objects, renumbering `n` from 1. */
function rebuild(trace: ParsedTrace, events: TraceEvent[]): ParsedTrace {
  const lines = [JSON.stringify(trace.header), ...events.map((e, i) => JSON.stringify({ ...e, n: i + 1 }))];
  return parseTrace(lines.join('\n') + '\n', 'edited');
}

/** Replaces event `n` (1-based) of a trace by `edit(event)`, keeping every other line as it was. */
function editEvent(trace: ParsedTrace, n: number, edit: (event: TraceEvent) => TraceEvent): { trace: ParsedTrace; line: string } {
  const line = JSON.stringify(edit(structuredClone(trace.events[n - 1] as TraceEvent)));
  const lines = [JSON.stringify(trace.header), ...trace.eventLines];
  lines[n] = line;
  return { trace: parseTrace(lines.join('\n') + '\n', 'edited'), line };
}

describe('replaying an unchanged trace', () => {
  it.each(models)('%s with loss, duplication, crashes and partitions replays identically', (_name, model) => {
    const { parsed, result } = record(model);
    const kinds = new Set(parsed.events.map((e) => e.kind));
    for (const kind of ['crash', 'restart', 'partition', 'heal', 'duplicate']) expect(kinds, kind).toContain(kind);
    const reasons = new Set(parsed.events.flatMap((e) => (e.kind === 'drop' ? [e.reason] : [])));
    expect([...reasons].sort()).toEqual(['loss', 'node-down', 'partition']);

    const again = new MemorySink();
    const replay = replayTrace(parsed, model, [again]);
    expect(replay.divergence).toBeNull();
    expect(replay.identical).toBe(true);
    expect(again.lines.slice(1)).toEqual(parsed.eventLines);
    expect(replay.result.traceHash).toBe(result.traceHash);
    expect(replay.result.events).toBe(parsed.events.length);
    expect(replay.result.endReason).toBe(result.endReason);
  });
});

describe('replaying an edited trace', () => {
  const { parsed } = record(pingPong as ModelDefinition);
  const middle = Math.floor(parsed.events.length / 2);
  const sendAfter = (from: number, pick: (e: Extract<TraceEvent, { kind: 'send' }>) => boolean) =>
    parsed.events.find((e, i): e is Extract<TraceEvent, { kind: 'send' }> => i + 1 >= from && e.kind === 'send' && pick(e)) as Extract<
      TraceEvent,
      { kind: 'send' }
    >;

  it('reports a changed payload at exactly that event, with both lines', () => {
    const target = sendAfter(middle, (e) => e.deliverAtUs !== null);
    const original = parsed.eventLines[target.n - 1];
    const { trace, line } = editEvent(parsed, target.n, (e) => ({ ...e, payload: { kind: 'ping', seq: 4242 } }) as TraceEvent);
    expect(line).not.toBe(original);
    const replay = replayTrace(trace, pingPong as ModelDefinition);
    expect(replay.identical).toBe(false);
    expect(replay.divergence).toEqual({ eventNumber: target.n, timeUs: target.timeUs, expected: line, actual: original });
    expect(replay.result.endReason).toBe('stopped');
    expect(replay.result.events).toBeLessThan(parsed.events.length);
  });

  it('reports a changed deliverAtUs at exactly that event', () => {
    const target = sendAfter(middle + 7, (e) => e.deliverAtUs !== null);
    const original = parsed.eventLines[target.n - 1];
    const { trace, line } = editEvent(parsed, target.n, (e) => ({ ...e, deliverAtUs: (target.deliverAtUs ?? 0) + 1 }) as TraceEvent);
    const replay = replayTrace(trace, pingPong as ModelDefinition);
    expect(replay.divergence).toMatchObject({ eventNumber: target.n, expected: line, actual: original });
  });

  it("reports a trace with extra events before its end at the replay's end line", () => {
    const events = parsed.events.slice();
    const end = events.pop() as TraceEvent;
    const extra: TraceEvent = { n: 0, timeUs: end.timeUs, kind: 'log', node: 'client0', text: 'not in the replay', data: null };
    const trace = rebuild(parsed, [...events, extra, end]);
    const replay = replayTrace(trace, pingPong as ModelDefinition);
    expect(replay.divergence).toEqual({
      eventNumber: parsed.events.length,
      timeUs: end.timeUs,
      expected: trace.eventLines[parsed.events.length - 1],
      // The replay stopped here: its own end line is what differs.
      actual: parsed.eventLines[parsed.events.length - 1],
    });
  });

  it("reports a replay that runs on after the trace ended, against the trace's end line", () => {
    const events = parsed.events.slice();
    const end = events.pop() as TraceEvent;
    const kept = events.slice(0, -5);
    const trace = rebuild(parsed, [...kept, end]);
    const replay = replayTrace(trace, pingPong as ModelDefinition);
    const firstMissing = kept.length + 1;
    expect(replay.divergence).toMatchObject({
      eventNumber: firstMissing,
      expected: trace.eventLines[kept.length],
      actual: parsed.eventLines[firstMissing - 1],
    });
  });
});

describe('replaying against an edited model', () => {
  /** A ping-pong server that answers differently from the 5th message it receives (per incarnation) on. */
  const driftingServer = defineNode<{ seen: number }, PingMsg, PingTimer>({
    start: () => ({ seen: 0 }),
    onMessage(state, from, msg, ctx) {
      state.seen++;
      if (msg.kind !== 'ping') return;
      ctx.send(from, { kind: 'pong', seq: state.seen >= 5 ? msg.seq + 1_000 : msg.seq });
    },
  });
  const edited = { ...pingPong, roles: { ...pingPong.roles, server: { ...pingPong.roles['server'], count: 3, node: driftingServer } } };

  it('is reported at the first event that differs', () => {
    const { parsed } = record(pingPong as ModelDefinition);
    // Find, in the recorded trace alone, where the edited server first behaves differently.
    const seen = new Map<string, number>();
    let firstDifferent = Infinity;
    parsed.events.forEach((e, i) => {
      if ((e.kind === 'start' || e.kind === 'restart') && e.node.startsWith('server')) seen.set(e.node, 0);
      if (e.kind === 'deliver' && e.to.startsWith('server')) {
        const count = (seen.get(e.to) ?? 0) + 1;
        seen.set(e.to, count);
        if (count === 5) firstDifferent = Math.min(firstDifferent, i + 2); // its pong is the next event
      }
    });
    expect(firstDifferent).toBeLessThan(parsed.events.length);
    const expectedEvent = parsed.events[firstDifferent - 1] as Extract<TraceEvent, { kind: 'send' }>;
    expect(expectedEvent).toMatchObject({ kind: 'send', payload: { kind: 'pong' } });

    const replay = replayTrace(parsed, edited as ModelDefinition);
    expect(replay.identical).toBe(false);
    expect(replay.divergence?.eventNumber).toBe(firstDifferent);
    expect(replay.divergence?.timeUs).toBe(expectedEvent.timeUs);
    expect(replay.divergence?.expected).toBe(parsed.eventLines[firstDifferent - 1]);
    const actual = JSON.parse(replay.divergence?.actual ?? 'null') as Extract<TraceEvent, { kind: 'send' }>;
    const seq = (expectedEvent.payload as { seq: number }).seq;
    expect(actual).toEqual({ ...expectedEvent, payload: { kind: 'pong', seq: seq + 1_000 } });
  });

  it('an unchanged copy of the model still replays identically', () => {
    const { parsed } = record(pingPong as ModelDefinition);
    const copy = { ...pingPong, roles: { ...pingPong.roles } };
    expect(replayTrace(parsed, copy as ModelDefinition).identical).toBe(true);
  });
});

describe('trace hash', () => {
  it.each(models)('%s: the same seed gives the same hash and identical text', (_name, model) => {
    const a = record(model);
    const b = record(model);
    expect(b.text).toBe(a.text);
    expect(b.result.traceHash).toBe(a.result.traceHash);
    expect(a.result.traceHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each(models)('%s: different seeds give different hashes', (_name, model) => {
    const hashes = [1, 2, 3, 4, 5].map((seed) => runSimulation(model, { seed, ...FAULTS }).traceHash);
    expect(new Set(hashes).size).toBe(5);
  });

  it.each(models)('%s: the hash does not depend on whether a sink is attached', (_name, model) => {
    const withSink = record(model).result;
    const without = runSimulation(model, { seed: SEED, ...FAULTS });
    expect(without.traceHash).toBe(withSink.traceHash);
    expect(without.events).toBe(withSink.events);
    expect(without.stats).toEqual(withSink.stats);
  });

  it('changes when only a payload changes', () => {
    // Bug flag echo-wrong-seq changes pong payloads (and trips the property); the hash must see it.
    const clean = runSimulation(pingPong as ModelDefinition, { seed: SEED, timeUs: 60_000 });
    const buggy = runSimulation(pingPong as ModelDefinition, { seed: SEED, timeUs: 60_000, bugs: ['echo-wrong-seq'] });
    expect(buggy.traceHash).not.toBe(clean.traceHash);
  });
});
