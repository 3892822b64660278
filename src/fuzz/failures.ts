/**
 * A campaign's failures: one record per failing seed (and per kind: a seed can
 * fail its property and also differ between two workers), a signature that
 * groups failures of the same cause, and the campaign's exit code.
 */
import { ExitCode } from '../sim/errors.ts';
import type { FailureKind } from '../trace/events.ts';

/**
 * The simulator's failure kinds, plus two that only a campaign sees:
 * `worker-crash` (the worker thread died or failed outside the model while
 * running the seed) and `mismatch` (two runs of the seed gave different traces).
 */
export type FuzzFailureKind = FailureKind | 'worker-crash' | 'mismatch';

/** One failure of one seed. */
export interface FuzzFailure {
  /** The model as the user named it. */
  model: string;
  seed: number;
  kind: FuzzFailureKind;
  property: string | null;
  /** The cause with its numbers masked, so seeds failing the same way group together. */
  signature: string;
  message: string;
  /** Trace event and virtual time of the failure, when a run reported it. */
  eventNumber: number | null;
  timeUs: number | null;
  /** The trace written for it, or null (a worker crash, or a mismatch of a passing seed). */
  tracePath: string | null;
  /** The exact command that replays (or, without a trace, re-runs) the seed. */
  replay: string;
  /** The command that opens the trace in `faultline view` (an HTML page next to it), or null without a trace. */
  view: string | null;
}

/** Failures that share model, kind, property and signature. */
export interface FailureGroup {
  model: string;
  kind: FuzzFailureKind;
  property: string | null;
  signature: string;
  count: number;
  /** Their seeds, ascending. */
  seeds: number[];
}

/** Longest signature kept. */
const SIGNATURE_CHARS = 160;

/**
 * The first line of a failure message with every number replaced by `N`
 * (seeds, values, node indexes, times differ between seeds that fail alike).
 */
export function signatureOf(message: string): string {
  const first = (message.split('\n')[0] ?? '').replace(/\d+(\.\d+)?/g, 'N').replace(/\s+/g, ' ').trim();
  return first.length > SIGNATURE_CHARS ? `${first.slice(0, SIGNATURE_CHARS - 3)}...` : first;
}

/** Failures in report order: by the model's place in `models`, then seed, then kind. */
export function sortFailures(failures: readonly FuzzFailure[], models: readonly string[]): FuzzFailure[] {
  const place = (model: string): number => models.indexOf(model);
  return [...failures].sort((a, b) => place(a.model) - place(b.model) || a.seed - b.seed || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** Groups failures by model, kind, property and signature: the largest group first, ties by first seed. */
export function groupFailures(failures: readonly FuzzFailure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const failure of failures) {
    const key = JSON.stringify([failure.model, failure.kind, failure.property, failure.signature]);
    let group = groups.get(key);
    if (group === undefined) {
      group = { model: failure.model, kind: failure.kind, property: failure.property, signature: failure.signature, count: 0, seeds: [] };
      groups.set(key, group);
    }
    group.count++;
    group.seeds.push(failure.seed);
  }
  for (const group of groups.values()) group.seeds.sort((a, b) => a - b);
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.seeds[0] ?? 0) - (b.seeds[0] ?? 0) || (a.signature < b.signature ? -1 : 1));
}

/** 0 when nothing failed; 3 when a model crashed, a worker died or a seed was nondeterministic; 1 otherwise. */
export function campaignExitCode(failures: readonly FuzzFailure[]): number {
  if (failures.length === 0) return ExitCode.pass;
  const crash = failures.some((f) => f.kind !== 'safety' && f.kind !== 'liveness');
  return crash ? ExitCode.modelCrashOrNondeterminism : ExitCode.propertyFailed;
}
