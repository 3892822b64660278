/**
 * Viewer benchmark (`npm run bench:viewer`): how fast the HTML diagram of a
 * 100,000-event trace shows its first screen in headless Chromium.
 *
 * The trace comes from a real run: the replicated-counter model under its
 * default faults, for as long as it takes to pass the event count. The bench
 * writes the page with `faultline view --html`'s own code (node states from a
 * replay included), then opens it several times in a fresh page and times
 * from navigation to the first drawn screen (the page marks
 * body[data-ready]). It also times a jump to the middle of the trace and
 * checks that only the rows on screen are drawn. Goal: first screen < 2 s.
 *
 * Options: --events N (default 100000), --repeats N (page loads, default 3).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Simulation } from '../../src/sim/simulation.ts';
import { sec } from '../../src/sim/duration.ts';
import { FileSink, readTraceFile } from '../../src/trace/file.ts';
import { loadModel } from '../../src/cli/load-model.ts';
import { buildPageData, renderPage } from '../../src/view/html.ts';
import { launchChromium } from '../support/browser.ts';

// Taken before any run: the simulator's determinism guard traps the real clocks while it runs.
const hrtime = process.hrtime.bigint;
const elapsedMs = (startNs: bigint): number => Number(hrtime() - startNs) / 1e6;

const { values: flags } = parseArgs({ options: { events: { type: 'string', default: '100000' }, repeats: { type: 'string', default: '3' } } });
const positive = (text: string, name: string): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`);
  return value;
};
const EVENTS = positive(flags.events, 'events');
const REPEATS = positive(flags.repeats, 'repeats');
const GOAL_MS = 2_000;
/** Virtual time per event of replicated-counter seed 1 is about 1.6 ms; run a little longer, then check. */
const VIRTUAL_US_PER_EVENT = 1_700;

const outDir = join(process.cwd(), 'test-output', 'bench');
mkdirSync(outDir, { recursive: true });
const tracePath = join(outDir, `replicated-counter-${EVENTS}.jsonl`);
const htmlPath = join(outDir, `replicated-counter-${EVENTS}.html`);

let started = hrtime();
const { model } = await loadModel('replicated-counter');
const sink = new FileSink(tracePath);
const sim = new Simulation(model, { seed: 1, timeUs: sec(Math.ceil((EVENTS * VIRTUAL_US_PER_EVENT) / 1e6)) }, { sinks: [sink] });
const run = sim.run();
sink.close();
if (run.events < EVENTS) throw new Error(`the run made ${run.events} events, fewer than ${EVENTS}: raise VIRTUAL_US_PER_EVENT`);
const runMs = elapsedMs(started);

started = hrtime();
const trace = readTraceFile(tracePath);
const data = await buildPageData(trace, tracePath);
writeFileSync(htmlPath, renderPage(data));
const writeMs = elapsedMs(started);
const mb = (path: string): string => (statSync(path).size / 1e6).toFixed(1);
console.log(`trace: ${run.events} events (replicated-counter seed 1, ${run.outcome}), ${mb(tracePath)} MB, run in ${(runMs / 1000).toFixed(1)} s`);
console.log(`page:  ${mb(htmlPath)} MB, written in ${(writeMs / 1000).toFixed(1)} s (replay for node states included); states: ${data.states.note ?? 'complete'}`);

const browser = await launchChromium();
const firstScreenMs: number[] = [];
const middleMs: number[] = [];
let drawnRows = 0;
try {
  for (let i = 0; i < REPEATS; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    started = hrtime();
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    firstScreenMs.push(elapsedMs(started));
    // Jump to the middle of the trace and wait for its rows to be drawn.
    const middle = Math.floor(run.events / 2);
    started = hrtime();
    await page.evaluate(`document.getElementById('scroller').scrollTop = ${middle * 20}`);
    await page.waitForSelector(`[data-n="${middle + 1}"]`, { timeout: 10_000 });
    middleMs.push(elapsedMs(started));
    drawnRows = await page.locator('#diagram [data-n]').count();
    await page.close();
  }
} finally {
  await browser.close();
}

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const report = (name: string, values: number[]): string =>
  `${name.padEnd(28)} best ${sorted(values)[0]?.toFixed(0)} ms, median ${sorted(values)[Math.floor(values.length / 2)]?.toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(', ')})`;
console.log(report('first screen (load + draw)', firstScreenMs));
console.log(report('jump to the middle', middleMs));
console.log(`marks drawn at the middle: ${drawnRows} (of ${run.events} events): only the rows on screen`);
const median = sorted(firstScreenMs)[Math.floor(firstScreenMs.length / 2)] ?? Infinity;
console.log(`goal: first screen < ${GOAL_MS} ms — median ${median.toFixed(0)} ms: ${median < GOAL_MS ? 'MET' : 'NOT MET'}`);
