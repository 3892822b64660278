/**
 * The README's "your own sequential specification" example, verbatim in
 * spirit: a FIFO queue with object state, checked through the public entry
 * point. If the README's API drifts, this breaks.
 */
import { describe, expect, it } from 'vitest';
import { checkLinearizability, ILLEGAL, pairOperations, type HistoryEvent, type SequentialSpec } from '../../src/index.ts';

type QueueInput = { f: 'enqueue'; value: number } | { f: 'dequeue' };
const queueSpec: SequentialSpec<readonly number[], QueueInput, number | null | undefined> = {
  name: 'queue',
  init: () => [],
  step(queue, input, output) {
    if (input.f === 'enqueue') return [...queue, input.value];
    const head = queue[0] ?? null;
    // output undefined: an indeterminate (info) dequeue; accept it.
    if (output !== undefined && output !== head) return ILLEGAL;
    return queue.slice(1);
  },
};

function history(lines: [number, HistoryEvent['type'], QueueInput | null, (number | null)?][]): HistoryEvent<QueueInput, number | null>[] {
  return lines.map(([process, type, input, output], time) => ({
    process,
    type,
    time,
    ...(input === null ? {} : { input }),
    ...(output === undefined ? {} : { output }),
  }));
}

describe('README example: a queue spec', () => {
  it('accepts concurrent enqueues dequeued in either order', () => {
    const events = history([
      [0, 'invoke', { f: 'enqueue', value: 1 }],
      [1, 'invoke', { f: 'enqueue', value: 2 }],
      [0, 'ok', null],
      [1, 'ok', null],
      [2, 'invoke', { f: 'dequeue' }],
      [2, 'ok', null, 2],
      [2, 'invoke', { f: 'dequeue' }],
      [2, 'ok', null, 1],
    ]);
    expect(checkLinearizability(pairOperations(events), queueSpec, { maxStates: 1_000_000 }).verdict).toBe('linearizable');
  });

  it('rejects FIFO broken between sequential enqueues, naming the dequeue that fits nowhere', () => {
    const events = history([
      [0, 'invoke', { f: 'enqueue', value: 1 }],
      [0, 'ok', null],
      [0, 'invoke', { f: 'enqueue', value: 2 }],
      [0, 'ok', null],
      [1, 'invoke', { f: 'dequeue' }],
      [1, 'ok', null, 2],
    ]);
    const result = checkLinearizability(pairOperations(events), queueSpec);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.witness?.state).toBe('[1,2]');
    expect(result.witness?.blocked.id).toBe(2);
  });
});
