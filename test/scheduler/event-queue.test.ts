import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/scheduler/event-queue.ts';
import { RandomStream } from '../../src/random/stream.ts';

interface Entry {
  timeUs: number;
  seq: number;
  label: string;
}

/** The reference order: by time, then by push order. */
function byTimeThenSeq(a: Entry, b: Entry): number {
  return a.timeUs - b.timeUs || a.seq - b.seq;
}

/** Keeps `sorted` in reference order; the newest seq goes after every entry with time <= its time. */
function insertSorted(sorted: Entry[], entry: Entry): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byTimeThenSeq(sorted[mid] as Entry, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, entry);
}

function drain<T>(queue: EventQueue<T>): T[] {
  const out: T[] = [];
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) out.push(item);
  return out;
}

describe('EventQueue', () => {
  it('pops items in time order regardless of push order', () => {
    const queue = new EventQueue<string>();
    queue.push(30, 'c');
    queue.push(10, 'a');
    queue.push(50, 'e');
    queue.push(20, 'b');
    queue.push(40, 'd');
    expect(queue.size).toBe(5);
    expect(drain(queue)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(queue.size).toBe(0);
  });

  it('returns increasing sequence numbers from push', () => {
    const queue = new EventQueue<number>();
    const seqs = [queue.push(5, 0), queue.push(1, 1), queue.push(5, 2), queue.push(0, 3)];
    expect(seqs).toEqual([0, 1, 2, 3]);
  });

  it('pops ties at the same time in push order', () => {
    const queue = new EventQueue<number>();
    // 200 items at only three distinct times, pushed with times interleaved.
    for (let i = 0; i < 200; i++) queue.push((i * 7) % 3, i);
    const popped = drain(queue);
    const expected = [0, 1, 2].flatMap((t) => Array.from({ length: 200 }, (_, i) => i).filter((i) => (i * 7) % 3 === t));
    expect(popped).toEqual(expected);
  });

  it('keeps push order for ties even when pushes and pops interleave', () => {
    const queue = new EventQueue<string>();
    queue.push(10, 'first@10');
    queue.push(5, 'first@5');
    expect(queue.pop()).toBe('first@5');
    queue.push(10, 'second@10');
    queue.push(10, 'third@10');
    queue.push(0, 'late@0');
    expect(drain(queue)).toEqual(['late@0', 'first@10', 'second@10', 'third@10']);
  });

  it('pop on an empty queue returns undefined, also after draining', () => {
    const queue = new EventQueue<string>();
    expect(queue.pop()).toBeUndefined();
    expect(queue.size).toBe(0);
    queue.push(1, 'x');
    expect(queue.pop()).toBe('x');
    expect(queue.pop()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('peekTime gives the earliest pending time without removing it', () => {
    const queue = new EventQueue<string>();
    queue.push(70, 'late');
    expect(queue.peekTime()).toBe(70);
    queue.push(30, 'early');
    expect(queue.peekTime()).toBe(30);
    queue.push(50, 'mid');
    expect(queue.peekTime()).toBe(30);
    expect(queue.size).toBe(3);
    expect(queue.pop()).toBe('early');
    expect(queue.peekTime()).toBe(50);
    expect(queue.pop()).toBe('mid');
    expect(queue.peekTime()).toBe(70);
  });

  it('grows past its initial capacity of 1024 without losing or misordering items', () => {
    const queue = new EventQueue<number>();
    const random = new RandomStream(7, 'event-queue-growth');
    const count = 5_000; // forces three doublings: 1024 -> 2048 -> 4096 -> 8192
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const timeUs = random.int(500); // many ties
      entries.push({ timeUs, seq: queue.push(timeUs, i), label: String(i) });
    }
    expect(queue.size).toBe(count);
    const expected = entries.slice().sort(byTimeThenSeq).map((e) => Number(e.label));
    expect(drain(queue)).toEqual(expected);
  });

  it('matches a reference sort over thousands of random interleaved pushes and pops', () => {
    const random = new RandomStream(20240601, 'event-queue-reference');
    const queue = new EventQueue<Entry>();
    const reference: Entry[] = [];
    let nowUs = 0;
    let pops = 0;
    let maxSize = 0;
    let mismatch: string | null = null;
    for (let op = 0; op < 20_000; op++) {
      // Pushes outnumber pops 3:2 so the queue grows past 1024 partway through.
      if (random.chance(0.6) || reference.length === 0) {
        // Like the scheduler: never schedule in the past, often at "now" exactly.
        const timeUs = nowUs + (random.chance(0.3) ? 0 : random.int(1_000));
        const entry: Entry = { timeUs, seq: -1, label: `op${op}` };
        entry.seq = queue.push(timeUs, entry);
        insertSorted(reference, entry);
      } else {
        const expected = reference.shift() as Entry;
        const peekedUs = queue.peekTime();
        const got = queue.pop();
        // Plain comparisons in the loop (expect() per operation is slow); the first mismatch is reported below.
        if (mismatch === null && (got !== expected || peekedUs !== expected.timeUs)) {
          mismatch = `op ${op}: expected ${expected.label}@${expected.timeUs}, peeked ${peekedUs}, got ${got?.label}@${got?.timeUs}`;
        }
        nowUs = expected.timeUs;
        pops++;
      }
      if (mismatch === null && queue.size !== reference.length) mismatch = `op ${op}: size ${queue.size} != ${reference.length}`;
      maxSize = Math.max(maxSize, reference.length);
    }
    expect(mismatch).toBeNull();
    expect(reference.slice().sort(byTimeThenSeq)).toEqual(reference); // the reference itself is sound
    expect(drain(queue)).toEqual(reference);
    expect(pops).toBeGreaterThan(5_000);
    expect(maxSize).toBeGreaterThan(1_024);
  });
});
