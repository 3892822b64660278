/** Hand-built operations that make no sense are refused with the index and the reason. */
import { describe, it } from 'vitest';
import type { Operation } from '../../../src/check/history.ts';
import { checkLinearizability } from '../../../src/check/linearizability/check.ts';
import { registerSpec, type RegisterInput, type RegisterOutput } from '../../../src/check/linearizability/register.ts';
import { expectInputError } from '../../support/expect-input-error.ts';

type Op = Operation<RegisterInput, RegisterOutput>;
const write: Op = { id: 0, process: 0, input: { f: 'write', value: 1 }, status: 'ok', output: undefined, call: 0, ret: 1 };

describe('checkLinearizability input', () => {
  it.each([
    ['a return before the call', { ...write, call: 5, ret: 2 }, 'operations[1]: returns (2) before it is called (5)'],
    ['an ok operation that never returns', { ...write, ret: Infinity }, 'operations[1]: an ok operation needs a finite return time'],
    ['an unknown status', { ...write, status: 'fail' as never }, `operations[1]: status must be 'ok' or 'info'`],
    ['a call time that is not a number', { ...write, call: NaN }, 'operations[1]: call time must be a finite number'],
    ['a source is named', { ...write, ret: -1, source: 'h.log:7' }, 'operations[1] (h.log:7): returns (-1)'],
  ])('%s', (_name, bad, message) => {
    expectInputError(() => checkLinearizability([write, { ...bad, id: 1 }], registerSpec), message);
  });
});
