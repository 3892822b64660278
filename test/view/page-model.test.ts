/**
 * The page's pure helpers (src/view/page/model.js, loaded here as the page
 * loads it) against the TypeScript they mirror: durations as the terminal
 * writes them, the from/to rule, node states rebuilt from snapshots and the
 * patches of src/view/state-patch.ts, and the rows a filter keeps.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { formatDuration } from '../../src/sim/duration.ts';
import { emptyWindowReason, parseWindowBound, type WindowBound } from '../../src/view/filter.ts';
import { diffStates, type PatchOp } from '../../src/view/state-patch.ts';
import { RandomStream } from '../../src/random/stream.ts';

interface PageModel {
  formatUs(micros: number): string;
  parseBound(text: string, name: string): unknown;
  emptyWindowReason(from: unknown, to: unknown): string | null;
  applyPatch(state: unknown, ops: PatchOp[]): unknown;
  changeAt(changes: number[], n: number, inclusive: boolean): number;
  stateAtChange(changes: number[], texts: string[], position: number): unknown;
  stateKnown(n: number, stopsAt: number | null): { before: boolean; after: boolean };
}

const source = readFileSync(new URL('../../src/view/page/model.js', import.meta.url), 'utf8');
const page = runInNewContext(`${source}\n({ formatUs, parseBound, emptyWindowReason, applyPatch, changeAt, stateAtChange, stateKnown })`) as PageModel;
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('page helpers', () => {
  it('format durations exactly as the terminal timeline does', () => {
    for (const us of [0, 1, 999, 1_000, 1_500, 12_345, 999_999, 1_000_000, 1_391_501, 10_800_000_001]) {
      expect(page.formatUs(us)).toBe(formatDuration(us));
    }
  });

  it('read from/to boxes as the CLI reads --from/--to', () => {
    for (const text of ['120', '1.5s', '200ms', '40us', '2m']) expect(copy(page.parseBound(text, 'from'))).toEqual(parseWindowBound(text, '--from'));
    expect(page.parseBound('  ', 'from')).toBeNull();
    expect(() => page.parseBound('soon', 'to')).toThrow(/^to: "soon" is neither/);
    for (const text of ['1.000001s', '0.001ms']) expect(copy(page.parseBound(text, 'from'))).toEqual(parseWindowBound(text, '--from'));
    for (const text of ['0.5us', '1.0000005s']) expect(() => page.parseBound(text, 'from')).toThrow(`from: "${text}" is not a whole number of microseconds`);
  });

  it('say a from/to window is empty exactly when the CLI refuses it, in the same words', () => {
    const bounds = ['200', '100', '300ms', '100ms', '1s'];
    for (const from of bounds) {
      for (const to of bounds) {
        const cli = emptyWindowReason(parseWindowBound(from, '--from'), parseWindowBound(to, '--to'));
        expect(page.emptyWindowReason(page.parseBound(from, 'from'), page.parseBound(to, 'to')), `${from}..${to}`).toBe(cli);
      }
    }
    expect(page.emptyWindowReason(page.parseBound('300ms', 'from'), page.parseBound('100ms', 'to'))).toBe('300ms comes after 100ms');
    expect(page.emptyWindowReason(null, { eventNumber: 1 } satisfies WindowBound)).toBeNull();
  });
});

describe('where node states stop', () => {
  it('know the state before the first unknown event but not after it, nor anything later', () => {
    expect(copy(page.stateKnown(198, 199))).toEqual({ before: true, after: true });
    expect(copy(page.stateKnown(199, 199))).toEqual({ before: true, after: false });
    expect(copy(page.stateKnown(250, 199))).toEqual({ before: false, after: false });
    expect(copy(page.stateKnown(418, null))).toEqual({ before: true, after: true });
  });
});

describe('state patches', () => {
  it('diff only what changed, using immer\'s shared references', () => {
    const before = { counts: { a: 1, b: 2 }, acked: [1, 2, 3], name: 'x', gone: true };
    const after = produce(before, (draft) => {
      draft.counts.b = 5;
      draft.acked.push(4, 5);
      delete (draft as { gone?: boolean }).gone;
      (draft as { extra?: number[] }).extra = [9];
    });
    expect(diffStates(before, after)).toEqual([
      ['s', ['counts', 'b'], 5],
      ['a', ['acked'], [4, 5]],
      ['s', ['extra'], [9]],
      ['d', ['gone']],
    ]);
    expect(diffStates(before, produce(before, (d) => void d))).toEqual([]);
    expect(diffStates([1, 2, 3], [1, 7])).toEqual([['s', [1], 7], ['t', [], 2]]);
    expect(diffStates({ a: 1 }, null)).toEqual([['s', [], null]]);
  });

  it('rebuild every state of a random walk on the page, from snapshots and patches (seeds 1..20)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = new RandomStream(seed, 'patch-test');
      let state: Record<string, unknown> = { log: [], counts: {}, leader: null };
      const states = [state];
      for (let step = 0; step < 60; step++) {
        state = produce(state, (draft) => {
          const log = draft['log'] as unknown[];
          const counts = draft['counts'] as Record<string, number>;
          switch (random.int(5)) {
            case 0: log.push({ term: step, value: random.int(10) }); break;
            case 1: log.length = random.int(log.length + 1); break;
            case 2: counts[`n${random.int(4)}`] = step; break;
            case 3: delete counts[`n${random.int(4)}`]; break;
            default: draft['leader'] = random.chance(0.5) ? null : `n${random.int(4)}`;
          }
        });
        states.push(state);
      }
      // As node-states.ts embeds them: a snapshot first and every tenth change, patches between.
      const texts = states.map((s, i) => (i % 10 === 0 ? JSON.stringify({ s }) : JSON.stringify({ p: diffStates(states[i - 1], s) })));
      const changes = states.flatMap((_, i) => [i * 3 + 1, i]);
      states.forEach((expected, i) => {
        expect(page.changeAt(changes, i * 3 + 1, true)).toBe(i);
        expect(page.changeAt(changes, i * 3 + 1, false)).toBe(i - 1);
        expect(copy(page.stateAtChange(changes, texts, i)), `seed ${seed} change ${i}`).toEqual(copy(expected));
      });
    }
  });
});
