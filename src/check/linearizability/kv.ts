/**
 * A key-value store with get, put and append (Porcupine's kv tests). Keys are
 * independent, so the checker splits the history by key (P-compositionality)
 * and each part's state is one string. A key never written reads as "".
 */
import { ILLEGAL, type SequentialSpec } from './spec.ts';

/** A key: Jepsen histories use strings or integers, and `1` and `"1"` are different keys. */
export type KvKey = string | number;

/** A key-value operation. */
export type KvInput = { f: 'get'; key: KvKey } | { f: 'put'; key: KvKey; value: string } | { f: 'append'; key: KvKey; value: string };

/** A get returns the value; put and append return nothing. */
export type KvOutput = string | undefined;

/** The key-value specification, for one key at a time. */
export const kvSpec: SequentialSpec<string, KvInput, KvOutput> = {
  name: 'kv',
  init: () => '',
  step(state, input, output) {
    switch (input.f) {
      case 'get':
        return output === undefined || output === state ? state : ILLEGAL;
      case 'put':
        return input.value;
      case 'append':
        return state + input.value;
    }
  },
  stateKey: (state) => state,
  partition: (input) => input.key,
  describeOperation(input, output) {
    switch (input.f) {
      case 'get':
        return `get(${JSON.stringify(input.key)}) -> ${output === undefined ? '?' : JSON.stringify(output)}`;
      case 'put':
        return `put(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})`;
      case 'append':
        return `append(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})`;
    }
  },
  describeState: (state) => JSON.stringify(state),
};
