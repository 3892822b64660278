/**
 * Jepsen etcd logs as Porcupine's tests read them: one operation a line,
 *
 *     INFO  jepsen.util - 2	:invoke	:cas	[2 4]
 *     INFO  jepsen.util - 2	:fail	:cas	[2 4]
 *
 * (process, type, function, value; tabs or spaces). Only `jepsen.util` lines
 * are history; other loggers' lines are skipped. The model is a register.
 */
import type { HistoryEvent } from '../history.ts';
import type { RegisterInput, RegisterOutput } from '../linearizability/register.ts';
import { InputError } from '../../sim/errors.ts';
import { describeEdn, isKeyword, readEdnForms, type EdnForm, type EdnValue } from './edn.ts';
import { noHistoryLines, quoteLine } from './lines.ts';

/** A register history event. */
type RegisterEvent = HistoryEvent<RegisterInput, RegisterOutput>;

/** `LEVEL  logger - message`; the message of a `jepsen.util` line is a few EDN values. */
const LOG_LINE = /^\s*(\S+)\s+(\S+)\s+-\s+(.*)$/;
const HISTORY_LOGGER = 'jepsen.util';

/**
 * Reads the lines of a Porcupine etcd log into register history events.
 *
 * @throws InputError `file:line: cannot read this history line: ...` for a
 *   `jepsen.util` line that is not an operation, or when there are none.
 */
export function parsePorcupineEtcd(lines: readonly string[], displayPath: string): RegisterEvent[] {
  const events: RegisterEvent[] = [];
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    const match = LOG_LINE.exec(text);
    if (match === null || match[2] !== HISTORY_LOGGER) {
      // A line that names the history logger but is not shaped like a log line is damage, not another logger.
      if (match === null && text.includes(HISTORY_LOGGER)) throw unreadable(displayPath, line, text, 'expected "LEVEL jepsen.util - message"');
      continue;
    }
    const reason = (message: string): InputError => unreadable(displayPath, line, text, message);
    let forms: EdnForm[];
    try {
      forms = readEdnForms(match[3] as string, { path: displayPath, firstLine: line });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const prefix = `${displayPath}:${line}:`;
      throw reason(error.message.startsWith(prefix) ? error.message.slice(prefix.length).replace(/^\d+: /, '') : error.message);
    }
    events.push(etcdEvent(forms.map((form) => form.value), line, `${displayPath}:${line}`, reason));
  }
  if (events.length === 0) throw noHistoryLines(displayPath, 'porcupine-etcd');
  return events;
}

function etcdEvent(values: EdnValue[], line: number, source: string, reason: (message: string) => InputError): RegisterEvent {
  if (values.length !== 4) throw reason(`expected process, type, function and value, found ${values.length} fields`);
  const [process, type, f, value] = values as [EdnValue, EdnValue, EdnValue, EdnValue];
  if (typeof process !== 'number' || !Number.isInteger(process)) throw reason(`the process must be an integer, not ${describeEdn(process)}`);
  if (!isKeyword(f) || (f.name !== 'read' && f.name !== 'write' && f.name !== 'cas')) {
    throw reason(`unknown function ${describeEdn(f)}; expected :read, :write or :cas`);
  }
  const event = { process, time: line, source };
  const name = f.name;
  if (isKeyword(type, 'invoke')) return { type: 'invoke', input: etcdInput(name, value, reason), ...event };
  if (isKeyword(type, 'info')) return { type: 'info', ...event };
  if (isKeyword(type, 'ok')) {
    if (name === 'read') return { type: 'ok', output: registerValue(value, reason, 'nil or an integer'), ...event };
    if (name === 'write') {
      registerValue(value, reason, 'an integer', false);
      return { type: 'ok', ...event };
    }
    casPair(value, reason);
    return { type: 'ok', output: true, ...event };
  }
  if (isKeyword(type, 'fail')) {
    // Porcupine's reading of etcd: a cas that fails with its [from to] got an
    // answer, "the register did not hold `from`", so it happened and returned
    // false. A fail with an error keyword (`:fail :read :timed-out`) did not happen.
    if (name === 'cas' && !isKeyword(value)) {
      casPair(value, reason);
      return { type: 'ok', output: false, ...event };
    }
    return { type: 'fail', ...event };
  }
  throw reason(`unknown type ${describeEdn(type)}; expected :invoke, :ok, :fail or :info`);
}

function etcdInput(f: 'read' | 'write' | 'cas', value: EdnValue, reason: (message: string) => InputError): RegisterInput {
  if (f === 'read') {
    if (value !== null) throw reason(`a read is invoked with nil, not ${describeEdn(value)}`);
    return { f: 'read' };
  }
  if (f === 'write') return { f: 'write', value: registerValue(value, reason, 'an integer', false) };
  const [from, to] = casPair(value, reason);
  return { f: 'cas', from, to };
}

function registerValue(value: EdnValue, reason: (message: string) => InputError, expected: string, nilAllowed = true): number | null {
  if (value === null && nilAllowed) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw reason(`expected ${expected}, found ${describeEdn(value)}`);
}

function casPair(value: EdnValue, reason: (message: string) => InputError): [number, number] {
  const items = typeof value === 'object' && value !== null && value.kind === 'vector' ? value.items : [];
  const [from, to] = items;
  if (items.length !== 2 || typeof from !== 'number' || typeof to !== 'number' || !Number.isInteger(from) || !Number.isInteger(to)) {
    throw reason(`a cas value is [from to] with two integers, not ${describeEdn(value)}`);
  }
  return [from, to];
}

function unreadable(displayPath: string, line: number, text: string, why: string): InputError {
  return new InputError(`${displayPath}:${line}: cannot read this history line: ${quoteLine(text)}: ${why}`);
}
