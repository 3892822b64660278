/**
 * Linearizability checking of a client history against a sequential
 * specification: split the history into independent partitions (keys), search
 * each for a linearization, and explain the first one that has none.
 */
import type { Operation } from '../history.ts';
import { InputError } from '../../sim/errors.ts';
import { searchPartition, type SearchBudget } from './search.ts';
import type { SequentialSpec } from './spec.ts';
import { Transitions } from './transitions.ts';
import { buildWitness, type Witness } from './witness.ts';

/** Limits on a check (whichever is reached first makes the verdict "unknown"), and how to show times. */
export interface CheckOptions {
  /**
   * Distinct configurations (linearized set, state) explored per partition.
   * Default 2,000,000: measured at ~220 MB of peak memory on a 60-operation
   * register history, up to ~600 MB on key-value histories with long values.
   */
  maxStates?: number;
  /** Real-time budget in milliseconds, read from `nowMs` (leave both out inside a simulation: they are not deterministic). */
  timeBudgetMs?: number;
  /** The clock for `timeBudgetMs`, in ms (the CLI passes the real clock; a run must never). */
  nowMs?: () => number;
  /** How the witness shows an operation's call and return times (default: the number). */
  formatTime?: (time: number) => string;
}

/** The checker's answer. */
export interface LinearizabilityResult<I = unknown, O = unknown> {
  verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  /** Why the verdict is unknown. */
  reason: string | null;
  /** Operations checked (indeterminate ones included, failed ones never reach the checker). */
  operations: number;
  /** Independent partitions the history was split into. */
  partitions: number;
  /** Configurations explored, over all partitions searched. */
  statesExplored: number;
  /** When not linearizable: what could not be placed, and the furthest order that could. */
  witness: Witness<I, O> | null;
}

/** The default for {@link CheckOptions.maxStates}. */
export const DEFAULT_MAX_STATES = 2_000_000;

/**
 * Checks that `operations` (from {@link pairOperations}) are linearizable
 * with respect to `spec`. Partitions are searched smallest first, and the
 * first one that is not linearizable ends the check.
 */
export function checkLinearizability<S, I, O>(
  operations: readonly Operation<I, O>[],
  spec: SequentialSpec<S, I, O>,
  budget: CheckOptions = {},
): LinearizabilityResult<I, O> {
  validateOperations(operations);
  const parts = partition(operations, spec);
  const searchBudget: SearchBudget = { maxStates: budget.maxStates ?? DEFAULT_MAX_STATES };
  if (budget.timeBudgetMs !== undefined && budget.nowMs !== undefined) {
    searchBudget.nowMs = budget.nowMs;
    searchBudget.deadlineMs = budget.nowMs() + budget.timeBudgetMs;
  }
  const result: LinearizabilityResult<I, O> = {
    verdict: 'linearizable',
    reason: null,
    operations: operations.length,
    partitions: parts.length,
    statesExplored: 0,
    witness: null,
  };
  for (const part of parts) {
    const transitions = new Transitions(spec, part.operations);
    const outcome = searchPartition(part.operations, transitions, searchBudget);
    result.statesExplored += outcome.states;
    if (outcome.verdict === 'not-linearizable') {
      result.verdict = 'not-linearizable';
      result.reason = null;
      result.witness = buildWitness(part.key, part.operations, outcome.prefix, outcome.blocked, spec, budget.formatTime);
      return result;
    }
    if (outcome.verdict === 'unknown' && result.verdict === 'linearizable') {
      result.verdict = 'unknown';
      result.reason = parts.length > 1 ? `${outcome.reason} (partition ${JSON.stringify(part.key)})` : outcome.reason;
    }
  }
  return result;
}

/** Operations built by hand (not by pairOperations) may be malformed; say which one and how. */
function validateOperations(operations: readonly Operation[]): void {
  for (const [index, operation] of operations.entries()) {
    const where = `operations[${index}]${operation.source !== undefined ? ` (${operation.source})` : ''}`;
    if (operation.status !== 'ok' && operation.status !== 'info') throw new InputError(`${where}: status must be 'ok' or 'info', got ${JSON.stringify(operation.status)}`);
    if (!Number.isFinite(operation.call)) throw new InputError(`${where}: call time must be a finite number, got ${operation.call}`);
    if (!(operation.ret >= operation.call)) throw new InputError(`${where}: returns (${operation.ret}) before it is called (${operation.call})`);
    if (operation.status === 'ok' && operation.ret === Infinity) throw new InputError(`${where}: an ok operation needs a finite return time`);
  }
}

interface Part<I, O> {
  key: string | number | null;
  operations: Operation<I, O>[];
}

function partition<S, I, O>(operations: readonly Operation<I, O>[], spec: SequentialSpec<S, I, O>): Part<I, O>[] {
  if (spec.partition === undefined) return [{ key: null, operations: [...operations] }];
  const byKey = new Map<string | number, Operation<I, O>[]>();
  for (const operation of operations) {
    const key = spec.partition(operation.input);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [operation]);
    else list.push(operation);
  }
  const parts = [...byKey].map(([key, list]) => ({ key, operations: list }));
  // Smallest first: a small partition that fails ends the check early. Ties by first operation, so the order is fixed.
  parts.sort((a, b) => a.operations.length - b.operations.length || a.operations[0]!.id - b.operations[0]!.id);
  return parts;
}
