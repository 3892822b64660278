/**
 * History files in, {@link HistoryEvent}s out: the formats `faultline check`
 * reads with `--format`, each for the `--model` it can describe.
 *
 * - `porcupine-etcd`: Jepsen etcd logs as Porcupine's tests read them (register).
 * - `porcupine-kv`: Porcupine's key-value histories, EDN a line (kv).
 * - `jepsen-edn`: Jepsen histories, one EDN map a line (register or kv).
 * - `faultline-trace`: the client history (`op` events) of a Faultline trace (register or kv).
 *
 * Event times are 1-based line numbers (virtual µs for traces); sources are `file:line`.
 */
import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '../history.ts';
import type { KvInput, KvOutput } from '../linearizability/kv.ts';
import type { RegisterInput, RegisterOutput } from '../linearizability/register.ts';
import { InputError } from '../../sim/errors.ts';
import { parseJepsenEdn, type HistoryModel } from './jepsen-edn.ts';
import { splitLines } from './lines.ts';
import { parsePorcupineEtcd } from './porcupine-etcd.ts';
import { parseFaultlineTrace } from './faultline-trace.ts';

export type { HistoryModel } from './jepsen-edn.ts';

/** A history file format (`--format`). */
export type HistoryFormat = 'porcupine-etcd' | 'porcupine-kv' | 'jepsen-edn' | 'faultline-trace';

/** Every format, in the order help text lists them. */
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['porcupine-etcd', 'porcupine-kv', 'jepsen-edn', 'faultline-trace'];

/** The models each format can describe. */
const FORMAT_MODELS: Readonly<Record<HistoryFormat, readonly HistoryModel[]>> = {
  'porcupine-etcd': ['register'],
  'porcupine-kv': ['kv'],
  'jepsen-edn': ['register', 'kv'],
  'faultline-trace': ['register', 'kv'],
};

/**
 * Reads a history's text.
 *
 * @param displayPath the file name used in messages and event sources.
 * @throws InputError for an unknown format, a format that cannot describe
 *   `model`, or a line that cannot be read (`file:line: ...`).
 */
export function parseHistory(text: string, format: HistoryFormat, model: 'register', displayPath: string): HistoryEvent<RegisterInput, RegisterOutput>[];
export function parseHistory(text: string, format: HistoryFormat, model: 'kv', displayPath: string): HistoryEvent<KvInput, KvOutput>[];
export function parseHistory(text: string, format: HistoryFormat, model: HistoryModel, displayPath: string): HistoryEvent[];
export function parseHistory(text: string, format: HistoryFormat, model: HistoryModel, displayPath: string): HistoryEvent[] {
  checkFormatAndModel(format, model);
  if (format === 'faultline-trace') return parseFaultlineTrace(text, model, displayPath);
  const lines = splitLines(text);
  if (format === 'porcupine-etcd') return parsePorcupineEtcd(lines, displayPath);
  return parseJepsenEdn(lines, model, displayPath, format);
}

/**
 * Reads a history file (UTF-8, with or without a byte-order mark; LF or CRLF).
 *
 * @throws InputError naming `path` when it cannot be read, or as {@link parseHistory}.
 */
export function readHistoryFile(path: string, format: HistoryFormat, model: 'register'): HistoryEvent<RegisterInput, RegisterOutput>[];
export function readHistoryFile(path: string, format: HistoryFormat, model: 'kv'): HistoryEvent<KvInput, KvOutput>[];
export function readHistoryFile(path: string, format: HistoryFormat, model: HistoryModel): HistoryEvent[];
export function readHistoryFile(path: string, format: HistoryFormat, model: HistoryModel): HistoryEvent[] {
  checkFormatAndModel(format, model);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read history file ${path}: ${describeFileError(error)}`);
  }
  return parseHistory(text, format, model, path);
}

/** Format and model come from flags, so they are checked at run time whatever their static types say. */
function checkFormatAndModel(format: string, model: string): void {
  if (model !== 'register' && model !== 'kv') throw new InputError(`unknown --model ${model}; history files are read for --model register or kv`);
  const models = FORMAT_MODELS[format as HistoryFormat] as readonly HistoryModel[] | undefined;
  if (models === undefined) throw new InputError(`unknown --format ${format}; expected one of ${HISTORY_FORMATS.join(', ')}`);
  if (!models.includes(model)) {
    throw new InputError(`--format ${format} holds ${models.join(' or ')} histories, not --model ${model}; use --model ${models.join(' or ')} or another --format`);
  }
}

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error);
}
