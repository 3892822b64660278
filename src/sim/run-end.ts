/**
 * What only the end of a run can tell, judged in this order and only when
 * nothing failed before: the model's history checkers (a violation is a
 * safety failure), its `eventually` properties (after the liveness phase) and
 * whether every `sometimes` property was seen (both liveness; `eventually` is
 * not judged when the run stopped before its liveness phase began). The first
 * thing that does not hold becomes the run's failure; nothing after it is
 * judged.
 */
import type { PropertyChecker } from '../check/property-checker.ts';
import { isCheckVerdict, type CheckResult, type HistoryChecker } from '../check/history-checker.ts';
import { pairOperations, type HistoryEvent } from '../check/history.ts';
import type { EndReason } from '../trace/events.ts';
import { formatDuration } from './duration.ts';
import { DeterminismError } from './errors.ts';
import type { Failures } from './failures.ts';
import type { SimOptions } from './options.ts';
import { show } from './show-value.ts';

/** Facts about the run's end that the messages quote. */
export interface RunEnd {
  reason: EndReason;
  endTimeUs: number;
  /** Trace events recorded so far. */
  events: number;
  /** Whether the liveness phase began (its `settle` event was recorded). */
  settled: boolean;
}

/** What is judged at the end. */
export interface EndJudges {
  properties: PropertyChecker;
  checkers: readonly HistoryChecker[];
  history: readonly HistoryEvent[];
}

/**
 * Judges the end of a run into `failures` (call it only when nothing has
 * failed yet) and returns each checker's verdict (null where not judged).
 * A judge that tripped the determinism guard stops the judging; the caller
 * turns the held violation into the failure.
 */
export function judgeRunEnd(judges: EndJudges, failures: Failures, options: SimOptions, end: RunEnd): CheckResult[] {
  const checks = runCheckers(judges.checkers, judges.history, failures);
  if (failures.failure !== null || failures.pending !== null) return checks;
  // A run stopped (by its event budget) before its liveness phase began never gave an
  // `eventually` the chance the model asked for: judging it would blame correct code.
  const livenessCut = options.settleUs > 0 && !end.settled;
  const failed = livenessCut ? null : judges.properties.checkEventually();
  if (failures.pending !== null) return checks;
  if (failed !== null) {
    const message = `eventually property "${failed.name}" does not hold when the run ends (${end.reason} at ${formatDuration(end.endTimeUs)})${livenessNote(options, end)}`;
    failures.property(failed, 'liveness', message);
    return checks;
  }
  const neverSeen = judges.properties.neverSeen();
  const first = neverSeen[0];
  if (options.sometimesScope === 'run' && first !== undefined) {
    const others = neverSeen.slice(1).map((name) => JSON.stringify(name));
    const also = others.length === 0 ? '' : `; also never seen: ${others.join(', ')}`;
    const message = `sometimes property "${first}" was never seen in this run (${end.events} events over ${formatDuration(end.endTimeUs)})${also}`;
    failures.property({ name: first, error: undefined }, 'liveness', message);
  }
  return checks;
}

/** Runs the checkers in order until one finds a violation (a safety failure), throws or misbehaves (a model crash). */
function runCheckers(checkers: readonly HistoryChecker[], history: readonly HistoryEvent[], failures: Failures): CheckResult[] {
  const results: CheckResult[] = checkers.map((checker) => ({ name: checker.name, verdict: null }));
  if (checkers.length === 0) return results;
  // Frozen copies: checkers are user code, and one must not change what the next one (or the result) sees.
  const operations = pairOperations(history).map((operation) => Object.freeze(operation));
  const frozenHistory = Object.freeze(history.slice());
  for (const [i, checker] of checkers.entries()) {
    const name = checker.name;
    let verdict: unknown;
    try {
      verdict = checker.check(operations, frozenHistory);
    } catch (error) {
      if (error instanceof DeterminismError) failures.crash(error, -1);
      else {
        const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        failures.fail('model-crash', name, -1, `history checker "${name}" threw ${what}`, error instanceof Error ? (error.stack ?? null) : null);
      }
      return results;
    }
    if (failures.pending !== null) return results;
    if (!isCheckVerdict(verdict)) {
      const expected = "{ verdict: 'ok' }, { verdict: 'violated', message } or { verdict: 'unknown', reason }";
      failures.fail('model-crash', name, -1, `history checker "${name}" returned ${show(verdict)}; expected ${expected}`, null);
      return results;
    }
    (results[i] as CheckResult).verdict = verdict;
    if (verdict.verdict === 'violated') {
      failures.fail('safety', name, -1, `history checker "${name}" found a violation:\n${verdict.message}`, null);
      return results;
    }
  }
  return results;
}

/** Why faults may still have been at work when an `eventually` was judged. */
function livenessNote(options: SimOptions, end: RunEnd): string {
  const faultsOn =
    options.faults.crash !== null || options.faults.partition !== null || options.faults.pause !== null || options.clocks?.jumps != null;
  if (options.settleUs === 0) return faultsOn ? '; random faults were still on (no liveness phase: see settleUs, --settle)' : '';
  // Only reached once the liveness phase began: an `eventually` is not judged before it.
  return `, ${formatDuration(end.endTimeUs - (options.timeUs - options.settleUs))} into the liveness phase`;
}
