/**
 * What only the end of a run can tell: whether the `eventually` properties
 * hold once the run is over (after the liveness phase) and whether every
 * `sometimes` property was seen. Judged only when nothing failed before; the
 * first thing that does not hold becomes the run's failure.
 */
import type { PropertyChecker } from '../check/property-checker.ts';
import type { EndReason } from '../trace/events.ts';
import { formatDuration } from './duration.ts';
import type { Failures } from './failures.ts';
import type { SimOptions } from './options.ts';

/** Facts about the run's end that the messages quote. */
export interface RunEnd {
  reason: EndReason;
  endTimeUs: number;
  /** Trace events recorded so far. */
  events: number;
  /** Whether the liveness phase began (its `settle` event was recorded). */
  settled: boolean;
}

/** Judges the end of a run into `failures` (only call it when nothing has failed yet). */
export function judgeRunEnd(properties: PropertyChecker, failures: Failures, options: SimOptions, end: RunEnd): void {
  const failed = properties.checkEventually();
  if (failed !== null) {
    const message = `eventually property "${failed.name}" does not hold when the run ends (${end.reason} at ${formatDuration(end.endTimeUs)})${livenessNote(options, end)}`;
    failures.property(failed, 'liveness', message);
    return;
  }
  const neverSeen = properties.neverSeen();
  const first = neverSeen[0];
  if (options.sometimesScope === 'run' && first !== undefined) {
    const others = neverSeen.slice(1).map((name) => JSON.stringify(name));
    const also = others.length === 0 ? '' : `; also never seen: ${others.join(', ')}`;
    const message = `sometimes property "${first}" was never seen in this run (${end.events} events over ${formatDuration(end.endTimeUs)})${also}`;
    failures.property({ name: first, error: undefined }, 'liveness', message);
  }
}

/** Why faults may still have been at work when an `eventually` was judged. */
function livenessNote(options: SimOptions, end: RunEnd): string {
  const faultsOn = options.faults.crash !== null || options.faults.partition !== null;
  if (options.settleUs === 0) return faultsOn ? '; random faults were still on (no liveness phase: see settleUs, --settle)' : '';
  const settleStartUs = options.timeUs - options.settleUs;
  if (end.settled) return `, ${formatDuration(end.endTimeUs - settleStartUs)} into the liveness phase`;
  return `; the run ended before its liveness phase (from ${formatDuration(settleStartUs)})`;
}
