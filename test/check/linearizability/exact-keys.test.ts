/**
 * Regression tests: equal inputs, outputs and states must be judged by exact
 * keys (src/check/linearizability/value-key.ts), never by JSON. These
 * histories once failed — JSON writes Infinity, -Infinity and NaN as `null`,
 * a Set or a Map as `{}`, and throws on a bigint — so the symmetry reduction
 * forced "interchangeable" operations into an order that turned a
 * linearizable history into a violation, or the check threw. Each verdict is
 * confirmed by the brute force.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../src/check/history.ts';
import { checkLinearizability } from '../../../src/check/linearizability/check.ts';
import { registerSpec, type RegisterInput, type RegisterOutput } from '../../../src/check/linearizability/register.ts';
import { ILLEGAL, type SequentialSpec } from '../../../src/check/linearizability/spec.ts';
import { kvSpec, type KvInput, type KvOutput } from '../../../src/check/linearizability/kv.ts';
import { bruteForceLinearizability } from '../../support/brute-force-linearizability.ts';

describe('exact keys for symmetry and states (once JSON.stringify)', () => {
  it('register: a read of Infinity and a read of null are not interchangeable', () => {
    // #0 read -> Infinity [0, 5], #1 read -> null [1, 10], #2 write(Infinity) [2, 3].
    // Linearizable: #1 (null, the initial value) at 1, #2 at 2, #0 at 4.
    // The checker groups #0 and #1 (both key `{"f":"read"}=null`); #0 was called and returned no later than #1,
    // so it insists on #0 before #1 — but #0 must follow the write and #1 precede it. (It once said not-linearizable.)
    const operations: Operation<RegisterInput, RegisterOutput>[] = [
      { id: 0, process: 0, input: { f: 'read' }, status: 'ok', output: Infinity, call: 0, ret: 5 },
      { id: 1, process: 1, input: { f: 'read' }, status: 'ok', output: null, call: 1, ret: 10 },
      { id: 2, process: 2, input: { f: 'write', value: Infinity }, status: 'ok', output: undefined, call: 2, ret: 3 },
    ];
    expect(bruteForceLinearizability(operations, registerSpec).linearizable).toBe(true);
    expect(checkLinearizability(operations, registerSpec).verdict).toBe('linearizable');
  });

  it('a user spec whose inputs hold a Set: writes of different sets are not interchangeable', () => {
    // A register of sets. #0 write({1}) [0, 5], #1 write({2}) [1, 10], #2 read -> {1} [11, 12].
    // Linearizable: #1 at 1, #0 at 4, #2 at 11 (the last write is {1}).
    // Both writes have the input key `{"f":"write","value":{}}`; #0 dominates #1, so the checker forces
    // #0 before #1, after which the register holds {2}. (It once said not-linearizable.)
    type SetInput = { f: 'write'; value: Set<number> } | { f: 'read' };
    const show = (set: Set<number>): string => [...set].sort().join(',');
    const setRegister: SequentialSpec<Set<number>, SetInput, Set<number> | undefined> = {
      name: 'set register',
      init: () => new Set(),
      step: (state, input, output) => {
        if (input.f === 'write') return input.value;
        return output === undefined || show(output) === show(state) ? state : ILLEGAL;
      },
      stateKey: show,
    };
    const operations: Operation<SetInput, Set<number> | undefined>[] = [
      { id: 0, process: 0, input: { f: 'write', value: new Set([1]) }, status: 'ok', output: undefined, call: 0, ret: 5 },
      { id: 1, process: 1, input: { f: 'write', value: new Set([2]) }, status: 'ok', output: undefined, call: 1, ret: 10 },
      { id: 2, process: 2, input: { f: 'read' }, status: 'ok', output: new Set([1]), call: 11, ret: 12 },
    ];
    expect(bruteForceLinearizability(operations, setRegister).linearizable).toBe(true);
    expect(checkLinearizability(operations, setRegister).verdict).toBe('linearizable');
  });

  it('a user spec with bigint inputs is checked, not thrown on (its custom stateKey avoids JSON for states)', () => {
    // One increment by 1n [0, 1]. Expected: linearizable. (It once threw TypeError "Do not know how to serialize a BigInt",
    // thrown by requiredPredecessors in symmetry.ts, although the spec never needs JSON.)
    type CounterInput = { f: 'add'; by: bigint };
    const counter: SequentialSpec<bigint, CounterInput, undefined> = {
      name: 'bigint counter',
      init: () => 0n,
      step: (state, input) => state + input.by,
      stateKey: (state) => state.toString(),
    };
    const operations: Operation<CounterInput, undefined>[] = [{ id: 0, process: 0, input: { f: 'add', by: 1n }, status: 'ok', output: undefined, call: 0, ret: 1 }];
    expect(bruteForceLinearizability(operations, counter).linearizable).toBe(true);
    expect(() => checkLinearizability(operations, counter)).not.toThrow();
  });

  it('a state of -0 is not the state 0 (a Map key would merge them)', () => {
    // #0 neg [1, 2] turns 0 into -0; #1 isNeg -> true [3, 4] sees it. Linearizable; it once said not.
    type SignInput = { f: 'neg' } | { f: 'isNeg' };
    const signedZero: SequentialSpec<number, SignInput, boolean | undefined> = {
      name: 'signed zero',
      init: () => 0,
      step: (s, input, output) => (input.f === 'neg' ? -s : output === undefined || output === Object.is(s, -0) ? s : ILLEGAL),
    };
    const operations: Operation<SignInput, boolean | undefined>[] = [
      { id: 0, process: 0, input: { f: 'neg' }, status: 'ok', output: undefined, call: 1, ret: 2 },
      { id: 1, process: 0, input: { f: 'isNeg' }, status: 'ok', output: true, call: 3, ret: 4 },
    ];
    expect(bruteForceLinearizability(operations, signedZero).linearizable).toBe(true);
    expect(checkLinearizability(operations, signedZero).verdict).toBe('linearizable');
  });

  it('kv: the keys 1 and "1" are different keys', () => {
    // put(1, "a") [0, 1], then get("1") -> "" [2, 3]: linearizable only if the keys differ.
    const operations: Operation<KvInput, KvOutput>[] = [
      { id: 0, process: 0, input: { f: 'put', key: 1, value: 'a' }, status: 'ok', output: undefined, call: 0, ret: 1 },
      { id: 1, process: 1, input: { f: 'get', key: '1' }, status: 'ok', output: '', call: 2, ret: 3 },
    ];
    const result = checkLinearizability(operations, kvSpec);
    expect(result.verdict).toBe('linearizable');
    expect(result.partitions).toBe(2);
  });
});
