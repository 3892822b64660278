/**
 * How a run goes wrong, and what is recorded when it does: the first failure
 * (safety, liveness, model crash, nondeterminism) is traced and kept; a determinism
 * violation or a misused ctx is held until the event ends, because the model
 * may have caught the error that announced it.
 */
import type { Recorder } from '../trace/recorder.ts';
import type { FailureKind, NodeId } from '../trace/events.ts';
import type { PropertyFailure } from '../check/property-checker.ts';
import { DeterminismError, ModelContractError } from './errors.ts';
import type { Failure } from './result.ts';

/** The failure state of one run. */
export class Failures {
  /** The run's failure, once there is one. */
  failure: Failure | null = null;
  /** The guard tripped (the model may have swallowed the error); fails the run after the event. */
  violation: DeterminismError | null = null;
  /** A node used its ctx outside its own handler; fails the run at the next event. */
  misuse: ModelContractError | null = null;
  /** Who was running when the guard tripped. */
  private violationNode = -1;

  constructor(
    private readonly recorder: Recorder,
    private readonly nodeIds: readonly NodeId[],
    private readonly clock: { readonly nowUs: number },
  ) {}

  /** The guard reports a violation by `node` (-1: a property or scripted step). The first one counts. */
  noteViolation(error: DeterminismError, node: number): void {
    if (this.violation !== null) return;
    this.violation = error;
    this.violationNode = node;
  }

  /** Something is held that must fail the run now. */
  get pending(): DeterminismError | ModelContractError | null {
    return this.violation ?? this.misuse;
  }

  /**
   * A property returned false (a failure of `kind`, with `message` or a default
   * one) or threw (a model crash, whatever its kind).
   */
  property(failed: PropertyFailure, kind: 'safety' | 'liveness' = 'safety', message?: string): void {
    if (failed.error === undefined) {
      this.fail(kind, failed.name, -1, message ?? `property "${failed.name}" does not hold`, null);
    } else if (!(failed.error instanceof DeterminismError)) {
      const error = failed.error;
      const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.fail('model-crash', failed.name, -1, `property "${failed.name}" threw ${what}`, error instanceof Error ? (error.stack ?? null) : null);
    }
  }

  /** Code run for `culprit` (-1: none) threw `error`: nondeterminism if the guard tripped, else a model crash. */
  crash(error: unknown, culprit: number): void {
    const violation = this.violation ?? (error instanceof DeterminismError ? error : null);
    if (violation !== null) {
      this.fail('nondeterminism', null, this.violation !== null ? this.violationNode : culprit, violation.message, null);
      return;
    }
    const contract = error instanceof ModelContractError;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : `threw ${String(error)}`;
    const where = culprit >= 0 ? `node ${this.nodeIds[culprit]} threw ` : 'threw ';
    const stack = error instanceof Error && !contract ? (error.stack ?? null) : null;
    this.fail('model-crash', null, culprit, contract ? (error as Error).message : where + message, stack);
  }

  /** Records the first failure in the trace and keeps it. */
  fail(kind: FailureKind, property: string | null, node: number, message: string, stack: string | null): void {
    if (this.failure !== null) return;
    const timeUs = this.clock.nowUs;
    this.recorder.failure(timeUs, kind, property, node, message);
    this.failure = {
      kind, property, node: node >= 0 ? (this.nodeIds[node] as NodeId) : null, message,
      eventNumber: this.recorder.count, timeUs, stack,
    };
  }
}
