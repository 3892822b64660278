/**
 * The trace format: one JSON header line, then one JSON line per event. Every
 * decision the simulator makes appears here, in the order it was made.
 * Field names carry units (`timeUs`, `deliverAtUs`). Bump TRACE_VERSION on any
 * change a version-1 reader would misread.
 */
import type { SimOptions } from '../sim/options.ts';
import type { HistoryEventType } from '../check/history.ts';
import type { FaultPlanRecord } from '../faults/plan.ts';
import type { PartitionShape } from '../sim/network-options.ts';

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
  /**
   * Only when the run had a profile or a scenario: the profile, what its swarm
   * chose for this seed, and the scenario's size. For readers; replay uses `options`.
   */
  plan?: FaultPlanRecord;
}

/** Why the network did not deliver a message (`overflow`: a full link or inbox, see network.capacity). */
export type DropReason = 'loss' | 'partition' | 'node-down' | 'overflow';

/** Which of a node's traffic a clog holds. */
export type ClogDirection = 'inbound' | 'outbound' | 'both';

/** What a clog holds: a node's traffic in one direction (or both), or one directed link. */
export type ClogSpec = { node: NodeId; direction: ClogDirection } | { from: NodeId; to: NodeId };

/** Why a message waits instead of travelling: a clog (at the receiving end) or backpressure (at its sender). */
export type HoldReason = 'clog' | 'backpressure';

/** A path to one leaf of a JSON payload: object keys and array indices, from the top. */
export type JsonPath = (string | number)[];

/** One node's network load over a run (README, "Network faults"). */
export interface NodeLoad {
  /** Messages it sent (dropped ones included). */
  sent: number;
  /** Messages delivered to it (copies, forgeries and replays included). */
  received: number;
  /** Messages addressed to it that were dropped, for any reason. */
  dropped: number;
  /** Most messages in flight towards it at once (its inbox; messages held by a clog included). */
  queueDepthMax: number;
  /** Most messages towards it waiting at their senders at once (backpressure). */
  waitingMax: number;
}

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
 * Present (as `"by":"script"`) on a crash, restart, partition, heal, clog,
 * unclog, disk fill or free, pause, clock-skew or clock-jump that a
 * test's scripted step caused rather than the random fault plan; replay
 * re-applies these from the trace, since no option describes them.
 */
interface ScriptMark {
  by?: 'script';
}

/**
 * What a `disk-fault` event says happened to a node's disk: a read that
 * returned a corrupted value (`path` to the flipped leaf in the value, `bit`
 * as in src/storage/corrupt.ts), a put refused because the disk is full
 * (`bytes`: the value's JSON length, `freeBytes`: room left), or a disk made
 * full (`fill`) or given room again (`free`) by a scripted step or, for
 * `free`, by the start of the liveness phase.
 */
export type DiskFault =
  | { fault: 'corrupt-read'; key: string; path: (string | number)[]; bit: number }
  | { fault: 'full'; key: string; bytes: number; freeBytes: number }
  | { fault: 'fill' }
  | { fault: 'free' };

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
    /** `survivedWrites` (with `disk.crashLoss` 'torn' only): keys whose unsynced write reached the disk, sorted. */
    | ({ kind: 'crash'; node: NodeId; lostWrites: number; lostTimers: number; survivedWrites?: string[] } & ScriptMark)
    | ({ kind: 'restart'; node: NodeId } & ScriptMark)
    /**
     * `shape` is absent for a split into groups (the random `halves`, a
     * scripted partition(groups)); `asymmetric`: groups[0]'s messages to
     * groups[1] are dropped; `bridge`: the node(s) in both groups reach both.
     */
    | ({ kind: 'partition'; shape?: PartitionShape; groups: NodeId[][] } & ScriptMark)
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
    | ({ kind: 'disk-fault'; node: NodeId } & DiskFault & ScriptMark)
    | ({ kind: 'clog' } & ClogSpec & ScriptMark)
    | ({ kind: 'unclog' } & ClogSpec & ScriptMark)
    /** A message waits: a clog holds it where it would arrive, or backpressure holds it at its sender. */
    | { kind: 'hold'; from: NodeId; to: NodeId; msg: number; reason: HoldReason }
    /** A held message goes on; `deliverAtUs` null when the network dropped it on the way (a `drop` follows). */
    | { kind: 'release'; from: NodeId; to: NodeId; msg: number; deliverAtUs: number | null }
    /** The network changed one leaf of a payload on delivery; the `deliver` that follows carries the changed payload. */
    | { kind: 'corrupt'; from: NodeId; to: NodeId; msg: number; path: JsonPath; before: JsonValue; after: JsonValue }
    /** The adversary injected message `msg`: a copy of message `copyOf`'s payload, claiming to come from `from`. */
    | { kind: 'adversary'; action: 'forge' | 'replay'; from: NodeId; to: NodeId; msg: number; copyOf: number; deliverAtUs: number }
    /** The adversary changed one leaf of message `msg` in flight (every copy of it). */
    | { kind: 'adversary'; action: 'tamper'; from: NodeId; to: NodeId; msg: number; path: JsonPath; before: JsonValue; after: JsonValue }
    /** Each node's load over the run, just before `end` (only with network.capacity or network.trackLoad). */
    | { kind: 'load'; nodes: Record<NodeId, NodeLoad> }
    /** The node stops handling anything until `untilUs` (true time); a pause of a paused node may extend it. */
    | ({ kind: 'pause'; node: NodeId; durationUs: number; untilUs: number } & ScriptMark)
    /** The pause ends; what the node held (deliveries, due timers) runs next, in its original order. */
    | { kind: 'resume'; node: NodeId; heldMessages: number; heldTimers: number }
    /** The node's clock reads true time + `skewUs` now and runs `driftPpm` fast (at time 0 when clocks are on, or a scripted skew). */
    | ({ kind: 'clock-skew'; node: NodeId; skewUs: number; driftPpm: number } & ScriptMark)
    /** The node's clock steps by `deltaUs` (negative: back); `clockUs` is its reading after the step. */
    | ({ kind: 'clock-jump'; node: NodeId; deltaUs: number } & ScriptMark)
    /** A delivery that reached a paused node waits in its inbox until the resume (its payload is on the `send` line). */
    | { kind: 'pause-hold'; node: NodeId; from: NodeId; msg: number }
    /** A timer that came due on a paused node waits until the resume. */
    | { kind: 'pause-hold'; node: NodeId; timer: number }
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
  'disk-fault',
  'clog',
  'unclog',
  'hold',
  'release',
  'corrupt',
  'adversary',
  'load',
  'pause',
  'resume',
  'clock-skew',
  'clock-jump',
  'pause-hold',
];
