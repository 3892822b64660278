/**
 * A read/write/compare-and-set register (Jepsen's cas-register, the model of
 * Porcupine's etcd tests). It starts empty (`null`). `cas` returns true when
 * it swapped and false when the register did not hold `from`.
 */
import { ILLEGAL, type SequentialSpec } from './spec.ts';

/** What a register can hold; `null` is "never written". */
export type RegisterValue = number | string | null;

/** A register operation. */
export type RegisterInput =
  | { f: 'read' }
  | { f: 'write'; value: RegisterValue }
  | { f: 'cas'; from: RegisterValue; to: RegisterValue };

/** A read returns the value; a cas returns whether it swapped; a write returns nothing. */
export type RegisterOutput = RegisterValue | boolean | undefined;

/** The register specification. */
export const registerSpec: SequentialSpec<RegisterValue, RegisterInput, RegisterOutput> = {
  name: 'register',
  init: () => null,
  step(state, input, output) {
    switch (input.f) {
      case 'read':
        return output === undefined || output === state ? state : ILLEGAL;
      case 'write':
        return input.value;
      case 'cas': {
        const swaps = state === input.from;
        if (output !== undefined && output !== swaps) return ILLEGAL;
        return swaps ? input.to : state;
      }
    }
  },
  stateKey: (state) => state,
  describeOperation(input, output) {
    const shown = output === undefined ? '?' : JSON.stringify(output);
    switch (input.f) {
      case 'read':
        return `read() -> ${shown}`;
      case 'write':
        return `write(${JSON.stringify(input.value)})`;
      case 'cas':
        return `cas(${JSON.stringify(input.from)}, ${JSON.stringify(input.to)}) -> ${output === undefined ? '?' : output ? 'ok' : 'fail'}`;
    }
  },
  describeState: (state) => JSON.stringify(state),
};
