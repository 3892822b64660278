/**
 * Trace files on disk: a sink that streams lines to a temporary file and
 * renames it into place when the run is over (so a reader never sees half a
 * trace), and a reader with one-line errors.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../sim/errors.ts';
import type { TraceEvent, TraceHeader } from './events.ts';
import type { TraceSink } from './sink.ts';
import { parseTrace, type ParsedTrace } from './codec.ts';

const FLUSH_BYTES = 1 << 16;

/** A one-line reason for a file-system error. */
function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent of it is a file, not a directory';
    case 'ENOENT':
      return 'its folder does not exist';
    case 'EEXIST':
      return 'a parent of it exists and is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default: {
      // Node's own messages start with the code ("EIO: i/o error, write"); keep them to one short line.
      const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
      return text.length > 200 ? `${text.slice(0, 197)}...` : text || (code ?? 'unknown error');
    }
  }
}

/**
 * Writes a trace file atomically: lines go to `<path>.tmp`, renamed on
 * `close()`. Nothing touches the disk until the header arrives, so a run
 * refused for bad options leaves no file or folder behind. A file-system
 * error (bad path, a folder in the way, a full disk) is an InputError naming
 * the path, and the temporary file is removed.
 */
export class FileSink implements TraceSink {
  private fd = -1;
  /** Whether `<path>.tmp` may exist on disk (created by this sink and not yet renamed or removed). */
  private tmpCreated = false;
  /** The error that stopped this sink; every later call throws it again. */
  private failure: InputError | null = null;
  private readonly tmpPath: string;
  private buffer: string[] = [];
  private bufferedChars = 0;

  constructor(readonly path: string) {
    if (path === '') throw new InputError('the trace path is empty (give a file name, or no trace)');
    this.tmpPath = `${path}.tmp`;
  }

  header(_header: TraceHeader, line: string): void {
    this.guard(() => {
      mkdirSync(dirname(this.path), { recursive: true });
      // Refuse a folder now, not after the whole run when the rename fails.
      if (statSync(this.path, { throwIfNoEntry: false })?.isDirectory() === true) {
        throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      }
      try {
        this.fd = openSync(this.tmpPath, 'w');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
        throw new Error(`its temporary file ${this.tmpPath} is a directory`);
      }
      this.tmpCreated = true;
    });
    this.push(line);
  }

  event(_event: TraceEvent, line: string): void {
    this.push(line);
  }

  /** Flushes and moves the finished file into place. */
  close(): void {
    if (this.failure !== null) throw this.failure;
    if (this.fd < 0) return;
    this.guard(() => {
      this.flush();
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.tmpPath, this.path);
      this.tmpCreated = false;
    });
  }

  /** Gives up: closes and removes the temporary file (the run could not start or finish). */
  abort(): void {
    this.cleanUp();
  }

  private push(line: string): void {
    if (this.failure !== null) throw this.failure;
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    if (this.bufferedChars >= FLUSH_BYTES) this.guard(() => this.flush());
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.bufferedChars = 0;
  }

  /** Runs a file-system step; on failure cleans up and throws an InputError naming the path. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.cleanUp();
      this.failure = new InputError(`cannot write the trace file ${this.path}: ${fsReason(error)}`);
      throw this.failure;
    }
  }

  /** Closes the file if open and removes the temporary file; never throws. */
  private cleanUp(): void {
    this.buffer = [];
    this.bufferedChars = 0;
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Already unusable; removing the file below is what matters.
      }
      this.fd = -1;
    }
    if (this.tmpCreated) {
      try {
        rmSync(this.tmpPath, { force: true });
      } catch {
        // Nothing more to do: the error that brought us here is reported instead.
      }
      this.tmpCreated = false;
    }
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
