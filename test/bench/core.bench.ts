/**
 * Core throughput benchmark (`npm run bench`).
 *
 * Measures scheduler events per second for a ping-pong model run through the
 * full simulator, with trace recording off (no sinks: only the rolling hash)
 * and on (a sink that receives every JSON line), and compares them with a bare
 * binary-heap event loop written here, run in the same process, at the same
 * queue depth (~10k pending events). Goal: simulator >= 0.5 x bare loop with
 * recording off.
 *
 * Options: --events N (simulator steps per timed run, default 1_000_000; the
 * bare loops, being cheap, pop twice as many), --repeats N (timed simulator runs
 * per measurement, default 3; the bare loops get at least 5), --quick (200k).
 * Run under `node --expose-gc --import tsx` to collect garbage between runs.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { ModelDefinition } from '../../src/node/model.ts';
import { PENDING, pingPongModel, simulatorRun } from './ping-pong-workload.ts';
import { LATENCY_MIN_US, LATENCY_SPAN_US, typedArrayHeapLoop } from './bare-heap-loop.ts';

// Taken before any run: the simulator's determinism guard traps performance.now while it runs.
const hrtime = process.hrtime.bigint;
const elapsedSec = (startNs: bigint): number => Number(hrtime() - startNs) / 1e9;

// ---- settings -------------------------------------------------------------

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
function numberArg(name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}
const EVENTS = numberArg('--events', quick ? 200_000 : 1_000_000);
const REPEATS = numberArg('--repeats', 3);
const BARE_EVENTS = 2 * EVENTS;
const BARE_REPEATS = Math.max(5, REPEATS);

// ---- bare loop 2: binary min-heap over an array of objects (reference) -----

interface HeapEntry {
  timeUs: number;
  seq: number;
  payload: number;
}

function objectHeapLoop(pending: number, events: number): number {
  const heap: HeapEntry[] = [];
  let nextSeq = 0;
  let rng = 0x9e3779b9 | 0;
  let checksum = 0;
  const less = (a: HeapEntry, b: HeapEntry): boolean => a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);

  const push = (timeUs: number, payload: number): void => {
    const entry: HeapEntry = { timeUs, seq: nextSeq++, payload };
    let index = heap.length;
    heap.push(entry);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as HeapEntry;
      if (!less(entry, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = entry;
  };

  const pop = (): HeapEntry => {
    const top = heap[0] as HeapEntry;
    const last = heap.pop() as HeapEntry;
    const count = heap.length;
    if (count === 0) return top;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= count) break;
      const right = child + 1;
      if (right < count && less(heap[right] as HeapEntry, heap[child] as HeapEntry)) child = right;
      const below = heap[child] as HeapEntry;
      if (!less(below, last)) break;
      heap[index] = below;
      index = child;
    }
    heap[index] = last;
    return top;
  };

  for (let i = 0; i < pending; i++) {
    rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5;
    push(LATENCY_MIN_US + ((rng >>> 0) % LATENCY_SPAN_US), i);
  }
  for (let done = 0; done < events; done++) {
    const entry = pop();
    checksum = (checksum + entry.payload) | 0;
    rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5;
    push(entry.timeUs + LATENCY_MIN_US + ((rng >>> 0) % LATENCY_SPAN_US), entry.payload);
  }
  return checksum;
}

// ---- measuring --------------------------------------------------------------

interface Measurement {
  name: string;
  events: number;
  bestSec: number;
  medianSec: number;
  note: string;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** One warm-up run (a quarter of the work), then `repeats` timed runs of `events`. */
function measure(name: string, events: number, repeats: number, run: (events: number) => string): Measurement {
  run(Math.max(1, events >> 2));
  const times: number[] = [];
  const notes = new Set<string>();
  for (let i = 0; i < repeats; i++) {
    collect?.();
    const start = hrtime();
    notes.add(run(events));
    times.push(elapsedSec(start));
  }
  times.sort((a, b) => a - b);
  // Every repeat does identical work, so its note (checksum or trace hash) must repeat too.
  if (notes.size !== 1) throw new Error(`${name}: repeats disagree (${[...notes].join(' / ')}): nondeterminism`);
  return { name, events, bestSec: times[0] as number, medianSec: times[times.length >> 1] as number, note: [...notes][0] as string };
}

const fmtRate = (perSec: number): string => `${(perSec / 1e6).toFixed(2)} M/s`;
const pad = (text: string, width: number): string => text.padEnd(width);
const padLeft = (text: string, width: number): string => text.padStart(width);

function main(): void {
  const totalStart = hrtime();
  console.log(`faultline core benchmark — node ${process.version}; ${PENDING.toLocaleString('en')} pending events; ` +
    `each measurement: a warm-up, then best and median of ${BARE_REPEATS} (bare loops) or ${REPEATS} (simulator) runs` +
    (collect === undefined ? '' : ', gc between runs'));
  const loadBefore = loadavg()[0] as number;

  const stateless = pingPongModel(false);
  const counting = pingPongModel(true);
  let traceChars = 0;
  let traceEventsPerStep = 0;
  const simRun = (model: ModelDefinition, recording: boolean) => (events: number): string => {
    const run = simulatorRun(model, events, recording);
    if (events === EVENTS) {
      traceEventsPerStep = run.traceEvents / run.steps;
      if (recording) traceChars = Math.max(traceChars, run.chars / run.traceEvents);
    }
    return run.hash;
  };

  const results: Measurement[] = [
    measure('bare loop, typed-array heap', BARE_EVENTS, BARE_REPEATS, (n) => `checksum ${typedArrayHeapLoop(PENDING, n)}`),
    measure('bare loop, array-of-objects heap', BARE_EVENTS, BARE_REPEATS, (n) => `checksum ${objectHeapLoop(PENDING, n)}`),
    measure('simulator, stateless, recording off', EVENTS, REPEATS, simRun(stateless, false)),
    measure('simulator, stateless, recording on', EVENTS, REPEATS, simRun(stateless, true)),
    measure('simulator, counting (immer), recording off', EVENTS, REPEATS, simRun(counting, false)),
    measure('simulator, counting (immer), recording on', EVENTS, REPEATS, simRun(counting, true)),
  ];

  const baseline = results[0] as Measurement;
  const baselineRate = baseline.events / baseline.bestSec;
  console.log('');
  console.log(`${pad('measurement', 44)}${padLeft('events', 11)}${padLeft('best s', 9)}${padLeft('median s', 10)}` +
    `${padLeft('best ev/s', 12)}${padLeft('median ev/s', 13)}${padLeft('x typed', 9)}`);
  for (const m of results) {
    const rate = m.events / m.bestSec;
    console.log(`${pad(m.name, 44)}${padLeft(m.events.toLocaleString('en'), 11)}${padLeft(m.bestSec.toFixed(3), 9)}` +
      `${padLeft(m.medianSec.toFixed(3), 10)}${padLeft(fmtRate(rate), 12)}${padLeft(fmtRate(m.events / m.medianSec), 13)}` +
      `${padLeft((rate / baselineRate).toFixed(3), 9)}`);
  }
  console.log('');
  console.log('events = popped events (bare loops) or scheduler steps, result.steps (simulator); ratios use best times.');
  console.log(`simulator steps are message deliveries, each sending one message: ${traceEventsPerStep.toFixed(2)} trace events per step ` +
    '(send + deliver), all mixed into the rolling hash.');
  console.log(`recording on = one CountingSink that receives every event object and its JSON line as the recorder builds them ` +
    `and sums line lengths (avg ${traceChars.toFixed(0)} chars/line) instead of keeping them.`);
  const ratioOf = (i: number): number => ((results[i] as Measurement).events / (results[i] as Measurement).bestSec) / baselineRate;
  const goal = ratioOf(2);
  console.log('');
  console.log(`goal: simulator (recording off) >= 0.5 x typed-array bare loop — stateless ${goal.toFixed(3)}x: ` +
    `${goal >= 0.5 ? 'MET' : 'NOT MET'}; counting/immer ${ratioOf(4).toFixed(3)}x: ${ratioOf(4) >= 0.5 ? 'MET' : 'NOT MET'}`);
  const loadAfter = loadavg()[0] as number;
  const cores = availableParallelism();
  console.log(`total benchmark time ${elapsedSec(totalStart).toFixed(1)} s; 1-min load average ${loadBefore.toFixed(2)} before, ` +
    `${loadAfter.toFixed(2)} after, on ${cores} cores` +
    (Math.max(loadBefore, loadAfter) > cores - 1 ? ' — the machine was busy: figures are noisy, compare ratios only within one run' : ''));
}

main();
