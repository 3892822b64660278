/**
 * The search for one partition: Wing & Gong's backtracking over the history
 * with Lowe's memo of configurations (as Porcupine does it), plus two
 * reductions that keep the answer exact:
 *
 * - Indeterminate (`info`) operations are optional. Jepsen's reading is that
 *   they may or may not have happened, so the search succeeds once every
 *   completed operation is placed, and never places an optional one that
 *   would leave the state unchanged (leaving it out does as well).
 * - Interchangeable operations are placed in one order only
 *   (see symmetry.ts).
 *
 * The history is a doubly linked list of call and return entries in time
 * order, kept in typed arrays. Linearizing an operation lifts its entries out
 * of the list; backtracking puts them back (dancing links), so a step costs a
 * few array writes.
 */
import type { Operation } from '../history.ts';
import { ConfigCache } from './config-cache.ts';
import { requiredPredecessors } from './symmetry.ts';
import { NO_STATE, type Transitions } from './transitions.ts';

/** Limits on one search. */
export interface SearchBudget {
  /** Stop with "unknown" after this many distinct configurations. */
  maxStates: number;
  /** Stop with "unknown" once `nowMs()` passes this. */
  deadlineMs?: number;
  /** The clock `deadlineMs` is read against (the caller's: the checker reads no clock itself). */
  nowMs?: () => number;
}

/** What the search found. */
export type SearchOutcome =
  | { verdict: 'linearizable'; states: number }
  | { verdict: 'not-linearizable'; prefix: number[]; blocked: number; states: number }
  | { verdict: 'unknown'; reason: string; states: number };

/** How often (in loop turns) the deadline is read. */
const CLOCK_EVERY = 1 << 14;

/**
 * Searches for a linearization of `operations` (indices are positions in the array).
 *
 * One long function on purpose: the loop's state (depth, state id, the two
 * hash lanes, the cursor) lives in locals the JIT keeps in registers, and the
 * loop body is the whole algorithm in the order the paper gives it.
 */
export function searchPartition<S, I, O>(
  operations: readonly Operation<I, O>[],
  transitions: Transitions<S, I, O>,
  budget: SearchBudget,
): SearchOutcome {
  const count = operations.length;
  const list = buildEntryList(operations);
  const { next, prev, entryOp, isCall, retEntry, head, tail } = list;
  const optional = new Uint8Array(count);
  let definiteLeft = 0;
  for (let op = 0; op < count; op++) {
    if (operations[op]!.status === 'info') optional[op] = 1;
    else definiteLeft++;
  }
  if (definiteLeft === 0) return { verdict: 'linearizable', states: 0 };
  const definiteTotal = definiteLeft;
  const predecessor = requiredPredecessors(operations);
  const [zobristLow, zobristHigh] = zobristKeys(count);
  const words = (count + 31) >>> 5;
  const bits = new Uint32Array(words);
  const cache = new ConfigCache(words);
  const stackEntry = new Int32Array(count);
  const stackState = new Int32Array(count);
  let depth = 0;
  let state = 0;
  let hashLow = 0;
  let hashHigh = 0;
  let deepest: { prefix: number[]; blocked: number; placedDefinite: number } | null = null;
  let turns = 0;
  let entry = next[head]!;

  const lift = (e: number): void => {
    next[prev[e]!] = next[e]!;
    prev[next[e]!] = prev[e]!;
    const r = retEntry[entryOp[e]!]!;
    if (r >= 0) {
      next[prev[r]!] = next[r]!;
      prev[next[r]!] = prev[r]!;
    }
  };
  // Exactly the reverse of lift, so the list comes back as it was.
  const unlift = (e: number): void => {
    const r = retEntry[entryOp[e]!]!;
    if (r >= 0) {
      next[prev[r]!] = r;
      prev[next[r]!] = r;
    }
    next[prev[e]!] = e;
    prev[next[e]!] = e;
  };

  for (;;) {
    if (++turns === CLOCK_EVERY) {
      turns = 0;
      if (budget.nowMs !== undefined && budget.deadlineMs !== undefined && budget.nowMs() > budget.deadlineMs) {
        return { verdict: 'unknown', reason: 'time budget exceeded', states: cache.size };
      }
    }
    if (entry === tail) throw new Error('linearizability search ran off the history with completed operations unplaced');
    const op = entryOp[entry]!;
    if (isCall[entry] === 1) {
      const required = predecessor[op]!;
      if (required < 0 || (bits[required >>> 5]! & (1 << (required & 31))) !== 0) {
        const after = transitions.next(state, op);
        if (after !== NO_STATE && !(optional[op] === 1 && after === state)) {
          bits[op >>> 5]! ^= 1 << (op & 31);
          hashLow ^= zobristLow[op]!;
          hashHigh ^= zobristHigh[op]!;
          if (cache.add(bits, after, hashLow, hashHigh)) {
            stackEntry[depth] = entry;
            stackState[depth] = state;
            depth++;
            state = after;
            lift(entry);
            if (optional[op] === 0 && --definiteLeft === 0) {
              return { verdict: 'linearizable', states: cache.size };
            }
            if (cache.size >= budget.maxStates) {
              return { verdict: 'unknown', reason: `state budget of ${budget.maxStates} configurations exceeded`, states: cache.size };
            }
            entry = next[head]!;
            continue;
          }
          bits[op >>> 5]! ^= 1 << (op & 31);
          hashLow ^= zobristLow[op]!;
          hashHigh ^= zobristHigh[op]!;
        }
      }
      entry = next[entry]!;
      continue;
    }
    // The return of an operation not yet placed: every order from here is too late for it.
    // The witness: the dead end that placed the most completed operations, and among those the fewest
    // optional ones (an indeterminate write placed for nothing only muddles the state a person is shown).
    const placedDefinite = definiteTotal - definiteLeft;
    if (deepest === null || placedDefinite > deepest.placedDefinite || (placedDefinite === deepest.placedDefinite && depth < deepest.prefix.length)) {
      deepest = { prefix: stackOps(stackEntry, depth, entryOp), blocked: op, placedDefinite };
    }
    if (depth === 0) return { verdict: 'not-linearizable', prefix: deepest.prefix, blocked: deepest.blocked, states: cache.size };
    depth--;
    entry = stackEntry[depth]!;
    state = stackState[depth]!;
    const undone = entryOp[entry]!;
    bits[undone >>> 5]! ^= 1 << (undone & 31);
    hashLow ^= zobristLow[undone]!;
    hashHigh ^= zobristHigh[undone]!;
    if (optional[undone] === 0) definiteLeft++;
    unlift(entry);
    entry = next[entry]!;
  }
}

function stackOps(stackEntry: Int32Array, depth: number, entryOp: Int32Array): number[] {
  const ops: number[] = new Array<number>(depth);
  for (let i = 0; i < depth; i++) ops[i] = entryOp[stackEntry[i]!]!;
  return ops;
}

/** The history as a linked list of entries: calls of every operation, returns of completed ones. */
interface EntryList {
  next: Int32Array;
  prev: Int32Array;
  entryOp: Int32Array;
  isCall: Uint8Array;
  /** Per operation, its return entry, or -1 for an optional one (it never has to return). */
  retEntry: Int32Array;
  head: number;
  tail: number;
}

function buildEntryList(operations: readonly Operation[]): EntryList {
  const order: { op: number; call: boolean; time: number }[] = [];
  for (const [op, operation] of operations.entries()) {
    order.push({ op, call: true, time: operation.call });
    if (operation.status === 'ok') order.push({ op, call: false, time: operation.ret });
  }
  // Time, then calls before returns (operations touching at an instant overlap), then index: a total order.
  order.sort((a, b) => a.time - b.time || (a.call === b.call ? 0 : a.call ? -1 : 1) || a.op - b.op);
  const entries = order.length;
  const head = entries;
  const tail = entries + 1;
  const next = new Int32Array(entries + 2);
  const prev = new Int32Array(entries + 2);
  const entryOp = new Int32Array(entries);
  const isCall = new Uint8Array(entries);
  const retEntry = new Int32Array(operations.length).fill(-1);
  for (const [e, item] of order.entries()) {
    entryOp[e] = item.op;
    isCall[e] = item.call ? 1 : 0;
    if (!item.call) retEntry[item.op] = e;
    next[e] = e + 1 < entries ? e + 1 : tail;
    prev[e] = e > 0 ? e - 1 : head;
  }
  next[head] = entries > 0 ? 0 : tail;
  prev[tail] = entries > 0 ? entries - 1 : head;
  return { next, prev, entryOp, isCall, retEntry, head, tail };
}

/** Two fixed pseudo-random 32-bit keys per operation (xorshift from a constant seed: the same every run). */
function zobristKeys(count: number): [Int32Array, Int32Array] {
  const low = new Int32Array(count);
  const high = new Int32Array(count);
  let x = 0x2545f491;
  const draw = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
  for (let i = 0; i < count; i++) {
    low[i] = draw();
    high[i] = draw();
  }
  return [low, high];
}
