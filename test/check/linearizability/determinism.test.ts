/**
 * The checker is deterministic: the same history gives the same verdict, the
 * same number of configurations explored and the same witness, run after
 * run and on a fresh copy of the operations (no dependence on object
 * identity or on state left over from an earlier check).
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../src/check/history.ts';
import { checkLinearizability } from '../../../src/check/linearizability/check.ts';
import { kvSpec, type KvInput, type KvOutput } from '../../../src/check/linearizability/kv.ts';
import { registerSpec, type RegisterInput, type RegisterOutput } from '../../../src/check/linearizability/register.ts';
import type { SequentialSpec } from '../../../src/check/linearizability/spec.ts';

type Rng = () => number;

/** Random overlapping operations with random outputs: search-heavy, and usually not linearizable. */
function randomRegisterHistory(rng: Rng, count: number): Operation<RegisterInput, RegisterOutput>[] {
  const operations: Operation<RegisterInput, RegisterOutput>[] = [];
  for (let id = 0; id < count; id++) {
    const call = Math.floor(rng() * 40);
    const roll = rng();
    const value = 1 + Math.floor(rng() * 3);
    const input: RegisterInput = roll < 0.45 ? { f: 'read' } : roll < 0.85 ? { f: 'write', value } : { f: 'cas', from: value, to: 1 + Math.floor(rng() * 3) };
    const isInfo = rng() < 0.15;
    const output = input.f === 'read' ? value : input.f === 'cas' ? rng() < 0.5 : undefined;
    operations.push({ id, process: id, input, status: isInfo ? 'info' : 'ok', output: isInfo ? undefined : output, call, ret: isInfo ? Infinity : call + Math.floor(rng() * 25) });
  }
  return operations;
}

function randomKvHistory(rng: Rng, count: number): Operation<KvInput, KvOutput>[] {
  const operations: Operation<KvInput, KvOutput>[] = [];
  for (let id = 0; id < count; id++) {
    const key = ['x', 'y', 'z'][Math.floor(rng() * 3)]!;
    const call = Math.floor(rng() * 40);
    const value = ['a', 'b'][Math.floor(rng() * 2)]!;
    const input: KvInput = rng() < 0.5 ? { f: 'get', key } : { f: 'append', key, value };
    const output = input.f === 'get' ? ['', 'a', 'ab', 'ba'][Math.floor(rng() * 4)] : undefined;
    operations.push({ id, process: id, input, status: 'ok', output, call, ret: call + Math.floor(rng() * 20) });
  }
  return operations;
}

function expectSameTwice<S, I, O>(operations: Operation<I, O>[], spec: SequentialSpec<S, I, O>): void {
  const first = checkLinearizability(operations, spec);
  const second = checkLinearizability(operations, spec);
  const copied = checkLinearizability(structuredClone(operations), spec);
  for (const again of [second, copied]) {
    expect(again.verdict).toBe(first.verdict);
    expect(again.statesExplored).toBe(first.statesExplored);
    expect(again.witness?.lines).toEqual(first.witness?.lines);
    expect(again).toEqual(first);
  }
}

describe('checkLinearizability is deterministic', () => {
  it('on search-heavy register histories, both verdicts', () => {
    const rng = seedrandom('faultline:linearizability:determinism');
    const verdicts = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const operations = randomRegisterHistory(rng, 10 + Math.floor(rng() * 20));
      const result = checkLinearizability(operations, registerSpec);
      verdicts.add(result.verdict);
      expectSameTwice(operations, registerSpec);
    }
    expect([...verdicts].sort()).toEqual(['linearizable', 'not-linearizable']);
  });

  it('on a search that explores tens of thousands of configurations', () => {
    // Twelve concurrent writes and a read of a value none of them writes: every subset is explored.
    const writes = Array.from({ length: 12 }, (_, value): Operation<RegisterInput, RegisterOutput> => ({ id: value, process: value, input: { f: 'write', value }, status: 'ok', output: undefined, call: value, ret: 100 }));
    const operations = [...writes, { id: 12, process: 12, input: { f: 'read' }, status: 'ok', output: 99, call: 50, ret: 60 } satisfies Operation<RegisterInput, RegisterOutput>];
    const result = checkLinearizability(operations, registerSpec);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.statesExplored).toBeGreaterThan(10_000);
    expectSameTwice(operations, registerSpec);
  });

  it('on partitioned key-value histories', () => {
    const rng = seedrandom('faultline:linearizability:determinism:kv');
    for (let i = 0; i < 20; i++) expectSameTwice(randomKvHistory(rng, 30), kvSpec);
  });
});
