/**
 * The trace format: one JSON header line, then one JSON line per event. Every
 * decision the simulator makes appears here, in the order it was made.
 * Field names carry units (`timeUs`, `deliverAtUs`). Bump TRACE_VERSION on any
 * change a version-1 reader would misread.
 */
import type { SimOptions } from '../sim/options.ts';
import type { HistoryEventType } from '../check/history.ts';

/** Value of the header's `format` field. */
export const TRACE_FORMAT = 'faultline-trace';
/** The trace format version this build writes and reads. */
export const TRACE_VERSION = 1;

/** A node's name, e.g. `server0`. */
export type NodeId = string;

/** Plain JSON data: what messages, timer payloads, stored values and logs may hold. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** First line of every trace: enough to re-run it exactly. */
export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** Version of faultline that wrote the trace. */
  faultline: string;
  /** The model as the user named it: a bundled model's name or a path to a module. */
  model: string;
  /** The model's own `name`. */
  modelName: string;
  seed: number;
  /** Every option in effect, defaults included. */
  options: SimOptions;
}

/** Why the network did not deliver a message. */
export type DropReason = 'loss' | 'partition' | 'node-down';

/** Why a run stopped. */
export type EndReason = 'time-budget' | 'event-budget' | 'quiescent' | 'failure' | 'stopped';

/** The distinct kinds of failure (DESIGN.md, "Failure reports"). */
export type FailureKind = 'safety' | 'liveness' | 'model-crash' | 'nondeterminism';

interface EventBase {
  /** Event number, 1-based, in trace order. */
  n: number;
  /** True virtual time in microseconds. */
  timeUs: number;
  /**
   * The node's own clock then, in microseconds: present only while clocks are
   * on (the `clocks` option, or a test's scripted skew or jump), on the events
   * where a node's handler runs (start, restart, deliver, timer-fire) and on
   * clock-skew and clock-jump.
   */
  clockUs?: number;
}

/**
 * Present (as `"by":"script"`) on a crash, restart, partition, heal, pause,
 * clock-skew or clock-jump that a
 * test's scripted step caused rather than the random fault plan; replay
 * re-applies these from the trace, since no option describes them.
 */
interface ScriptMark {
  by?: 'script';
}

/** One line of a trace after the header. */
export type TraceEvent = EventBase &
  (
    | { kind: 'start'; node: NodeId }
    | { kind: 'send'; from: NodeId; to: NodeId; msg: number; deliverAtUs: number | null; payload: JsonValue }
    | { kind: 'deliver'; from: NodeId; to: NodeId; msg: number; payload: JsonValue }
    | { kind: 'drop'; from: NodeId; to: NodeId; msg: number; reason: DropReason; payload: JsonValue }
    | { kind: 'duplicate'; from: NodeId; to: NodeId; msg: number; copyOf: number; deliverAtUs: number }
    | { kind: 'timer-set'; node: NodeId; timer: number; fireAtUs: number; payload: JsonValue }
    | { kind: 'timer-fire'; node: NodeId; timer: number; payload: JsonValue }
    | { kind: 'timer-cancel'; node: NodeId; timer: number }
    | ({ kind: 'crash'; node: NodeId; lostWrites: number; lostTimers: number } & ScriptMark)
    | ({ kind: 'restart'; node: NodeId } & ScriptMark)
    | ({ kind: 'partition'; groups: NodeId[][] } & ScriptMark)
    | ({ kind: 'heal' } & ScriptMark)
    /** The liveness phase begins: random crashes and partitions stop; heals and restarts follow. */
    | { kind: 'settle' }
    /**
     * A client history event of `node`'s process `process`: `value` is the
     * input of an invoke and the output of an ok (absent otherwise, and on an
     * ok that gave none). An `info` that a crash caused follows its `crash`.
     */
    | { kind: 'op'; node: NodeId; process: number; type: HistoryEventType; value?: JsonValue }
    | { kind: 'log'; node: NodeId | null; text: string; data: JsonValue }
    | { kind: 'failure'; failure: FailureKind; property: string | null; node: NodeId | null; message: string }
    | { kind: 'end'; reason: EndReason; steps: number; hash: string }
    /** The node stops handling anything until `untilUs` (true time); a pause of a paused node may extend it. */
    | ({ kind: 'pause'; node: NodeId; durationUs: number; untilUs: number } & ScriptMark)
    /** The pause ends; what the node held (deliveries, due timers) runs next, in its original order. */
    | { kind: 'resume'; node: NodeId; heldMessages: number; heldTimers: number }
    /** The node's clock reads true time + `skewUs` now and runs `driftPpm` fast (at time 0 when clocks are on, or a scripted skew). */
    | ({ kind: 'clock-skew'; node: NodeId; skewUs: number; driftPpm: number } & ScriptMark)
    /** The node's clock steps by `deltaUs` (negative: back); `clockUs` is its reading after the step. */
    | ({ kind: 'clock-jump'; node: NodeId; deltaUs: number } & ScriptMark)
    /** A delivery that reached a paused node waits in its inbox until the resume (its payload is on the `send` line). */
    | { kind: 'hold'; node: NodeId; from: NodeId; msg: number }
    /** A timer that came due on a paused node waits until the resume. */
    | { kind: 'hold'; node: NodeId; timer: number }
  );

/** The `kind` values of trace events. */
export type TraceEventKind = TraceEvent['kind'];

/**
 * All event kinds, in a fixed order (their index is the kind's code in the
 * rolling hash, so new kinds go at the end: existing traces keep their hashes).
 */
export const TRACE_EVENT_KINDS: readonly TraceEventKind[] = [
  'start',
  'send',
  'deliver',
  'drop',
  'duplicate',
  'timer-set',
  'timer-fire',
  'timer-cancel',
  'crash',
  'restart',
  'partition',
  'heal',
  'log',
  'failure',
  'end',
  'settle',
  'op',
  'pause',
  'resume',
  'clock-skew',
  'clock-jump',
  'hold',
];
