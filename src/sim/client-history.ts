/**
 * The client history of a run (Jepsen's): nodes acting as clients invoke
 * operations and complete them through their ctx. Every history event is a
 * trace event (`op`) and an entry of the run's history. Process ids follow
 * Jepsen: a process has at most one operation in flight, and once an
 * operation's outcome is unknown (an `info` completion, or a crash with the
 * operation in flight) its process is retired and the node continues as a
 * fresh one.
 */
import type { HistoryEvent, HistoryEventType } from '../check/history.ts';
import type { InFlightOperation } from '../node/model.ts';
import type { Recorder } from '../trace/recorder.ts';
import type { JsonValue, NodeId } from '../trace/events.ts';
import { ModelContractError } from './errors.ts';

/** How an operation can complete. */
export type Completion = Exclude<HistoryEventType, 'invoke'>;

const COMPLETIONS: readonly unknown[] = ['ok', 'fail', 'info'];

/** The operation a process has in flight, with the trace event that invoked it. */
interface Open extends InFlightOperation {
  readonly eventNumber: number;
}

/** The history of one run, and each node's current process. */
export class ClientHistory {
  /** Every history event so far, in trace order. */
  readonly events: HistoryEvent[] = [];
  /** Each node's current process id: its index at first, fresh ones after. */
  private readonly processes: number[];
  private readonly open: (Open | null)[];
  /** Fresh process ids count up from the number of nodes, so they never meet a node's first one. */
  private nextProcess: number;

  constructor(
    private readonly recorder: Recorder,
    private readonly ids: readonly NodeId[],
    private readonly clock: { readonly nowUs: number },
  ) {
    this.processes = ids.map((_, index) => index);
    this.open = ids.map(() => null);
    this.nextProcess = ids.length;
  }

  /** Node `node`'s current process id. */
  processOf(node: number): number {
    return this.processes[node] as number;
  }

  /** The operation `node`'s process has in flight, or null. */
  inFlight(node: number): InFlightOperation | null {
    const open = this.open[node] ?? null;
    return open === null ? null : { process: open.process, input: open.input, invokedAtUs: open.invokedAtUs };
  }

  /** Starts an operation for `node`'s process. Returns the process id. */
  invoke(node: number, input: JsonValue): number {
    const open = this.open[node];
    if (open != null) {
      throw new ModelContractError(
        `node ${this.ids[node]} called ctx.invoke() while process ${open.process} has an operation in flight (invoked at event ${open.eventNumber}); a process runs one operation at a time: complete it first`,
      );
    }
    const value = this.recorder.absorb(input, () => `the input of an operation invoked by ${this.ids[node]}`);
    const process = this.processOf(node);
    this.record(node, 'invoke', process, value);
    this.open[node] = { process, input: value, invokedAtUs: this.clock.nowUs, eventNumber: this.recorder.count };
    return process;
  }

  /** Completes the operation `node`'s process has in flight. */
  complete(node: number, type: unknown, output: JsonValue | undefined): void {
    const who = this.ids[node];
    if (!COMPLETIONS.includes(type)) {
      throw new ModelContractError(`node ${who} called ctx.complete(${describe(type)}); the outcome must be 'ok', 'fail' or 'info'`);
    }
    const completion = type as Completion;
    const open = this.open[node];
    if (open == null) throw new ModelContractError(`node ${who} called ctx.complete('${completion}') with no operation in flight; ctx.invoke() one first`);
    if (completion !== 'ok' && output !== undefined) {
      throw new ModelContractError(`node ${who} called ctx.complete('${completion}', output); only an 'ok' completion carries an output`);
    }
    const value = output === undefined ? undefined : this.recorder.absorb(output, () => `the output of an operation completed by ${who}`);
    this.record(node, completion, open.process, value);
    this.open[node] = null;
    if (completion === 'info') this.retire(node);
  }

  /** `node` crashed: an operation in flight ends as `info` (recorded now), and the node continues as a fresh process. */
  crashed(node: number): void {
    const open = this.open[node];
    if (open == null) return;
    this.record(node, 'info', open.process, undefined);
    this.open[node] = null;
    this.retire(node);
  }

  private retire(node: number): void {
    this.processes[node] = this.nextProcess++;
  }

  private record(node: number, type: HistoryEventType, process: number, value: JsonValue | undefined): void {
    const timeUs = this.clock.nowUs;
    this.recorder.op(timeUs, node, type, process, value);
    const event: HistoryEvent = { type, process, time: timeUs, source: `event ${this.recorder.count}` };
    if (type === 'invoke') event.input = value;
    else if (type === 'ok' && value !== undefined) event.output = value;
    // Frozen: properties read the history through their view and must not change it.
    this.events.push(Object.freeze(event));
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
