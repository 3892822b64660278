/**
 * The client history inside a Faultline trace: its `op` events (what clients
 * recorded with ctx.invoke / ctx.complete), as history events timed in
 * virtual microseconds. This is how `faultline check` re-judges the history of
 * a run, e.g. one a fuzz campaign saved, against a model of your choice.
 */
import type { HistoryEvent } from '../history.ts';
import { InputError } from '../../sim/errors.ts';
import { parseTrace } from '../../trace/codec.ts';
import type { HistoryModel } from './jepsen-edn.ts';

/**
 * Reads the `op` events of a trace's text.
 *
 * @throws InputError for a malformed trace (`file:line`), an invocation whose
 *   input is not an operation of `model`, or a trace without a history.
 */
export function parseFaultlineTrace(text: string, model: HistoryModel, displayPath: string): HistoryEvent[] {
  const trace = parseTrace(text, displayPath);
  const events: HistoryEvent[] = [];
  trace.events.forEach((event, index) => {
    if (event.kind !== 'op') return;
    // The header is line 1, so event i (0-based) is on line i + 2.
    const source = `${displayPath}:${index + 2}`;
    const base = { type: event.type, process: event.process, time: event.timeUs, source };
    if (event.type === 'invoke') {
      const problem = inputProblem(event.value, model);
      if (problem !== null) throw new InputError(`${source}: the invocation ${JSON.stringify(event.value)} is not a ${model} operation: ${problem}`);
      events.push({ ...base, input: event.value });
    } else if (event.type === 'ok' && event.value !== undefined) {
      events.push({ ...base, output: event.value });
    } else {
      events.push(base);
    }
  });
  if (events.length === 0) {
    throw new InputError(`${displayPath}: the trace holds no client history (no "op" events): its model records no operations with ctx.invoke`);
  }
  return events;
}

/** What is wrong with `input` as an operation of `model`, or null. */
function inputProblem(input: unknown, model: HistoryModel): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected an object with "f"';
  const op = input as Record<string, unknown>;
  const isValue = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'number';
  if (model === 'register') {
    if (op['f'] === 'read') return null;
    if (op['f'] === 'write') return isValue(op['value']) ? null : '"value" must be a number, string or null';
    if (op['f'] === 'cas') return isValue(op['from']) && isValue(op['to']) ? null : '"from" and "to" must be numbers, strings or null';
    return '"f" must be "read", "write" or "cas"';
  }
  if (typeof op['key'] !== 'string' && typeof op['key'] !== 'number') return '"key" must be a string or a number';
  if (op['f'] === 'get') return null;
  if (op['f'] === 'put' || op['f'] === 'append') return typeof op['value'] === 'string' ? null : '"value" must be a string';
  return '"f" must be "get", "put" or "append"';
}
