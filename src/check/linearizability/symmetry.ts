/**
 * Symmetry reduction: interchangeable operations are linearized in one fixed
 * order only.
 *
 * Take two operations x and y with the same input and the same outcome, where
 * y was called no later and returned no later than x. In any linearization
 * that places x before y, swapping the two gives another valid one: the
 * states along the way are unchanged (same input, same output), y fits at x's
 * earlier point (it was already called) and x at y's later point (it had not
 * yet returned). So the search may insist that y comes first. Jepsen-style
 * histories are full of such pairs: many reads of the same value, and timed
 * out writes of the same few values, whose return is "never".
 */
import type { Operation } from '../history.ts';
import { exactKey } from './value-key.ts';

/** Operations further back than this are not examined (keeps the setup linear). */
const LOOKBACK_MAX = 64;

/**
 * For each operation (by index in `operations`), the index of one operation
 * that must be linearized before it, or -1: the latest-called equivalent
 * operation that dominates it.
 */
export function requiredPredecessors(operations: readonly Operation[]): Int32Array {
  const predecessor = new Int32Array(operations.length).fill(-1);
  const groups = new Map<string, number[]>();
  for (const [index, operation] of operations.entries()) {
    const input = exactKey(operation.input);
    const output = operation.status === 'ok' ? exactKey(operation.output) : '?';
    // An input or output without an exact key is never grouped: missing a pair only costs speed.
    if (input === null || output === null) continue;
    const key = `${input}=${output}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => compareCalls(operations[a]!, operations[b]!) || a - b);
    for (let i = 1; i < group.length; i++) {
      const x = operations[group[i]!]!;
      for (let j = i - 1; j >= 0 && i - j <= LOOKBACK_MAX; j--) {
        if (operations[group[j]!]!.ret <= x.ret) {
          predecessor[group[i]!] = group[j]!;
          break;
        }
      }
    }
  }
  return predecessor;
}

/** Call time, then return time (the caller breaks the last tie by index, so every run agrees). */
function compareCalls(a: Operation, b: Operation): number {
  return a.call - b.call || (a.ret === b.ret ? 0 : a.ret < b.ret ? -1 : 1);
}
