/** Shared assertion for bad-input tests. */
import { expect } from 'vitest';
import { InputError } from '../../src/sim/errors.ts';

/** Asserts `fn` throws an InputError whose message contains every fragment. */
export function expectInputError(fn: () => unknown, ...fragments: string[]): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  for (const fragment of fragments) expect((caught as Error).message).toContain(fragment);
}
