/**
 * Replay with disk faults: a run with torn crashes, corrupt reads, a full disk
 * and scripted fills replays identically from its trace alone; an edited
 * `survivedWrites` or corrupt-read line is reported at exactly that event.
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, ms, Simulation, type ModelDefinition, type TraceEvent } from '../../src/index.ts';
import { parseTrace, type ParsedTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import diskLog, { DISK_LOG_OPTIONS } from '../fixtures/disk-log-model.ts';

const model = diskLog as ModelDefinition;

function record(seed: number): ParsedTrace {
  const sink = new MemorySink();
  const sim = new Simulation(model, { ...DISK_LOG_OPTIONS, seed, settleUs: ms(100) }, { sinks: [sink] });
  sim.at(ms(50), (c) => c.diskFull('logger1', true));
  sim.at(ms(70), (c) => c.crash('logger1'));
  sim.at(ms(80), (c) => c.restart('logger1'));
  sim.at(ms(90), (c) => c.diskFull('logger1', false));
  sim.at(ms(120), (c) => c.diskFull('logger0', true)); // freed by the liveness phase at 300 ms
  sim.run();
  return parseTrace(sink.text(), `disk-log seed ${seed}`);
}

/** `trace` with event `n` replaced by `edit(event)`. */
function edited(trace: ParsedTrace, n: number, edit: (event: TraceEvent) => TraceEvent): ParsedTrace {
  const lines = [JSON.stringify(trace.header), ...trace.eventLines];
  lines[n] = JSON.stringify(edit(structuredClone(trace.events[n - 1] as TraceEvent)));
  return parseTrace(lines.join('\n') + '\n', 'edited');
}

const kindsOf = (trace: ParsedTrace): string[] =>
  [...new Set(trace.events.flatMap((e) => (e.kind === 'disk-fault' ? [`${e.fault}${'by' in e ? ' by script' : ''}`] : e.kind === 'crash' && e.survivedWrites !== undefined ? ['torn crash'] : [])))].sort();

describe('replaying runs with disk faults', () => {
  const seeds = [1, 2, 3, 4, 5];
  const traces = seeds.map(record);

  it.each(seeds.map((seed, i) => [seed, i]))('seed %i replays identically, every disk fault included', (_seed, i) => {
    const trace = traces[i] as ParsedTrace;
    expect(kindsOf(trace)).toEqual(['corrupt-read', 'fill by script', 'free', 'free by script', 'full', 'torn crash']);
    const again = new MemorySink();
    const replay = replayTrace(trace, model, [again]);
    expect(replay.divergence).toBeNull();
    expect(again.lines.slice(1)).toEqual(trace.eventLines);
  });

  it('reports an edited survivedWrites at that crash', () => {
    const trace = traces[0] as ParsedTrace;
    const crash = trace.events.find((e) => e.kind === 'crash' && e.survivedWrites !== undefined && e.survivedWrites.length > 0) as TraceEvent;
    const replay = replayTrace(edited(trace, crash.n, (e) => ({ ...e, survivedWrites: [] }) as TraceEvent), model);
    expect(replay.divergence?.eventNumber).toBe(crash.n);
    expect(replay.divergence?.actual).toBe(trace.eventLines[crash.n - 1]);
  });

  it('reports an edited corrupt read (another bit) at that event', () => {
    const trace = traces[1] as ParsedTrace;
    const read = trace.events.find((e) => e.kind === 'disk-fault' && e.fault === 'corrupt-read') as Extract<TraceEvent, { fault: 'corrupt-read' }>;
    const replay = replayTrace(edited(trace, read.n, (e) => ({ ...e, bit: read.bit + 1 }) as TraceEvent), model);
    expect(replay.divergence?.eventNumber).toBe(read.n);
  });

  it('is deterministic: the same seed gives the same trace, another seed another one', () => {
    expect(record(1).eventLines).toEqual((traces[0] as ParsedTrace).eventLines);
    expect(record(2).eventLines).not.toEqual((traces[0] as ParsedTrace).eventLines);
  });
});
