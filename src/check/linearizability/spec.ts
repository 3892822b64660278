/**
 * A sequential specification: what one copy of the object does when
 * operations are applied one at a time. The linearizability checker asks
 * whether a concurrent history could have come from some such order.
 */

/** Returned by {@link SequentialSpec.step} when the output is impossible from this state. */
export const ILLEGAL: unique symbol = Symbol('faultline.illegal');
/** The type of {@link ILLEGAL}. */
export type Illegal = typeof ILLEGAL;

/**
 * A user's sequential specification.
 *
 * `step` must be a pure function: the checker memoises its results per
 * (state, operation) and explores states in any order.
 */
export interface SequentialSpec<S, I, O> {
  /** Shown in reports, e.g. `register`. */
  readonly name: string;
  /** The state before any operation. */
  init(): S;
  /**
   * Apply `input` to `state`. `output` is what the client saw, or `undefined`
   * for an indeterminate (`info`) operation whose output nobody knows; then
   * accept it and return the state it would leave. Return {@link ILLEGAL}
   * when `output` could not have come from `state`.
   */
  step(state: S, input: I, output: O | undefined): S | Illegal;
  /**
   * A value that is equal for equal states (memoisation identity). Default:
   * the state itself when it is a string, number, boolean or null, else
   * `JSON.stringify(state)`.
   */
  stateKey?(state: S): string | number | boolean | null;
  /**
   * P-compositionality: operations on different partitions (keys) are checked
   * separately, which is exact for objects made of independent parts, like
   * the keys of a key-value store. Default: one partition.
   */
  partition?(input: I): string | number;
  /** One operation for a person, e.g. `cas(1, 2) -> ok`. */
  describeOperation?(input: I, output: O | undefined): string;
  /** One state for a person. Default: JSON. */
  describeState?(state: S): string;
}
