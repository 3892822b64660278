/**
 * The specification as the search sees it: states are small integers and each
 * (state, operation) step is computed once. The search tries the same step
 * from the same state many times over (that is what backtracking does), a
 * user's `step` may allocate, and comparing integers is cheaper than
 * comparing states (a key-value store's state is a long string), so each
 * state is interned once and each step runs once per pair.
 */
import type { Operation } from '../history.ts';
import { ILLEGAL, type SequentialSpec } from './spec.ts';
import { exactKey } from './value-key.ts';

/** Result of {@link Transitions.next} when the step is illegal. */
export const NO_STATE = -1;

/** Keys longer than this are not interned (see `intern`). */
const LONG_KEY_CHARS = 128;
/** Cells of the dense memo rows over all operations (4 bytes each): 4 M cells, 16 MB at most. */
const DENSE_CELLS_MAX = 1 << 22;

/** The key standing in for -0 (a string no exact key or number can be). */
const NEGATIVE_ZERO_KEY = '\u0002-0';

/** A state key: equal for equal states. */
export type StateKey = string | number | boolean | null;

/** Interned states and memoised steps for one history partition. */
export class Transitions<S, I, O> {
  /** Every state met so far; its index is its id. State 0 is the initial state. */
  readonly states: S[] = [];
  private readonly ids = new Map<StateKey, number>();
  /** Per operation, next state id by state id for the first `denseStates` states (-2: not computed yet). */
  private readonly memo: Int32Array[];
  /** Steps from states beyond the dense rows: many states (long key-value strings) would make dense rows huge. */
  private readonly sparse = new Map<number, number>();
  private readonly denseStates: number;
  private readonly keyOf: (state: S) => StateKey | undefined;
  private readonly outputs: (O | undefined)[];

  constructor(
    private readonly spec: SequentialSpec<S, I, O>,
    private readonly operations: readonly Operation<I, O>[],
  ) {
    this.keyOf = stateKeyFunction(spec);
    // An indeterminate operation's output is unknown, whatever the history says.
    this.outputs = operations.map((operation) => (operation.status === 'ok' ? operation.output : undefined));
    this.memo = operations.map(() => new Int32Array(8).fill(-2));
    this.denseStates = Math.max(64, Math.floor(DENSE_CELLS_MAX / Math.max(1, operations.length)));
    this.intern(spec.init());
  }

  /** The state id after operation `op` (index into the partition) from state `state`, or NO_STATE. */
  next(state: number, op: number): number {
    if (state >= this.denseStates) return this.nextSparse(state, op);
    let row = this.memo[op]!;
    if (state < row.length) {
      const known = row[state]!;
      if (known !== -2) return known;
    } else {
      const grown = new Int32Array(Math.min(this.denseStates, Math.max(row.length * 2, state + 1))).fill(-2);
      grown.set(row);
      this.memo[op] = row = grown;
    }
    const id = this.step(state, op);
    row[state] = id;
    return id;
  }

  private nextSparse(state: number, op: number): number {
    const key = state * this.operations.length + op;
    const known = this.sparse.get(key);
    if (known !== undefined) return known;
    const id = this.step(state, op);
    this.sparse.set(key, id);
    return id;
  }

  private step(state: number, op: number): number {
    const before = this.states[state]!;
    const after = this.spec.step(before, this.operations[op]!.input, this.outputs[op]);
    if (after === ILLEGAL) return NO_STATE;
    // A step that leaves the state as it was (a read) keeps its id without a lookup.
    return Object.is(after, before) ? state : this.intern(after);
  }

  private intern(state: S): number {
    const raw = this.keyOf(state);
    // A Map treats -0 and 0 as one key, yet a step can tell them apart (Object.is).
    const key = raw === 0 && Object.is(raw, -0) ? NEGATIVE_ZERO_KEY : raw;
    // A long string key (a key-value store's value after many appends) is not
    // looked up: hashing it costs more than the lookup saves, since the memo
    // already gives the same id to the same state reached by the same steps.
    // Neither is a state without an exact key. A fresh id can only split
    // equal states, never merge different ones, so the verdict stays exact;
    // only some memoisation is lost.
    const long = key === undefined || (typeof key === 'string' && key.length > LONG_KEY_CHARS);
    if (!long) {
      const known = this.ids.get(key);
      if (known !== undefined) return known;
    }
    const id = this.states.length;
    this.states.push(state);
    if (!long) this.ids.set(key!, id);
    return id;
  }
}

/**
 * The spec's state key, or the default: a primitive state is its own key,
 * anything else its exact key (see value-key.ts), or null when it has none —
 * then the state is never looked up (a fresh id each time: exact, only slower).
 */
function stateKeyFunction<S>(spec: { stateKey?: (state: S) => StateKey }): (state: S) => StateKey | undefined {
  if (spec.stateKey !== undefined) return spec.stateKey;
  return (state) => {
    if (state === null || typeof state === 'string' || typeof state === 'number' || typeof state === 'boolean') return state as StateKey;
    // The prefix keeps an object's key apart from a string state that spells the same text.
    const key = exactKey(state);
    return key === null ? undefined : `\u0001${key}`;
  };
}
