/**
 * What the campaign hands a worker (one seed of one model) and what comes
 * back. Both cross a thread boundary, so they are plain data.
 */
import type { SimOptionsInput } from '../sim/options.ts';
import type { Failure } from '../sim/result.ts';

/** One seed of one model to run. */
export interface SeedTask {
  /** The model as the user named it: a bundled name or a path relative to the working directory. */
  modelRef: string;
  /** The campaign's options (the seed is set per task). */
  options: SimOptionsInput;
  seed: number;
  /** Folder for the trace of a failing seed, or null to write none (the second copy under --check-determinism). */
  traceDir: string | null;
}

/** The failure of a run, as the simulator reported it (its stack stays in the worker: the trace has the rest). */
export type RunFailure = Omit<Failure, 'stack'>;

/**
 * What a worker sends back for a task: the seed's outcome, or the message of
 * an error outside the model (loading it, writing its trace), sent as a value
 * so the campaign can tell it from a thread that died.
 */
export type TaskReply = { outcome: SeedOutcome } | { error: string };

/** What one seed did. */
export interface SeedOutcome {
  seed: number;
  /** The model's own name (traces are named after it). */
  modelName: string;
  /** Rolling hash of every event: two runs of a seed must agree on it. */
  traceHash: string;
  /** Virtual time the run covered, and scheduler steps. */
  endTimeUs: number;
  steps: number;
  failure: RunFailure | null;
  /** Where the failing seed's trace was written, or null. */
  tracePath: string | null;
  /** The hash of the traced re-run of a failing seed, when it differs from `traceHash` (the seed is nondeterministic). */
  retracedHash: string | null;
  /** Names of the `sometimes` properties this run saw. */
  sometimesSeen: string[];
}
