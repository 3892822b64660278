/**
 * A trace written by a run reads back to the same header and events, a file
 * trace is byte-for-byte the in-memory one, and every way a trace file can be
 * broken gives a one-line InputError that names the file (and line).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink, runSimulation, type ModelDefinition, type SimOptionsInput } from '../../src/index.ts';
import { InputError } from '../../src/sim/errors.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { FileSink, readTraceFile } from '../../src/trace/file.ts';
import pingPong from '../../models/ping-pong/model.ts';
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

function memoryRun(model: ModelDefinition, options: SimOptionsInput) {
  const sink = new MemorySink();
  const result = runSimulation(model, options, { sinks: [sink] });
  return { sink, result };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-roundtrip-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('parseTrace round trip', () => {
  it.each(models)('%s: header and every event survive text and back', (_name, model) => {
    const { sink, result } = memoryRun(model, { seed: SEED, ...FAULTS });
    const text = sink.text();
    const parsed = parseTrace(text, 'memory');

    expect(parsed.header).toStrictEqual(sink.headerValue);
    expect(parsed.header).toMatchObject({ format: 'faultline-trace', version: 1, model: model.name, modelName: model.name, seed: SEED });
    expect(parsed.header.options).toStrictEqual(result.options);
    expect(parsed.events).toHaveLength(result.events);
    expect(parsed.events).toStrictEqual(sink.events);
    expect(parsed.eventLines).toEqual(sink.lines.slice(1));
    // The last event carries the run's hash; the run kinds this test relies on did happen.
    expect(parsed.events.at(-1)).toMatchObject({ kind: 'end', hash: result.traceHash, steps: result.steps });
    const kinds = new Set(parsed.events.map((e) => e.kind));
    for (const kind of ['start', 'send', 'deliver', 'drop', 'duplicate', 'timer-set', 'timer-fire', 'crash', 'restart', 'partition', 'heal']) {
      expect(kinds, kind).toContain(kind);
    }
    const reasons = new Set(parsed.events.flatMap((e) => (e.kind === 'drop' ? [e.reason] : [])));
    expect([...reasons].sort()).toEqual(['loss', 'node-down', 'partition']);
  });

  it('keeps unicode text, negative and large numbers, nesting and null exactly', () => {
    const payload = { text: 'naïve — 日本 \u2028 "quoted" \\ back', big: 2 ** 52, neg: -17.25, nested: [[null, true, { e: [] }]] };
    const model: ModelDefinition = {
      name: 'odd-payloads',
      description: 'one node logs and sends awkward JSON',
      roles: {
        n: {
          count: 2,
          node: {
            start(ctx) {
              if (ctx.id === 'n0') {
                ctx.log('payload ✓', payload);
                ctx.send('n1', payload);
              }
              return null;
            },
          },
        },
      },
    };
    const { sink } = memoryRun(model, { seed: 1 });
    const parsed = parseTrace(sink.text(), 'memory');
    expect(parsed.events).toStrictEqual(sink.events);
    const deliver = parsed.events.find((e) => e.kind === 'deliver');
    expect(deliver).toMatchObject({ payload });
    expect(parsed.events.find((e) => e.kind === 'log')).toMatchObject({ text: 'payload ✓', data: payload });
  });
});

describe('FileSink', () => {
  it.each(models)('%s: writes exactly the bytes MemorySink holds and leaves no .tmp file', (name, model) => {
    const path = join(dir, name, 'nested', 'trace.jsonl'); // the folder does not exist yet
    const memory = new MemorySink();
    const file = new FileSink(path);
    // A long run so the file sink flushes several times mid-run.
    const result = runSimulation(model, { seed: 5, timeUs: 20_000_000, ...FAULTS }, { sinks: [memory, file] });
    file.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(1 << 17);
    expect(bytes.equals(Buffer.from(memory.text(), 'utf8'))).toBe(true);
    expect(readdirSync(join(dir, name, 'nested'))).toEqual(['trace.jsonl']);
    const read = readTraceFile(path);
    expect(read.events).toHaveLength(result.events);
    expect(read.header).toStrictEqual(memory.headerValue);
  });

  it('is not visible under its final name until closed', () => {
    const path = join(dir, 'atomic', 'trace.jsonl');
    const file = new FileSink(path);
    runSimulation(pingPong as ModelDefinition, { seed: 2 }, { sinks: [file] });
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['trace.jsonl.tmp']);
    file.close();
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['trace.jsonl']);
  });
});

describe('readTraceFile errors', () => {
  let good = '';
  let goodLines: string[] = [];
  beforeAll(() => {
    good = memoryRun(pingPong as ModelDefinition, { seed: 3 }).sink.text();
    goodLines = good.split('\n').slice(0, -1);
  });

  function write(name: string, text: string): string {
    const path = join(dir, 'broken', name);
    mkdirSync(join(dir, 'broken'), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  function errorOf(path: string): InputError {
    try {
      readTraceFile(path);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const message = (error as InputError).message;
      expect(message).not.toContain('\n');
      expect(message.startsWith(path)).toBe(true);
      expect((error as InputError).exitCode).toBe(2);
      return error as InputError;
    }
    throw new Error(`reading ${path} did not throw`);
  }

  it('reads the intact file', () => {
    const parsed = readTraceFile(write('good.jsonl', good));
    expect(parsed.events).toHaveLength(goodLines.length - 1);
  });

  it('missing file', () => {
    const path = join(dir, 'broken', 'nope.jsonl');
    expect(errorOf(path).message).toBe(`${path}: no such trace file`);
  });

  it('a directory', () => {
    const path = join(dir, 'broken-dir');
    mkdirSync(path, { recursive: true });
    expect(errorOf(path).message).toContain('is a directory');
  });

  it('empty file', () => {
    const path = write('empty.jsonl', '');
    expect(errorOf(path).message).toMatch(/empty file/);
  });

  it('broken JSON line names file:line', () => {
    const lines = goodLines.slice();
    const broken = 5; // 1-based line number in the file
    lines[broken - 1] = (lines[broken - 1] as string).slice(0, 25);
    const path = write('broken-json.jsonl', lines.join('\n') + '\n');
    const message = errorOf(path).message;
    expect(message.startsWith(`${path}:${broken}: `)).toBe(true);
    expect(message).toContain('not valid JSON');
  });

  it('truncated last line (no newline) names the last line', () => {
    const text = good.slice(0, good.length - 20); // cut inside the end line
    const path = write('truncated.jsonl', text);
    const message = errorOf(path).message;
    expect(message.startsWith(`${path}:${goodLines.length}: `)).toBe(true);
    expect(message).toContain('truncated');
  });

  it('missing end event', () => {
    const path = write('no-end.jsonl', goodLines.slice(0, -1).join('\n') + '\n');
    const message = errorOf(path).message;
    expect(message.startsWith(`${path}:${goodLines.length - 1}: `)).toBe(true);
    expect(message).toContain('"end"');
  });

  it('unknown format version', () => {
    const header = JSON.parse(goodLines[0] as string) as Record<string, unknown>;
    const lines = [JSON.stringify({ ...header, version: 2 }), ...goodLines.slice(1)];
    const path = write('v2.jsonl', lines.join('\n') + '\n');
    const message = errorOf(path).message;
    expect(message.startsWith(`${path}:1: `)).toBe(true);
    expect(message).toContain('version 2 is not supported');
  });

  it('not a faultline trace at all', () => {
    const path = write('other.jsonl', '{"hello":"world"}\n');
    expect(errorOf(path).message).toBe(`${path}:1: not a faultline trace (no "format": "faultline-trace" header)`);
  });

  it('events out of order', () => {
    const lines = goodLines.slice();
    [lines[3], lines[4]] = [lines[4] as string, lines[3] as string];
    const path = write('swapped.jsonl', lines.join('\n') + '\n');
    expect(errorOf(path).message.startsWith(`${path}:4: event number 4 where 3 was expected`)).toBe(true);
  });
});

describe('FileSink file-system errors', () => {
  function sinkError(fn: () => void): InputError {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).exitCode).toBe(2);
      expect((error as InputError).message).not.toContain('\n');
      return error as InputError;
    }
    throw new Error('the sink did not throw');
  }

  it('refuses an empty path when made', () => {
    expect(sinkError(() => new FileSink('')).message).toContain('trace path is empty');
  });

  it('an existing directory: InputError from the header (so from new Simulation), no .tmp left', () => {
    const base = join(dir, 'fs-dir');
    mkdirSync(join(base, 'taken'), { recursive: true });
    const file = new FileSink(join(base, 'taken'));
    const message = sinkError(() => runSimulation(pingPong as ModelDefinition, { seed: 2 }, { sinks: [file] })).message;
    expect(message).toBe(`cannot write the trace file ${join(base, 'taken')}: it is a directory`);
    file.abort();
    expect(readdirSync(base)).toEqual(['taken']);
  });

  it('a path under a regular file: InputError naming the path, nothing created', () => {
    const base = join(dir, 'fs-file');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'afile'), '');
    const path = join(base, 'afile', 'x.jsonl');
    const message = sinkError(() => new FileSink(path).header({} as never, '{}')).message;
    expect(message.startsWith(`cannot write the trace file ${path}: `)).toBe(true);
    expect(readdirSync(base)).toEqual(['afile']);
  });

  it('a rename that fails at close: InputError naming the path, the .tmp removed, and it stays failed', () => {
    const base = join(dir, 'fs-rename');
    const path = join(base, 'trace.jsonl');
    const file = new FileSink(path);
    runSimulation(pingPong as ModelDefinition, { seed: 2 }, { sinks: [file] });
    // Something else puts a non-empty folder where the trace is to go while the run is on.
    mkdirSync(join(path, 'inside'), { recursive: true });
    const error = sinkError(() => file.close());
    expect(error.message.startsWith(`cannot write the trace file ${path}: `)).toBe(true);
    expect(readdirSync(base)).toEqual(['trace.jsonl']);
    expect(readdirSync(path)).toEqual(['inside']);
    expect(() => file.close()).toThrow(error);
    expect(() => file.event({} as never, '{}')).toThrow(error);
  });

  it('abort removes the .tmp of a run that stopped', () => {
    const base = join(dir, 'fs-abort');
    const file = new FileSink(join(base, 'trace.jsonl'));
    runSimulation(pingPong as ModelDefinition, { seed: 2 }, { sinks: [file] });
    expect(readdirSync(base)).toEqual(['trace.jsonl.tmp']);
    file.abort();
    expect(readdirSync(base)).toEqual([]);
  });
});

describe('parseTrace: files edited on Windows', () => {
  let text = '';
  let lf: ReturnType<typeof parseTrace>;
  beforeAll(() => {
    text = memoryRun(pingPong as ModelDefinition, { seed: 3 }).sink.text();
    lf = parseTrace(text, 'lf');
  });

  it('CRLF line endings parse to the same header, events and lines (without the \\r)', () => {
    const crlf = parseTrace(text.replaceAll('\n', '\r\n'), 'crlf');
    expect(crlf.header).toStrictEqual(lf.header);
    expect(crlf.events).toStrictEqual(lf.events);
    expect(crlf.eventLines).toEqual(lf.eventLines);
    expect(crlf.eventLines.some((line) => line.includes('\r'))).toBe(false);
  });

  it('a UTF-8 byte order mark at the start is skipped, with LF or CRLF', () => {
    expect(parseTrace(`\ufeff${text}`, 'bom')).toStrictEqual(lf);
    expect(parseTrace(`\ufeff${text.replaceAll('\n', '\r\n')}`, 'bom-crlf')).toStrictEqual(lf);
  });

  it('mixed endings are fine too; a file cut off after a \\r is still truncated', () => {
    const lines = text.split('\n');
    const mixed = lines.map((line, i) => (i % 2 === 0 && line !== '' ? `${line}\r` : line)).join('\n');
    expect(parseTrace(mixed, 'mixed').eventLines).toEqual(lf.eventLines);
    expect(() => parseTrace(`${text.slice(0, -1)}\r`, 'cut')).toThrow(/truncated/);
  });

  it('readTraceFile reads a CRLF file with a BOM', () => {
    const path = join(dir, 'windows.jsonl');
    writeFileSync(path, `\ufeff${text.replaceAll('\n', '\r\n')}`);
    expect(readTraceFile(path).eventLines).toEqual(lf.eventLines);
  });
});

describe('FileSink: a folder where its temporary file goes', () => {
  it('names the temporary file, and leaves that folder alone', () => {
    const base = join(dir, 'fs-tmpdir');
    mkdirSync(join(base, 'trace.jsonl.tmp'), { recursive: true });
    const file = new FileSink(join(base, 'trace.jsonl'));
    expect(() => file.header({} as never, '{}')).toThrow(
      new InputError(`cannot write the trace file ${join(base, 'trace.jsonl')}: its temporary file ${join(base, 'trace.jsonl.tmp')} is a directory`),
    );
    file.abort();
    expect(readdirSync(base)).toEqual(['trace.jsonl.tmp']);
  });
});
