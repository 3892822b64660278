/**
 * Jepsen histories written as one EDN map a line:
 *
 *     {:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}
 *
 * read for the register model (`:f` `:read`, `:write`, `:cas` with
 * `:value [from to]`) or the key-value model (`:get`, `:put`, `:append` with
 * `:key`). Lines whose `:process` is not an integer (`:nemesis`) are not client
 * operations and are skipped; fields other than the ones read are ignored.
 * Jepsen semantics throughout: a `:fail` did not happen, a `:cas` included.
 */
import type { HistoryEvent, HistoryEventType } from '../history.ts';
import type { KvInput, KvOutput } from '../linearizability/kv.ts';
import type { RegisterInput, RegisterOutput, RegisterValue } from '../linearizability/register.ts';
import { InputError } from '../../sim/errors.ts';
import { describeEdn, ednMapEntry, isKeyword, readEdnForms, type EdnForm, type EdnMap, type EdnValue } from './edn.ts';
import { noHistoryLines } from './lines.ts';

/** The models a history file can be read for. */
export type HistoryModel = 'register' | 'kv';

const TYPES: readonly HistoryEventType[] = ['invoke', 'ok', 'fail', 'info'];
const FUNCTIONS: Readonly<Record<HistoryModel, readonly string[]>> = { register: ['read', 'write', 'cas'], kv: ['get', 'put', 'append'] };

/** Builds `file:line:column: message` errors for one line. */
type Fail = (column: number, message: string) => InputError;

/**
 * Reads the lines of a Jepsen EDN history for `model`. `format` names the
 * format in the message for a file with no history lines.
 *
 * @throws InputError `file:line:column: ...` naming what is wrong.
 */
export function parseJepsenEdn(lines: readonly string[], model: HistoryModel, displayPath: string, format = 'jepsen-edn'): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    const forms = readEdnForms(text, { path: displayPath, firstLine: line });
    const fail: Fail = (column, message) => new InputError(`${displayPath}:${line}:${column}: ${message}`);
    const [form, extra] = forms;
    if (form === undefined) continue;
    if (extra !== undefined) throw fail(extra.column, 'expected one map a line, found another value after it');
    const event = eventFromForm(form, model, fail);
    if (event !== null) events.push({ ...event, time: line, source: `${displayPath}:${line}` });
  }
  if (events.length === 0) throw noHistoryLines(displayPath, format);
  return events;
}

function eventFromForm(form: EdnForm, model: HistoryModel, fail: Fail): Omit<HistoryEvent, 'time'> | null {
  const map = form.value;
  if (typeof map !== 'object' || map === null || map.kind !== 'map') {
    throw fail(form.column, `expected a map like {:process 0, :type :invoke, :f ..., :value ...}, found ${describeEdn(map)}`);
  }
  const process = required(map, 'process', form, fail).value;
  // Jepsen's nemesis and other non-client actors have keyword processes.
  if (typeof process !== 'number' || !Number.isInteger(process)) return null;
  const type = keywordField(map, 'type', TYPES, form, fail) as HistoryEventType;
  const f = keywordField(map, 'f', FUNCTIONS[model], form, fail);
  if (type === 'invoke') return { type, process, input: model === 'register' ? registerInput(f, map, form, fail) : kvInput(f, map, form, fail) };
  if (type !== 'ok') return { type, process };
  const output = model === 'register' ? registerOutput(f, map, form, fail) : kvOutput(f, map, form, fail);
  return output === undefined ? { type, process } : { type, process, output };
}

function registerInput(f: string, map: EdnMap, form: EdnForm, fail: Fail): RegisterInput {
  if (f === 'read') return { f: 'read' };
  const entry = required(map, 'value', form, fail);
  if (f === 'write') return { f: 'write', value: registerValue(entry.value, entry.column, fail) };
  const items = typeof entry.value === 'object' && entry.value !== null && entry.value.kind === 'vector' ? entry.value.items : [];
  if (items.length !== 2) throw fail(entry.column, `a :cas :value is a vector [from to], not ${describeEdn(entry.value)}`);
  return { f: 'cas', from: registerValue(items[0] as EdnValue, entry.column, fail), to: registerValue(items[1] as EdnValue, entry.column, fail) };
}

function registerOutput(f: string, map: EdnMap, form: EdnForm, fail: Fail): RegisterOutput {
  if (f === 'cas') return true;
  if (f === 'write') return undefined;
  const entry = required(map, 'value', form, fail);
  return registerValue(entry.value, entry.column, fail);
}

function kvInput(f: string, map: EdnMap, form: EdnForm, fail: Fail): KvInput {
  const keyEntry = required(map, 'key', form, fail);
  const key = keyEntry.value;
  if (typeof key !== 'string' && !(typeof key === 'number' && Number.isInteger(key))) {
    throw fail(keyEntry.column, `:key must be a string or an integer, not ${describeEdn(key)}`);
  }
  if (f === 'get') return { f: 'get', key };
  const entry = required(map, 'value', form, fail);
  if (typeof entry.value !== 'string') throw fail(entry.column, `the :value of :${f} must be a string, not ${describeEdn(entry.value)}`);
  return { f: f === 'put' ? 'put' : 'append', key, value: entry.value };
}

function kvOutput(f: string, map: EdnMap, form: EdnForm, fail: Fail): KvOutput {
  if (f !== 'get') return undefined;
  const entry = required(map, 'value', form, fail);
  // A key never written reads as "" in the kv model; Jepsen may write that as nil.
  if (entry.value === null) return '';
  if (typeof entry.value !== 'string') throw fail(entry.column, `the :value of an :ok :get must be a string or nil, not ${describeEdn(entry.value)}`);
  return entry.value;
}

function registerValue(value: EdnValue, column: number, fail: Fail): RegisterValue {
  if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return value;
  throw fail(column, `a register value is an integer, a string or nil, not ${describeEdn(value)}`);
}

function required(map: EdnMap, name: string, form: EdnForm, fail: Fail): { value: EdnValue; column: number } {
  const entry = ednMapEntry(map, name);
  if (entry === undefined) throw fail(form.column, `missing :${name}`);
  return entry;
}

function keywordField(map: EdnMap, name: string, allowed: readonly string[], form: EdnForm, fail: Fail): string {
  const entry = required(map, name, form, fail);
  if (!isKeyword(entry.value) || !allowed.includes(entry.value.name)) {
    throw fail(entry.column, `unknown :${name} ${describeEdn(entry.value)}; expected ${allowed.map((option) => `:${option}`).join(', ')}`);
  }
  return entry.value.name;
}
