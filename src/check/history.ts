/**
 * Client histories, the way Jepsen writes them: each process invokes an
 * operation and later sees it complete as `ok` (it happened, with this
 * output), `fail` (it certainly did not happen) or `info` (nobody knows: it
 * timed out, the connection dropped). A process has at most one operation in
 * flight. Checkers read the paired form, {@link Operation}.
 */
import { InputError } from '../sim/errors.ts';

/** What a history event says. */
export type HistoryEventType = 'invoke' | 'ok' | 'fail' | 'info';

/** One line of a history: an invocation or its completion. */
export interface HistoryEvent<I = unknown, O = unknown> {
  type: HistoryEventType;
  /** The client process (Jepsen's `:process`). */
  process: number;
  /** The operation's input; read on `invoke`. */
  input?: I;
  /** The operation's output; read on `ok`. */
  output?: O;
  /** When it happened: virtual µs in a run, the line number in a file. Never decreases. */
  time: number;
  /** Where it came from, for messages: `file:line`, or `event 412`. */
  source?: string;
}

/** An invocation paired with its completion: what a checker reads. */
export interface Operation<I = unknown, O = unknown> {
  /** Index in the paired history, 0-based. */
  id: number;
  process: number;
  input: I;
  /** `ok`: it happened and returned `output`; `info`: it may or may not have happened, output unknown. */
  status: 'ok' | 'info';
  output: O | undefined;
  /** Time of the invocation. */
  call: number;
  /** Time of the completion; `Infinity` for `info` (it may take effect any time after its call). */
  ret: number;
  /** Where the invocation came from, for messages. */
  source?: string;
}

/**
 * Pairs invocations with their completions. `fail` operations are left out
 * (they did not happen); `info` ones and invocations never completed become
 * indeterminate operations.
 *
 * @throws InputError when a completion has no pending invocation, a process
 *   invokes while its previous operation is in flight, or time goes backwards.
 */
export function pairOperations<I, O>(events: readonly HistoryEvent<I, O>[]): Operation<I, O>[] {
  const operations: Operation<I, O>[] = [];
  const pending = new Map<number, { event: HistoryEvent<I, O>; index: number }>();
  const slots: (Operation<I, O> | null)[] = [];
  let lastTime = -Infinity;
  for (const [index, event] of events.entries()) {
    const where = event.source ?? `event ${index + 1}`;
    if (event.time < lastTime) throw new InputError(`${where}: time goes backwards (${event.time} after ${lastTime})`);
    lastTime = event.time;
    const open = pending.get(event.process);
    if (event.type === 'invoke') {
      if (open !== undefined) {
        throw new InputError(`${where}: process ${event.process} invokes again while its operation from ${open.event.source ?? `event ${open.index + 1}`} is still in flight`);
      }
      pending.set(event.process, { event, index: slots.length });
      slots.push(null);
      continue;
    }
    if (open === undefined) {
      throw new InputError(`${where}: process ${event.process} completes (${event.type}) an operation it never invoked`);
    }
    pending.delete(event.process);
    if (event.type === 'fail') continue;
    slots[open.index] = makeOperation(open.event, event.type === 'ok' ? event : null);
  }
  for (const open of pending.values()) slots[open.index] = makeOperation(open.event, null);
  for (const slot of slots) {
    if (slot === null) continue;
    slot.id = operations.length;
    operations.push(slot);
  }
  return operations;
}

function makeOperation<I, O>(invoke: HistoryEvent<I, O>, ok: HistoryEvent<I, O> | null): Operation<I, O> {
  const operation: Operation<I, O> = {
    id: -1,
    process: invoke.process,
    input: invoke.input as I,
    status: ok === null ? 'info' : 'ok',
    output: ok === null ? undefined : ok.output,
    call: invoke.time,
    ret: ok === null ? Infinity : ok.time,
  };
  if (invoke.source !== undefined) operation.source = invoke.source;
  return operation;
}
