/**
 * Trace files on disk: a sink that streams lines to a temporary file and
 * renames it into place when the run is over (so a reader never sees half a
 * trace), and a reader with one-line errors.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../sim/errors.ts';
import type { TraceEvent, TraceHeader } from './events.ts';
import type { TraceSink } from './sink.ts';
import { parseTrace, type ParsedTrace } from './codec.ts';

const FLUSH_BYTES = 1 << 16;

/**
 * Writes a trace file atomically: lines go to `<path>.tmp`, renamed on
 * `close()`. Nothing touches the disk until the header arrives, so a run
 * refused for bad options leaves no file or folder behind.
 */
export class FileSink implements TraceSink {
  private fd = -1;
  private readonly tmpPath: string;
  private buffer: string[] = [];
  private bufferedChars = 0;

  constructor(readonly path: string) {
    this.tmpPath = `${path}.tmp`;
  }

  header(_header: TraceHeader, line: string): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.tmpPath, 'w');
    this.push(line);
  }

  event(_event: TraceEvent, line: string): void {
    this.push(line);
  }

  /** Flushes and moves the finished file into place. */
  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmpPath, this.path);
  }

  /** Gives up: closes and removes the temporary file (the run could not start). */
  abort(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmpPath, { force: true });
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    if (this.bufferedChars >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.bufferedChars = 0;
  }
}

/** Reads and validates a trace file. Throws InputError (missing, unreadable, malformed). */
export function readTraceFile(path: string): ParsedTrace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such trace file`);
    if (code === 'EISDIR') throw new InputError(`${path}: is a directory, not a trace file`);
    throw new InputError(`${path}: cannot read (${code ?? String(error)})`);
  }
  return parseTrace(text, path);
}
