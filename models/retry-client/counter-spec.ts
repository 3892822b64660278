/**
 * The sequential specification of a counter, for the linearizability checker:
 * `add(amount)` adds to it and returns nothing, `read` returns its value. It
 * starts at 0. An indeterminate add (`info`: the client gave up) may or may not
 * have been applied, and the checker tries both.
 */
import { ILLEGAL, type SequentialSpec } from '../../src/index.ts';

/** An operation on the counter. */
export type CounterInput = { f: 'add'; amount: number } | { f: 'read' };
/** A read returns the value; an add returns nothing. */
export type CounterOutput = number | undefined;

/** One counter, applied one operation at a time. */
export const counterSpec: SequentialSpec<number, CounterInput, CounterOutput> = {
  name: 'counter',
  init: () => 0,
  step(state, input, output) {
    if (input.f === 'add') return state + input.amount;
    return output === undefined || output === state ? state : ILLEGAL;
  },
  stateKey: (state) => state,
  describeOperation: (input, output) =>
    input.f === 'add' ? `add(${input.amount})` : `read() -> ${output === undefined ? '?' : String(output)}`,
  describeState: (state) => String(state),
};
