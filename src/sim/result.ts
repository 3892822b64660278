/**
 * What a run returns: its outcome, the failure if any, counts, and the trace
 * hash that two runs must share to be the same run.
 */
import type { EndReason, FailureKind, NodeId, NodeLoad } from '../trace/events.ts';
import type { SimOptions } from './options.ts';
import type { SometimesResult } from '../check/property.ts';
import type { HistoryEvent } from '../check/history.ts';
import type { CheckResult } from '../check/history-checker.ts';
import type { FaultPlanRecord } from '../faults/plan.ts';

/** Why a run failed, and where. */
export interface Failure {
  kind: FailureKind;
  /** The property (or history checker) that failed, for safety and liveness failures. */
  property: string | null;
  /** The node whose handler was running, if any. */
  node: NodeId | null;
  message: string;
  /** Number of the trace event at which the failure was detected. */
  eventNumber: number;
  timeUs: number;
  /** Stack of the model's error, for model crashes (not for bad input). */
  stack: string | null;
}

/** Counts gathered during a run. */
export interface RunStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  timersFired: number;
  crashes: number;
  restarts: number;
  partitions: number;
  /** Reads that returned a corrupted value (`disk.readCorruptRate`). */
  corruptReads: number;
  /** Puts refused with DiskFullError. */
  diskFullPuts: number;
  /** Messages held by a clog or by backpressure (each time it was held). */
  held: number;
  /** Deliveries whose payload the network corrupted. */
  corrupted: number;
  /** Messages the adversary forged, replayed, and tampered with. */
  forged: number;
  replayed: number;
  tampered: number;
  /** Pauses begun (random or scripted; an extension of a pause counts). */
  pauses: number;
  /** Clock jumps (random or scripted). */
  clockJumps: number;
}

/** The result of one simulation run. */
export interface RunResult {
  /** The model as referenced (bundled name or path). */
  model: string;
  seed: number;
  options: SimOptions;
  outcome: 'pass' | 'fail';
  failure: Failure | null;
  endReason: EndReason;
  /** Trace events recorded (the `n` of the last one). */
  events: number;
  /** Scheduler events executed (a test's scripted steps are not counted). */
  steps: number;
  endTimeUs: number;
  /** Rolling hash of every event: equal hashes mean identical runs. */
  traceHash: string;
  stats: RunStats;
  /** Each `sometimes` property and where it was first seen (null: never). */
  sometimes: SometimesResult[];
  /**
   * The client history: every invoke and completion, in trace order, with
   * `time` in virtual microseconds and `source` naming its trace event (`event 412`).
   */
  history: HistoryEvent[];
  /** Each history checker of the model and its verdict (null when the run failed before it ended). */
  checks: CheckResult[];
  /** Only when the run had a profile or a scenario: what the swarm chose, and the scenario's size. */
  plan?: FaultPlanRecord;
  /** Each node's network load, by node id in node order: how overload and hot spots show up. */
  load: Record<NodeId, NodeLoad>;
}
