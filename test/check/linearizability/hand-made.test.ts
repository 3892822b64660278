/**
 * Small histories whose verdict can be argued by hand; the argument is the
 * comment above each. Every history of at most eight operations is also put
 * to the brute force (test/support), so a wrong argument fails too.
 *
 * Operations are written as `ok(call, ret, input, output)` and
 * `info(call, input)`; ids and processes are positions in the list.
 */
import { describe, expect, it } from 'vitest';
import { pairOperations, type HistoryEvent, type Operation } from '../../../src/check/history.ts';
import { checkLinearizability, type LinearizabilityResult } from '../../../src/check/linearizability/check.ts';
import { kvSpec, type KvInput, type KvOutput } from '../../../src/check/linearizability/kv.ts';
import { registerSpec, type RegisterInput, type RegisterOutput, type RegisterValue } from '../../../src/check/linearizability/register.ts';
import { ILLEGAL, type SequentialSpec } from '../../../src/check/linearizability/spec.ts';
import { BRUTE_FORCE_OPERATIONS_MAX, bruteForceLinearizability, isValidPartialOrder, kvStoreSpec } from '../../support/brute-force-linearizability.ts';

type Planned<I, O> = Omit<Operation<I, O>, 'id' | 'process'>;
type Verdict = LinearizabilityResult['verdict'];

const ok = <I, O>(call: number, ret: number, input: I, output?: O): Planned<I, O> => ({ status: 'ok', call, ret, input, output });
const info = <I, O>(call: number, input: I): Planned<I, O> => ({ status: 'info', call, ret: Infinity, input, output: undefined });
const history = <I, O>(...planned: Planned<I, O>[]): Operation<I, O>[] => planned.map((operation, id) => ({ id, process: id, ...operation }));

const R: RegisterInput = { f: 'read' };
const W = (value: RegisterValue): RegisterInput => ({ f: 'write', value });
const CAS = (from: RegisterValue, to: RegisterValue): RegisterInput => ({ f: 'cas', from, to });
type RegisterOp = Planned<RegisterInput, RegisterOutput>;
const register = (...planned: RegisterOp[]): Operation<RegisterInput, RegisterOutput>[] => history(...planned);

const GET = (key: string): KvInput => ({ f: 'get', key });
const PUT = (key: string, value: string): KvInput => ({ f: 'put', key, value });
const APPEND = (key: string, value: string): KvInput => ({ f: 'append', key, value });
const kv = (...planned: Planned<KvInput, KvOutput>[]): Operation<KvInput, KvOutput>[] => history(...planned);

/** Checks, asserts the verdict, and holds the brute force (on `bruteSpec`, default `spec`) to the same verdict. */
function expectVerdict<S, I, O>(
  operations: Operation<I, O>[],
  spec: SequentialSpec<S, I, O>,
  verdict: Verdict,
  bruteSpec: SequentialSpec<unknown, I, O> = spec as SequentialSpec<unknown, I, O>,
): LinearizabilityResult<I, O> {
  const result = checkLinearizability(operations, spec);
  expect(result.verdict).toBe(verdict);
  if (operations.length <= BRUTE_FORCE_OPERATIONS_MAX) {
    expect(bruteForceLinearizability(operations, bruteSpec).linearizable).toBe(verdict === 'linearizable');
  }
  return result;
}
const expectRegister = (verdict: Verdict, ...planned: RegisterOp[]) => expectVerdict(register(...planned), registerSpec, verdict);
const expectKv = (verdict: Verdict, ...planned: Planned<KvInput, KvOutput>[]) =>
  expectVerdict(kv(...planned), kvSpec, verdict, kvStoreSpec as SequentialSpec<unknown, KvInput, KvOutput>);

describe('register histories', () => {
  it('a sequential history that follows the spec is linearizable', () => {
    // No overlaps: the only order is the real-time one, and each output matches the register.
    expectRegister('linearizable', ok(0, 1, W(1)), ok(2, 3, R, 1), ok(4, 5, W(2)), ok(6, 7, R, 2), ok(8, 9, CAS(2, 3), true), ok(10, 11, R, 3), ok(12, 13, CAS(2, 1), false), ok(14, 15, R, 3));
  });

  it('a stale read after a completed write is not linearizable', () => {
    // write(2) returned before the read was called, so the read must come after it and see 2.
    expectRegister('not-linearizable', ok(0, 1, W(1)), ok(2, 3, W(2)), ok(4, 5, R, 1));
  });

  it('a read concurrent with a write may see the old or the new value', () => {
    // The read overlaps the write: it may be ordered before it (null) or after it (1).
    expectRegister('linearizable', ok(0, 10, W(1)), ok(2, 3, R, null));
    expectRegister('linearizable', ok(0, 10, W(1)), ok(2, 3, R, 1));
    // The same read, once the write has returned, may only see the new value.
    expectRegister('not-linearizable', ok(0, 1, W(1)), ok(2, 3, R, null));
  });

  it('a read of a value never written is not linearizable, even overlapping every write', () => {
    // No order makes the register hold 3.
    expectRegister('not-linearizable', ok(0, 1, W(1)), ok(2, 5, W(2)), ok(3, 4, R, 3));
    expectRegister('not-linearizable', ok(0, 9, W(1)), info(0, W(2)), ok(0, 9, R, 3));
  });

  it('two concurrent cas from the same value cannot both succeed; one success and one failure is fine', () => {
    // After whichever cas goes first, the register holds 2 or 3, so the second cannot find 1.
    expectRegister('not-linearizable', ok(0, 1, W(1)), ok(2, 5, CAS(1, 2), true), ok(3, 6, CAS(1, 3), true));
    // cas(1, 2) swaps, then cas(1, 3) finds 2 and fails; a later read sees 2 (not 3).
    expectRegister('linearizable', ok(0, 1, W(1)), ok(2, 5, CAS(1, 2), true), ok(3, 6, CAS(1, 3), false), ok(7, 8, R, 2));
    expectRegister('not-linearizable', ok(0, 1, W(1)), ok(2, 5, CAS(1, 2), true), ok(3, 6, CAS(1, 3), false), ok(7, 8, R, 3));
    // Both failing is impossible: nothing else changes the register, so the first one finds 1.
    expectRegister('not-linearizable', ok(0, 1, W(1)), ok(2, 5, CAS(1, 2), false), ok(3, 6, CAS(1, 3), false));
  });

  it('an info write that must have happened: a later read sees its value', () => {
    // Only the indeterminate write(2) can explain the read of 2, so it took effect between its call and the read.
    expectRegister('linearizable', ok(0, 1, W(1)), info(2, W(2)), ok(5, 6, R, 2));
  });

  it('an info write that must not have happened (yet) is fine either way', () => {
    // The read of 1 after the info write(2) was called: it never happened, or happened after the read.
    expectRegister('linearizable', ok(0, 1, W(1)), info(2, W(2)), ok(5, 6, R, 1));
  });

  it('an info write happens at most once', () => {
    // Read 2 proves write(2) took effect before time 4; nothing writes 1 again, so the read of 1 at [5, 6] is impossible.
    expectRegister('not-linearizable', ok(0, 1, W(1)), info(2, W(2)), ok(3, 4, R, 2), ok(5, 6, R, 1));
  });

  it('info cas: it may have swapped, but only from the value it names, and at most once', () => {
    // cas(1, 2) with the register at 1 can explain a read of 2.
    expectRegister('linearizable', ok(0, 1, W(1)), info(2, CAS(1, 2)), ok(5, 6, R, 2));
    // cas(3, 2) with the register at 1 cannot swap, so nothing writes 2.
    expectRegister('not-linearizable', ok(0, 1, W(1)), info(2, CAS(3, 2)), ok(5, 6, R, 2));
    // Having swapped 1 to 2, it cannot later put 1 back.
    expectRegister('not-linearizable', ok(0, 1, W(1)), info(2, CAS(1, 2)), ok(3, 4, R, 2), ok(5, 6, R, 1));
  });

  it('an ok read of a value only an info write could produce', () => {
    // The info write(3) was called before the read returned, so it can take effect inside the read's interval.
    expectRegister('linearizable', info(0, W(3)), ok(1, 2, R, 3));
    // Called after the read returned: it cannot have taken effect before its own call.
    expectRegister('not-linearizable', ok(0, 2, R, 3), info(5, W(3)));
    // Called at the very instant the read returns: the two touch, which counts as overlapping (see the touching test).
    expectRegister('linearizable', ok(0, 2, R, 3), info(2, W(3)));
  });

  it('several identical info writes can each take effect once (symmetric operations)', () => {
    // 1 must reappear after each write(2); each appearance needs a different info write(1).
    const round = (at: number): RegisterOp[] => [ok(at, at + 1, W(2)), ok(at + 2, at + 3, R, 1)];
    expectRegister('linearizable', info(0, W(1)), info(0, W(1)), ...round(1), ...round(5));
    expectRegister('not-linearizable', info(0, W(1)), ...round(1), ...round(5));
    // Three rounds need three writes (nine operations: past the brute force); two are not enough.
    expectRegister('linearizable', info(0, W(1)), info(0, W(1)), info(0, W(1)), ...round(1), ...round(5), ...round(9));
    expectRegister('not-linearizable', info(0, W(1)), info(0, W(1)), ...round(1), ...round(5), ...round(9));
  });

  it('many identical reads, each with its own window', () => {
    // Reads of null all fit before the write at [4, 5]; the reads of 1 after it.
    expectRegister('linearizable', ok(0, 3, R, null), ok(1, 9, R, null), ok(2, 4, R, null), ok(4, 5, W(1)), ok(5, 9, R, 1), ok(6, 7, R, 1), ok(6, 9, R, 1));
    // The same, except one read of null starts after the write returned.
    expectRegister('not-linearizable', ok(0, 3, R, null), ok(1, 9, R, null), ok(6, 8, R, null), ok(4, 5, W(1)), ok(5, 9, R, 1), ok(6, 7, R, 1));
  });

  it("Porcupine's README examples (a register starting at 0)", () => {
    const fromZero: SequentialSpec<RegisterValue, RegisterInput, RegisterOutput> = { ...registerSpec, name: 'register from 0', init: () => 0 };
    // read 0, then write(100), then read 100: each point lies inside its operation's interval.
    expectVerdict(register(ok(0, 100, W(100)), ok(25, 75, R, 100), ok(30, 60, R, 0)), fromZero, 'linearizable');
    // read 200 must follow the write and end by 30; read 0 must precede the write but starts at 40.
    expectVerdict(register(ok(0, 100, W(200)), ok(10, 30, R, 200), ok(40, 90, R, 0)), fromZero, 'not-linearizable');
  });

  it('zero-duration operations, and operations that touch at one instant, overlap', () => {
    // Two operations at the same instant may go in either order.
    expectRegister('linearizable', ok(5, 5, W(1)), ok(5, 5, R, 1));
    expectRegister('linearizable', ok(5, 5, W(1)), ok(5, 5, R, null));
    // The read is called at the instant the write returns. The checker sorts calls before returns at equal
    // times, so the two overlap and the read may come first — as Porcupine does (its byTime.Less puts a
    // call before a return at the same time).
    expectRegister('linearizable', ok(0, 5, W(1)), ok(5, 7, R, null));
    // One unit apart, the write strictly precedes the read.
    expectRegister('not-linearizable', ok(0, 4, W(1)), ok(5, 7, R, null));
    // A chain of touching operations: write(2) touches both neighbours, so the read of 1 may precede it.
    expectRegister('linearizable', ok(0, 5, W(1)), ok(5, 10, W(2)), ok(10, 12, R, 1));
  });

  it('reads events through pairOperations: fail means it did not happen, no completion means info', () => {
    const events: HistoryEvent<RegisterInput, RegisterOutput>[] = [
      { type: 'invoke', process: 0, input: W(1), time: 0 },
      { type: 'ok', process: 0, time: 1 },
      { type: 'invoke', process: 1, input: W(2), time: 2 },
      { type: 'fail', process: 1, time: 3 },
      { type: 'invoke', process: 2, input: W(3), time: 3 },
      { type: 'invoke', process: 0, input: R, time: 5 },
      { type: 'ok', process: 0, output: 1, time: 5 },
    ];
    const operations = pairOperations(events);
    expect(operations.map((operation) => [operation.status, operation.input])).toEqual([['ok', W(1)], ['info', W(3)], ['ok', R]]);
    // The failed write(2) is gone; the never-completed write(3) need not have happened by the read.
    expectVerdict(operations, registerSpec, 'linearizable');
    const readsTwo = pairOperations([...events.slice(0, -1), { type: 'ok', process: 0, output: 2, time: 5 }]);
    expectVerdict(readsTwo, registerSpec, 'not-linearizable');
  });
});

describe('key-value histories', () => {
  it('keys are independent: each key is checked on its own', () => {
    // Per key the history is sequential and right; partitioned into two searches.
    const result = expectKv('linearizable', ok(0, 1, PUT('x', 'a')), ok(2, 3, PUT('y', 'b')), ok(4, 5, GET('x'), 'a'), ok(4, 5, GET('y'), 'b'), ok(6, 7, APPEND('x', 'c')), ok(8, 9, GET('x'), 'ac'), ok(8, 9, GET('y'), 'b'));
    expect(result.partitions).toBe(2);
  });

  it('one bad key among many is found and named', () => {
    const planned: Planned<KvInput, KvOutput>[] = [];
    for (const [k, key] of ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'].entries()) {
      planned.push(ok(k, k + 1, PUT(key, 'a')), ok(k + 2, k + 3, PUT(key, 'b')));
      // k3's read is stale: put(k3, "b") returned before it was called.
      planned.push(ok(k + 4, k + 5, GET(key), key === 'k3' ? 'a' : 'b'));
    }
    const operations = kv(...planned);
    const result = checkLinearizability(operations, kvSpec);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.partitions).toBe(6);
    expect(result.witness?.partition).toBe('k3');
    expect(result.witness?.partitionSize).toBe(3);
    expect(result.witness?.blocked).toBe(operations[11]);
    expect(result.witness?.lines[0]).toContain('of partition "k3"');
    expect(bruteForceLinearizability(operations.filter((operation) => operation.input.key === 'k3'), kvSpec).linearizable).toBe(false);
  });

  it('the order of appends is visible in what get returns', () => {
    // Concurrent appends may land in either order, but both land once.
    expectKv('linearizable', ok(0, 10, APPEND('x', 'a')), ok(0, 10, APPEND('x', 'b')), ok(11, 12, GET('x'), 'ab'));
    expectKv('linearizable', ok(0, 10, APPEND('x', 'a')), ok(0, 10, APPEND('x', 'b')), ok(11, 12, GET('x'), 'ba'));
    expectKv('not-linearizable', ok(0, 10, APPEND('x', 'a')), ok(0, 10, APPEND('x', 'b')), ok(11, 12, GET('x'), 'aa'));
    // Sequential appends have one order.
    expectKv('linearizable', ok(0, 1, APPEND('x', 'a')), ok(2, 3, APPEND('x', 'b')), ok(4, 5, GET('x'), 'ab'));
    expectKv('not-linearizable', ok(0, 1, APPEND('x', 'a')), ok(2, 3, APPEND('x', 'b')), ok(4, 5, GET('x'), 'ba'));
    // An indeterminate append may explain an extra suffix, once.
    expectKv('linearizable', ok(0, 1, APPEND('x', 'a')), info(2, APPEND('x', 'b')), ok(4, 5, GET('x'), 'ab'));
    expectKv('not-linearizable', ok(0, 1, APPEND('x', 'a')), info(2, APPEND('x', 'b')), ok(4, 5, GET('x'), 'abb'));
  });
});

describe('the witness of a non-linearizable history', () => {
  it('names the blocked operation, gives a valid prefix and the state it leaves', () => {
    const operations = register(ok(0, 1, W(1)), ok(2, 3, W(2)), ok(2, 6, R, 2), ok(4, 5, R, 1));
    const result = checkLinearizability(operations, registerSpec);
    expect(result.verdict).toBe('not-linearizable');
    const witness = result.witness!;
    // read → 1 returned at 5, after write(2) had returned: it is the one that cannot be placed.
    expect(witness.blocked).toBe(operations[3]);
    expect(witness.stuck[0]).toEqual({ operation: operations[3], legalNext: false });
    expect(witness.stuck.map(({ operation }) => operation.id)).toContain(3);
    expect(isValidPartialOrder(operations, witness.prefix, registerSpec)).toBe(true);
    expect(witness.prefix.map((operation) => operation.id)).toEqual([0, 1, 2]);
    expect(witness.state).toBe('2');
    expect(witness.partition).toBeNull();
    expect(witness.lines).toContain('State after it: 2');
    expect(witness.lines.join('\n')).toMatch(/read\(\) -> 1 .*impossible from state 2/);
    expect(witness.lines[0]).toBe('Placed in this order before the checker got stuck: 3 of 4 operations:');
  });

  it('says so when not even the first operation fits', () => {
    const result = checkLinearizability(register(ok(0, 1, R, 1)), registerSpec);
    expect(result.witness?.prefix).toEqual([]);
    expect(result.witness?.lines).toContain('    (none: not even the first operation fits)');
    expect(result.witness?.lines).toContain('State after it: null');
  });
});

describe('budgets: the verdict is "unknown", never a hang', () => {
  it('a state budget of one configuration on a history that needs two', () => {
    const result = checkLinearizability(register(ok(0, 1, W(1)), ok(2, 3, R, 1)), registerSpec, { maxStates: 1 });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'state budget of 1 configurations exceeded', statesExplored: 1, witness: null });
    // A non-linearizable history is not called linearizable (nor not-linearizable) when the budget runs out first.
    const stale = checkLinearizability(register(ok(0, 1, W(1)), ok(2, 3, W(2)), ok(4, 5, R, 1)), registerSpec, { maxStates: 2 });
    expect(stale.verdict).toBe('unknown');
  });

  it('names the partition that ran out, after the smaller ones pass', () => {
    const result = checkLinearizability(kv(ok(0, 1, PUT('a', 'x')), ok(0, 1, PUT('b', 'x')), ok(2, 3, GET('b'), 'x')), kvSpec, { maxStates: 1 });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'state budget of 1 configurations exceeded (partition "b")', partitions: 2 });
  });

  it('a time budget read from an injected clock that jumps', () => {
    // Twenty concurrent writes and a read of a value none writes: every subset of writes is a configuration
    // (about ten million), so only a budget ends the search early.
    const writes = Array.from({ length: 20 }, (_, value): RegisterOp => ok(0, 100, W(value)));
    const operations = register(...writes, ok(0, 100, R, 99));
    let clockReads = 0;
    const nowMs = (): number => (clockReads++ === 0 ? 0 : 1e9);
    const result = checkLinearizability(operations, registerSpec, { timeBudgetMs: 1000, nowMs, maxStates: 1_000_000 });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'time budget exceeded', witness: null });
    // Once to set the deadline, once at the first periodic check.
    expect(clockReads).toBe(2);
    expect(result.statesExplored).toBeLessThan(100_000);
  });
});

/** A FIFO queue whose state is an object (so the default state key is its JSON). */
type QueueInput = { f: 'enqueue'; value: number } | { f: 'dequeue' };
const queueSpec: SequentialSpec<{ items: number[] }, QueueInput, number | null | undefined> = {
  name: 'queue',
  init: () => ({ items: [] }),
  step(state, input, output) {
    if (input.f === 'enqueue') return { items: [...state.items, input.value] };
    const head = state.items[0] ?? null;
    if (output !== undefined && output !== head) return ILLEGAL;
    return { items: state.items.slice(1) };
  },
};
const ENQ = (value: number): QueueInput => ({ f: 'enqueue', value });
const DEQ: QueueInput = { f: 'dequeue' };

/** A counter whose state carries an order-dependent log that a custom state key leaves out. */
type CounterState = { count: number; log: string[] };
type CounterInput = { f: 'increment'; by: string } | { f: 'read' };
const counterStep = (state: CounterState, input: CounterInput, output: number | undefined): CounterState | typeof ILLEGAL => {
  if (input.f === 'increment') return { count: state.count + 1, log: [...state.log, input.by] };
  return output === undefined || output === state.count ? state : ILLEGAL;
};

describe('user-defined specifications', () => {
  it('a FIFO queue with object state and the default (JSON) state key', () => {
    // Concurrent enqueues may land in either order; dequeues then see that order.
    expectVerdict(history(ok(0, 10, ENQ(1)), ok(0, 10, ENQ(2)), ok(11, 12, DEQ, 2), ok(13, 14, DEQ, 1), ok(15, 16, DEQ, null)), queueSpec, 'linearizable');
    // Sequential enqueues: 1 is at the head.
    const result = expectVerdict(history(ok(0, 1, ENQ(1)), ok(2, 3, ENQ(2)), ok(4, 5, DEQ, 2)), queueSpec, 'not-linearizable');
    // The default describeState is JSON.
    expect(result.witness?.lines).toContain('State after it: {"items":[1,2]}');
    // An indeterminate dequeue may have taken the only item.
    expectVerdict(history(ok(0, 1, ENQ(1)), info(2, DEQ), ok(5, 6, DEQ, null)), queueSpec, 'linearizable');
  });

  it('a counter with a custom state key merges states the spec considers equal', () => {
    let keyCalls = 0;
    const byCount: SequentialSpec<CounterState, CounterInput, number | undefined> = {
      name: 'counter',
      init: () => ({ count: 0, log: [] }),
      step: counterStep,
      stateKey: (state) => {
        keyCalls++;
        return state.count;
      },
    };
    const byJson: SequentialSpec<CounterState, CounterInput, number | undefined> = { ...byCount, stateKey: undefined };
    const incrementsThenRead = (seen: number) =>
      history<CounterInput, number | undefined>(
        ok(0, 10, { f: 'increment', by: 'a' }), ok(0, 10, { f: 'increment', by: 'b' }), ok(0, 10, { f: 'increment', by: 'c' }),
        ok(1, 9, { f: 'read' }, 2), ok(11, 12, { f: 'read' }, seen),
      );
    // Three concurrent increments: a read inside them may see 2, a read after them sees 3 (not 4).
    expectVerdict(incrementsThenRead(3), byCount, 'linearizable');
    expect(keyCalls).toBeGreaterThan(0);
    const merged = expectVerdict(incrementsThenRead(4), byCount, 'not-linearizable');
    // Proving "not" explores everything. With the JSON key, the order of increments in the log splits
    // states apart (3! orders of three increments instead of one count): more configurations, same answer.
    const split = expectVerdict(incrementsThenRead(4), byJson, 'not-linearizable');
    expect(merged.statesExplored).toBeLessThan(split.statesExplored);
  });

  it('partitions with numeric keys', () => {
    type KeyedInput = { key: number; op: RegisterInput };
    const keyed: SequentialSpec<RegisterValue, KeyedInput, RegisterOutput> = {
      name: 'registers',
      init: registerSpec.init,
      step: (state, input, output) => registerSpec.step(state, input.op, output),
      partition: (input) => input.key,
    };
    const at = (key: number, op: RegisterInput): KeyedInput => ({ key, op });
    const operations = history<KeyedInput, RegisterOutput>(
      ok(0, 1, at(1, W(1))), ok(0, 1, at(2, W(1))), ok(0, 1, at(3, W(1))),
      ok(2, 3, at(1, R), 1), ok(2, 3, at(2, W(2))), ok(4, 5, at(2, R), 1), ok(4, 5, at(3, R), 1),
    );
    const result = checkLinearizability(operations, keyed);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.partitions).toBe(3);
    expect(result.witness?.partition).toBe(2);
    expect(result.witness?.lines[0]).toContain('of partition 2');
  });
});

describe('degenerate histories', () => {
  it('the empty history is linearizable', () => {
    expect(checkLinearizability([], registerSpec)).toEqual({ verdict: 'linearizable', reason: null, operations: 0, partitions: 1, statesExplored: 0, witness: null });
    // With a partition function there is nothing to split.
    expect(checkLinearizability([], kvSpec)).toMatchObject({ verdict: 'linearizable', partitions: 0 });
  });

  it('a history of only info operations is linearizable (none of them has to have happened)', () => {
    const result = expectRegister('linearizable', info(0, W(1)), info(1, CAS(1, 2)), info(2, R), info(3, W(3)));
    expect(result.statesExplored).toBe(0);
  });
});
