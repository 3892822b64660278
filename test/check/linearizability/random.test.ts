/**
 * The checker against the brute force (test/support) on thousands of tiny
 * seeded histories. Each history comes from a simulated execution (every
 * operation takes effect at a random instant inside its interval, an
 * indeterminate one maybe never), after which, in 65% of histories (85% for
 * permits), one outcome is corrupted — so both verdicts are common, and many
 * corrupted histories are still linearizable by luck, which is where a wrong
 * reduction would show.
 *
 * Verdict mix (fixed seeds, measured; each test asserts both sides ≥ 25%):
 *   register  6,000 histories: 3,173 linearizable / 2,827 not
 *   symmetry  3,000 histories: 1,731 linearizable / 1,269 not
 *   kv        3,000 histories: 1,541 linearizable / 1,459 not
 *   permits   2,000 histories: 1,157 linearizable /   843 not
 *   total    14,000 histories: 7,602 (54%) / 6,398 (46%)
 * A symmetry constraint (some operation must follow an equivalent one) is
 * present in about half the register partitions and 87% of the symmetry set.
 * Checked against mutants of the checker: dropping the "returned no later"
 * condition, grouping without the output, reversing the symmetric order,
 * sorting returns before calls at a tie, making info operations required,
 * pruning unchanged-state steps of completed operations, and a memo that
 * ignores the state are each caught.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { pairOperations, type HistoryEvent, type Operation } from '../../../src/check/history.ts';
import { checkLinearizability } from '../../../src/check/linearizability/check.ts';
import { kvSpec, type KvInput, type KvOutput } from '../../../src/check/linearizability/kv.ts';
import { registerSpec, type RegisterInput, type RegisterOutput, type RegisterValue } from '../../../src/check/linearizability/register.ts';
import { ILLEGAL, type SequentialSpec } from '../../../src/check/linearizability/spec.ts';
import { bruteForceLinearizability, isValidPartialOrder, kvStoreSpec } from '../../support/brute-force-linearizability.ts';

type Rng = () => number;
type Completion = 'ok' | 'info' | 'fail' | 'pending';

/** Knobs of one family of generated histories. */
interface Shape<I> {
  operationsMin: number;
  operationsMax: number;
  processesMax: number;
  durationMax: number;
  infoChance: number;
  failChance: number;
  corruptChance: number;
  input: (rng: Rng) => I;
}

interface Planned<I, O> {
  process: number;
  input: I;
  call: number;
  ret: number;
  completion: Completion;
  output: O | undefined;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));

/** Plans operations per process: sequential within a process, overlapping across processes, integer times (ties are common). */
function plan<I, O>(rng: Rng, shape: Shape<I>): Planned<I, O>[] {
  const count = between(rng, shape.operationsMin, shape.operationsMax);
  const processes = between(rng, 2, shape.processesMax);
  const freeAt = Array.from({ length: processes }, () => between(rng, 0, 3));
  const open = new Set<number>();
  const planned: Planned<I, O>[] = [];
  for (let i = 0; i < count; i++) {
    const candidates = [...freeAt.keys()].filter((p) => !open.has(p));
    if (candidates.length === 0) break;
    const process = pick(rng, candidates);
    const call = freeAt[process]!;
    const ret = call + between(rng, 0, shape.durationMax);
    const roll = rng();
    let completion: Completion = roll < shape.infoChance ? 'info' : roll < shape.infoChance + shape.failChance ? 'fail' : 'ok';
    // An operation never completed stays pending (pairOperations makes it indeterminate); its process is done.
    if (completion === 'info' && rng() < 0.3) completion = 'pending';
    if (completion === 'pending') open.add(process);
    planned.push({ process, input: shape.input(rng), call, ret, completion, output: undefined });
    freeAt[process] = ret + between(rng, 0, 2);
  }
  return planned;
}

/** Runs the plan: each operation that takes effect does so at a random instant in its interval; fills in real outputs. */
function execute<S, I, O>(rng: Rng, planned: Planned<I, O>[], spec: SequentialSpec<S, I, O>, realOutput: (state: S, input: I) => O | undefined): void {
  const effects: { at: number; operation: Planned<I, O> }[] = [];
  for (const operation of planned) {
    if (operation.completion === 'fail') continue;
    if (operation.completion === 'ok') effects.push({ at: operation.call + rng() * (operation.ret - operation.call), operation });
    else if (rng() < 0.5) effects.push({ at: operation.call + rng() * 6, operation });
  }
  effects.sort((a, b) => a.at - b.at);
  let state = spec.init();
  for (const { operation } of effects) {
    const output = realOutput(state, operation.input);
    const after = spec.step(state, operation.input, output);
    // Not possible in this state (no permit left): the operation did not happen.
    if (after === ILLEGAL) {
      if (operation.completion === 'ok') operation.completion = 'fail';
      continue;
    }
    state = after;
    if (operation.completion === 'ok') operation.output = output;
  }
}

/** The recorded history: invocations and completions, by time, each process's own events in order. */
function toEvents<I, O>(planned: Planned<I, O>[]): HistoryEvent<I, O>[] {
  const events: (HistoryEvent<I, O> & { order: number })[] = [];
  for (const [order, operation] of planned.entries()) {
    events.push({ type: 'invoke', process: operation.process, input: operation.input, time: operation.call, order: 2 * order });
    if (operation.completion === 'pending') continue;
    const completion: HistoryEvent<I, O> & { order: number } = { type: operation.completion, process: operation.process, time: operation.ret, order: 2 * order + 1 };
    if (operation.completion === 'ok') completion.output = operation.output as O;
    events.push(completion);
  }
  // Planned order is per-process order, so (time, order) keeps each process's invoke before its completion.
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return events.map(({ order: _order, ...event }) => event);
}

const registerValues: RegisterValue[] = [1, 2, 3];

function registerRealOutput(state: RegisterValue, input: RegisterInput): RegisterOutput {
  if (input.f === 'read') return state;
  if (input.f === 'cas') return state === input.from;
  return undefined;
}

function corruptRegister(rng: Rng, planned: Planned<RegisterInput, RegisterOutput>[]): void {
  const victims = planned.filter((operation) => operation.completion === 'ok' && operation.input.f !== 'write');
  if (victims.length === 0) return;
  const victim = pick(rng, victims);
  if (victim.input.f === 'cas') victim.output = !victim.output;
  else victim.output = pick(rng, [null, ...registerValues].filter((value) => value !== victim.output));
}

/** A user-defined spec where an indeterminate operation can be impossible: two permits, acquire and release. */
type PermitInput = { f: 'acquire' } | { f: 'release' } | { f: 'read' };
type PermitOutput = number | undefined;
const PERMITS = 2;

const permitSpec: SequentialSpec<number, PermitInput, PermitOutput> = {
  name: 'permits',
  init: () => 0,
  step(taken, input, output) {
    switch (input.f) {
      case 'acquire':
        return taken < PERMITS ? taken + 1 : ILLEGAL;
      case 'release':
        return taken > 0 ? taken - 1 : ILLEGAL;
      case 'read':
        return output === undefined || output === taken ? taken : ILLEGAL;
    }
  },
};

/** Changes a read's count, or claims that an acquire or release that failed went through. */
function corruptPermits(rng: Rng, planned: Planned<PermitInput, PermitOutput>[]): void {
  const victims = planned.filter((operation) => (operation.completion === 'ok' && operation.input.f === 'read') || (operation.completion === 'fail' && operation.input.f !== 'read'));
  if (victims.length === 0) return;
  const victim = pick(rng, victims);
  if (victim.completion === 'fail') victim.completion = 'ok';
  else victim.output = pick(rng, [0, 1, 2].filter((value) => value !== victim.output));
}

const kvValues = ['', 'a', 'b', 'ab', 'ba', 'aa', 'bb'];

function corruptKv(rng: Rng, planned: Planned<KvInput, KvOutput>[]): void {
  const victims = planned.filter((operation) => operation.completion === 'ok' && operation.input.f === 'get');
  if (victims.length === 0) return;
  const victim = pick(rng, victims);
  victim.output = pick(rng, kvValues.filter((value) => value !== victim.output));
}

function generate<S, I, O>(
  rng: Rng,
  shape: Shape<I>,
  spec: SequentialSpec<S, I, O>,
  realOutput: (state: S, input: I) => O | undefined,
  corrupt: (rng: Rng, planned: Planned<I, O>[]) => void,
): HistoryEvent<I, O>[] {
  const planned = plan<I, O>(rng, shape);
  execute(rng, planned, spec, realOutput);
  if (rng() < shape.corruptChance) corrupt(rng, planned);
  return toEvents(planned);
}

interface Tally {
  linearizable: number;
  notLinearizable: number;
  mismatches: { events: string; checker: string; bruteForce: boolean; problem: string }[];
}

/** Checks one history both ways; records any disagreement (with the history as JSON) and a bad witness. */
function compare<S, I, O>(
  tally: Tally,
  events: HistoryEvent<I, O>[],
  checkerSpec: SequentialSpec<S, I, O>,
  bruteSpec: SequentialSpec<unknown, I, O>,
): void {
  const operations = pairOperations(events);
  const result = checkLinearizability(operations, checkerSpec);
  const truth = bruteForceLinearizability(operations, bruteSpec).linearizable;
  const record = (problem: string): void => {
    tally.mismatches.push({ events: JSON.stringify(events), checker: result.verdict, bruteForce: truth, problem });
  };
  if (truth) tally.linearizable++;
  else tally.notLinearizable++;
  if (result.verdict !== (truth ? 'linearizable' : 'not-linearizable')) return record('verdicts differ');
  if (result.operations !== operations.length) return record('operation count');
  if (result.verdict === 'linearizable') {
    if (result.witness !== null || result.reason !== null) record('linearizable with a witness or reason');
    return;
  }
  const witness = result.witness;
  if (witness === null) return record('no witness');
  const partitionOps = operations.filter((op) => checkerSpec.partition === undefined || checkerSpec.partition(op.input) === witness.partition);
  if (!isValidPartialOrder(partitionOps as Operation<I, O>[], witness.prefix, checkerSpec)) record('witness prefix is not a valid order');
  if (witness.stuck[0]?.operation !== witness.blocked) record('blocked operation is not first in stuck');
}

function expectAgreement(tally: Tally, total: number): void {
  // On failure the diff shows up to three histories as JSON: paste one into a hand-made test to reproduce.
  expect(tally.mismatches.slice(0, 3)).toEqual([]);
  expect(tally.linearizable + tally.notLinearizable).toBe(total);
  expect(tally.linearizable / total).toBeGreaterThanOrEqual(0.25);
  expect(tally.notLinearizable / total).toBeGreaterThanOrEqual(0.25);
}

const newTally = (): Tally => ({ linearizable: 0, notLinearizable: 0, mismatches: [] });

describe('checkLinearizability agrees with the brute force', () => {
  it('on 6,000 register histories (3–7 operations, 2–4 processes, values 1–3, reads, writes, cas)', () => {
    const rng = seedrandom('faultline:linearizability:register');
    const shape: Shape<RegisterInput> = {
      operationsMin: 3,
      operationsMax: 7,
      processesMax: 4,
      durationMax: 4,
      infoChance: 0.15,
      failChance: 0.05,
      corruptChance: 0.65,
      input: (r) => {
        const roll = r();
        if (roll < 0.4) return { f: 'read' };
        if (roll < 0.75) return { f: 'write', value: pick(r, registerValues) };
        return { f: 'cas', from: pick(r, r() < 0.15 ? [null] : registerValues), to: pick(r, registerValues) };
      },
    };
    const tally = newTally();
    const total = 6000;
    for (let i = 0; i < total; i++) {
      compare(tally, generate(rng, shape, registerSpec, registerRealOutput, corruptRegister), registerSpec, registerSpec as SequentialSpec<unknown, RegisterInput, RegisterOutput>);
    }
    expectAgreement(tally, total);
  });

  it('on 3,000 histories built for the symmetry reduction: identical reads, identical indeterminate writes', () => {
    const rng = seedrandom('faultline:linearizability:symmetry');
    const shape: Shape<RegisterInput> = {
      operationsMin: 5,
      operationsMax: 7,
      processesMax: 4,
      durationMax: 6,
      infoChance: 0.35,
      failChance: 0,
      corruptChance: 0.65,
      input: (r) => {
        const roll = r();
        if (roll < 0.5) return { f: 'read' };
        if (roll < 0.8) return { f: 'write', value: 1 };
        if (roll < 0.9) return { f: 'write', value: 2 };
        return { f: 'cas', from: 1, to: 2 };
      },
    };
    const tally = newTally();
    const total = 3000;
    for (let i = 0; i < total; i++) {
      compare(tally, generate(rng, shape, registerSpec, registerRealOutput, corruptRegister), registerSpec, registerSpec as SequentialSpec<unknown, RegisterInput, RegisterOutput>);
    }
    expectAgreement(tally, total);
  });

  it('on 3,000 key-value histories (keys x and y, get/put/append of "a" and "b"), against a whole-store brute force', () => {
    const rng = seedrandom('faultline:linearizability:kv');
    const shape: Shape<KvInput> = {
      operationsMin: 3,
      operationsMax: 7,
      processesMax: 4,
      durationMax: 4,
      infoChance: 0.15,
      failChance: 0.05,
      corruptChance: 0.65,
      input: (r) => {
        const key = pick(r, ['x', 'y']);
        const roll = r();
        if (roll < 0.4) return { f: 'get', key };
        return { f: roll < 0.7 ? 'put' : 'append', key, value: pick(r, ['a', 'b']) };
      },
    };
    // The store's real output for a get is the key's value; put and append return nothing.
    const realOutput = (state: Record<string, string>, input: KvInput): KvOutput => (input.f === 'get' ? (state[input.key] ?? '') : undefined);
    const tally = newTally();
    const total = 3000;
    for (let i = 0; i < total; i++) {
      compare(tally, generate(rng, shape, kvStoreSpec, realOutput, corruptKv), kvSpec, kvStoreSpec as SequentialSpec<unknown, KvInput, KvOutput>);
    }
    expectAgreement(tally, total);
  });

  it('on 2,000 histories of a user spec whose indeterminate operations can be impossible (permits)', () => {
    const rng = seedrandom('faultline:linearizability:permits');
    const shape: Shape<PermitInput> = {
      operationsMin: 3,
      operationsMax: 7,
      processesMax: 4,
      durationMax: 4,
      infoChance: 0.3,
      failChance: 0,
      corruptChance: 0.85,
      input: (r) => {
        const roll = r();
        return roll < 0.4 ? { f: 'acquire' } : roll < 0.7 ? { f: 'release' } : { f: 'read' };
      },
    };
    const realOutput = (taken: number, input: PermitInput): PermitOutput => (input.f === 'read' ? taken : undefined);
    const tally = newTally();
    const total = 2000;
    for (let i = 0; i < total; i++) {
      compare(tally, generate(rng, shape, permitSpec, realOutput, corruptPermits), permitSpec, permitSpec as SequentialSpec<unknown, PermitInput, PermitOutput>);
    }
    expectAgreement(tally, total);
  });
});
