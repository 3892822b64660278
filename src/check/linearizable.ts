/**
 * `linearizable(spec)`: the linearizability checker as a model's history
 * checker, judged when a run ends. Inside a run only a state budget bounds
 * the search (a clock would make the verdict depend on the machine).
 */
import { formatDuration } from '../sim/duration.ts';
import type { CheckVerdict, HistoryChecker } from './history-checker.ts';
import { checkLinearizability, DEFAULT_MAX_STATES } from './linearizability/check.ts';
import type { SequentialSpec } from './linearizability/spec.ts';

/** Options of {@link linearizable}. */
export interface LinearizableOptions {
  /** The checker's name in reports. Default `linearizable (<spec name>)`. */
  name?: string;
  /** Configurations explored per partition before the verdict is "unknown". Default 2,000,000. */
  maxStates?: number;
}

/**
 * A history checker that fails the run (a safety failure) when the client
 * history is not linearizable with respect to `spec`, with the witness as
 * its message. Operations are placed by virtual time: two that touch at the
 * same microsecond count as concurrent (Porcupine's rule for equal times).
 */
export function linearizable<S, I, O>(spec: SequentialSpec<S, I, O>, options: LinearizableOptions = {}): HistoryChecker<I, O> {
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  return {
    name: options.name ?? `linearizable (${spec.name})`,
    check(operations): CheckVerdict {
      const result = checkLinearizability(operations, spec, { maxStates, formatTime: formatDuration });
      if (result.verdict === 'linearizable') return { verdict: 'ok' };
      if (result.verdict === 'unknown') return { verdict: 'unknown', reason: result.reason ?? 'budget exceeded' };
      return { verdict: 'violated', message: `the history of ${result.operations} operations is not linearizable:\n${(result.witness?.lines ?? []).join('\n')}` };
    },
  };
}
