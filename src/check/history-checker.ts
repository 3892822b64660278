/**
 * History checkers: judges of a run's client history (see history.ts), run
 * once when the run ends, such as a linearizability checker. A model declares
 * them in `checkers`; each returns a verdict. `violated` fails the run as a
 * safety failure named by the checker; `unknown` (the checker ran out of
 * budget, or cannot judge this history) is reported but does not fail it.
 *
 * Checkers run inside the simulation, under its determinism guard: a verdict
 * is part of the run's outcome and trace, so it may not depend on real time.
 * Bound a search by a count of states, not by a clock.
 */
import type { HistoryEvent, Operation } from './history.ts';

/** What a checker concludes about a history. */
export type CheckVerdict =
  | { readonly verdict: 'ok' }
  /** The history breaks the checked property; `message` explains how (several lines are fine). */
  | { readonly verdict: 'violated'; readonly message: string }
  /** No verdict either way; `reason` says why (a budget ran out, the history is beyond the checker). */
  | { readonly verdict: 'unknown'; readonly reason: string };

/** A judge of a run's client history. I: operation inputs, O: outputs. */
export interface HistoryChecker<I = unknown, O = unknown> {
  /** Names the checker in reports, results and the failure. Unique within a model. */
  readonly name: string;
  /**
   * Judges the history of the whole run. `operations` are the paired
   * operations (pairOperations: `fail` ones left out, `info` and unfinished ones
   * indeterminate); `history` is every event in order, for checkers that need more.
   */
  check(operations: readonly Operation<I, O>[], history: readonly HistoryEvent<I, O>[]): CheckVerdict;
}

/** A checker's verdict as a run reports it. */
export interface CheckResult {
  name: string;
  /** Null when it was not judged: the run failed before it ended. */
  verdict: CheckVerdict | null;
}

/** Whether `value` is a well-formed verdict (checkers are user code). */
export function isCheckVerdict(value: unknown): value is CheckVerdict {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v['verdict'] === 'ok') return true;
  if (v['verdict'] === 'violated') return typeof v['message'] === 'string';
  if (v['verdict'] === 'unknown') return typeof v['reason'] === 'string';
  return false;
}
