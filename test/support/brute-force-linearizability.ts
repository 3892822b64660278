/**
 * An obviously-correct linearizability checker for tiny histories, to hold
 * the real one to. It shares no code with src/check/linearizability beyond
 * the spec interface: for every subset of the indeterminate (`info`)
 * operations it tries every order of those plus all completed operations, and
 * accepts an order that respects real time (a before b whenever a returned
 * before b was called) and in which every step is legal from the initial
 * state. An `info` operation's output is unknown, so its step gets `undefined`.
 *
 * Orders are built one operation at a time and a prefix that already breaks a
 * rule is dropped: that skips exactly the permutations that would be rejected
 * anyway, and keeps eight operations fast.
 */
import type { Operation } from '../../src/check/history.ts';
import type { KvInput, KvOutput } from '../../src/check/linearizability/kv.ts';
import { ILLEGAL, type SequentialSpec } from '../../src/check/linearizability/spec.ts';

/** The most operations the brute force accepts (8! orders times 2^info subsets is still quick). */
export const BRUTE_FORCE_OPERATIONS_MAX = 8;

/** The brute force's answer: a linearization (indices into the operations array) or null. */
export interface BruteForceResult {
  linearizable: boolean;
  order: number[] | null;
}

/** Decides linearizability of `operations` by trying every subset of info operations and every order. */
export function bruteForceLinearizability<S, I, O>(
  operations: readonly Operation<I, O>[],
  spec: SequentialSpec<S, I, O>,
): BruteForceResult {
  if (operations.length > BRUTE_FORCE_OPERATIONS_MAX) throw new Error(`brute force takes at most ${BRUTE_FORCE_OPERATIONS_MAX} operations`);
  const completed = [...operations.keys()].filter((op) => operations[op]!.status === 'ok');
  const indeterminate = [...operations.keys()].filter((op) => operations[op]!.status === 'info');
  for (let subset = 0; subset < 1 << indeterminate.length; subset++) {
    const included = [...completed, ...indeterminate.filter((_, bit) => (subset & (1 << bit)) !== 0)];
    const order = findOrder(operations, spec, included, [], spec.init());
    if (order !== null) return { linearizable: true, order };
  }
  return { linearizable: false, order: null };
}

/** Depth-first over every order of `remaining` that extends `placed` from `state`. */
function findOrder<S, I, O>(
  operations: readonly Operation<I, O>[],
  spec: SequentialSpec<S, I, O>,
  remaining: readonly number[],
  placed: readonly number[],
  state: S,
): number[] | null {
  if (remaining.length === 0) return [...placed];
  for (const op of remaining) {
    const others = remaining.filter((other) => other !== op);
    // Real time: nothing still to be placed may have returned before `op` was called.
    if (others.some((other) => operations[other]!.ret < operations[op]!.call)) continue;
    const after = stepOf(spec, state, operations[op]!);
    if (after === ILLEGAL) continue;
    const order = findOrder(operations, spec, others, [...placed, op], after);
    if (order !== null) return order;
  }
  return null;
}

function stepOf<S, I, O>(spec: SequentialSpec<S, I, O>, state: S, operation: Operation<I, O>): S | typeof ILLEGAL {
  return spec.step(state, operation.input, operation.status === 'ok' ? operation.output : undefined);
}

/**
 * Whether `order` (operations, in order) could begin a linearization: each
 * step is legal from the initial state, the order respects real time among
 * its members, and no completed operation left out returned before a member
 * was called (it would have had to come first).
 */
export function isValidPartialOrder<S, I, O>(
  operations: readonly Operation<I, O>[],
  order: readonly Operation<I, O>[],
  spec: SequentialSpec<S, I, O>,
): boolean {
  let state = spec.init();
  for (const [position, operation] of order.entries()) {
    const after = stepOf(spec, state, operation);
    if (after === ILLEGAL) return false;
    state = after;
    const later = order.slice(position + 1);
    if (later.some((other) => other.ret < operation.call)) return false;
  }
  const members = new Set(order);
  const leftOut = operations.filter((operation) => !members.has(operation) && operation.status === 'ok');
  return !leftOut.some((outside) => order.some((member) => outside.ret < member.call));
}

/**
 * A whole key-value store as one sequential object (a map from key to
 * string), with no partition function: the brute force then checks the store
 * as a whole, independently of the checker's per-key split.
 */
export const kvStoreSpec: SequentialSpec<Record<string, string>, KvInput, KvOutput> = {
  name: 'kv-store',
  init: () => ({}),
  step(state, input, output) {
    const current = state[input.key] ?? '';
    switch (input.f) {
      case 'get':
        return output === undefined || output === current ? state : ILLEGAL;
      case 'put':
        return { ...state, [input.key]: input.value };
      case 'append':
        return { ...state, [input.key]: current + input.value };
    }
  },
};
