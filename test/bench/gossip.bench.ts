/**
 * Scale benchmark (`npm run bench:gossip`): the gossip model with 10,000 peers
 * under its default faults, one seed, recording off (no sinks: only the
 * rolling hash). Prints events, scheduler steps, virtual time, wall time,
 * events and steps per second, heap and peak memory, and the ratio to the
 * bare typed-array heap loop of core.bench.ts popping as many events as the
 * run had steps, at a queue depth of one event per peer, in this process.
 *
 * Options: --nodes N (default 10000), --seed N (default 0).
 * Run under `node --expose-gc --import tsx` to measure the heap after a collection too.
 */
import { availableParallelism, loadavg } from 'node:os';
import { runSimulation } from '../../src/index.ts';
import model from '../../models/gossip/model.ts';
import { typedArrayHeapLoop } from './bare-heap-loop.ts';

// Taken before any run: the simulator's determinism guard traps performance.now while it runs.
const hrtime = process.hrtime.bigint;
const elapsedSec = (startNs: bigint): number => Number(hrtime() - startNs) / 1e9;
const collect = (globalThis as { gc?: () => void }).gc;

const argv = process.argv.slice(2);
function numberArg(name: string, fallback: number, least: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < least) {
    process.stderr.write(`gossip.bench: ${name} needs an integer of at least ${least}, got ${argv[i + 1] ?? 'nothing'}\n`);
    process.exit(2);
  }
  return value;
}
const NODES = numberArg('--nodes', 10_000, 2);
const SEED = numberArg('--seed', 0, 0);

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const rate = (perSec: number): string => `${(perSec / 1e6).toFixed(3)} M/s`;

function main(): void {
  const loadBefore = loadavg()[0] as number;
  collect?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = hrtime();
  const result = runSimulation(model, { seed: SEED, nodes: { peer: NODES }, maxEvents: 100_000_000 });
  const wallSec = elapsedSec(start);
  const heapAfter = process.memoryUsage().heapUsed;
  collect?.();
  const heapRetained = process.memoryUsage().heapUsed;
  // The operating system's high-water mark of this process's resident memory (KiB).
  const peakRss = process.resourceUsage().maxRSS * 1024;

  // The baseline: as many pops as the run had scheduler steps, one pending event per peer.
  typedArrayHeapLoop(NODES, Math.max(1, result.steps >> 2));
  const bareStart = hrtime();
  typedArrayHeapLoop(NODES, result.steps);
  const bareSec = elapsedSec(bareStart);

  const verdict = result.failure === null ? 'pass' : `FAIL ${result.failure.kind} ${result.failure.property ?? ''}`;
  console.log(`faultline gossip scale benchmark — node ${process.version}; ${NODES.toLocaleString('en')} peers, seed ${SEED}, default faults, recording off`);
  console.log(`outcome            ${verdict} (${result.endReason})`);
  console.log(`trace events       ${result.events.toLocaleString('en')}`);
  console.log(`scheduler steps    ${result.steps.toLocaleString('en')}`);
  console.log(`messages           sent ${result.stats.sent.toLocaleString('en')}, delivered ${result.stats.delivered.toLocaleString('en')}, dropped ${result.stats.dropped.toLocaleString('en')}`);
  console.log(`virtual time       ${(result.endTimeUs / 1e6).toFixed(3)} s`);
  console.log(`wall time          ${wallSec.toFixed(2)} s`);
  console.log(`events/s           ${rate(result.events / wallSec)}`);
  console.log(`steps/s            ${rate(result.steps / wallSec)}`);
  console.log(`heap               ${mb(heapBefore)} before, ${mb(heapAfter)} at the end of the run` +
    (collect === undefined ? ' (no --expose-gc: no collection)' : `, ${mb(heapRetained)} after a collection`));
  console.log(`peak memory (RSS)  ${mb(peakRss)}`);
  console.log(`bare loop          ${result.steps.toLocaleString('en')} pops in ${bareSec.toFixed(3)} s = ${rate(result.steps / bareSec)}`);
  console.log(`ratio              simulator steps/s ÷ bare pops/s = ${((result.steps / wallSec) / (result.steps / bareSec)).toFixed(4)}`);
  const loadAfter = loadavg()[0] as number;
  const cores = availableParallelism();
  console.log(`1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cores} cores` +
    (Math.max(loadBefore, loadAfter) > cores - 1 ? ' — the machine was busy: figures are noisy, compare ratios only within one run' : ''));
  if (result.failure !== null) process.exitCode = 1;
}

main();
