/**
 * Fuzz throughput benchmark (`npm run bench:fuzz`, part of `npm run bench`).
 *
 * Fuzzes one model for a fixed number of seeds with 1 and with 2 workers (by
 * default; --workers takes a list) and prints seeds per second for each, the
 * ratio of each to 1 worker, and the virtual-to-real speedup (virtual time
 * simulated over all seeds / wall time). Wall time includes starting the
 * worker threads (each compiles the TypeScript once), as a CI run pays it;
 * "steady" counts from the first finished seed on, without that start-up;
 * "cores" is the CPU time all threads got over wall time: on a machine that
 * others share, two workers are worth only as much as the cores they get.
 *
 * Options: --model NAME|PATH (default register: the model is a parameter, so a
 * heavier one such as raft can be measured the same way), --seeds N (default
 * 200), --workers 1,2, --quick (20 seeds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Campaign } from '../../src/fuzz/campaign.ts';
import { NO_SHARD } from '../../src/fuzz/seeds.ts';

// Taken before any run, as core.bench.ts does: the benchmark's own wall clock.
const hrtime = process.hrtime.bigint;
const nowMs = (): number => Number(hrtime()) / 1e6;

const argv = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
}
function positive(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) {
    process.stderr.write(`${name}: "${text}" is not a positive integer\n`);
    process.exit(2);
  }
  return value;
}
const MODEL = arg('--model') ?? 'register';
const SEEDS = positive(arg('--seeds'), '--seeds', argv.includes('--quick') ? 20 : 200);
const WORKERS = (arg('--workers') ?? '1,2').split(',').map((w) => positive(w, '--workers', 1));

/** One campaign of SEEDS seeds on `workers` threads: seeds/s and virtual/real. */
async function measure(workers: number): Promise<{ wallSec: number; seedsPerSec: number; steadyPerSec: number; coresUsed: number; virtualSec: number; speedup: number; failures: number }> {
  let firstDoneMs: number | null = null;
  const cpuBefore = process.cpuUsage();
  const traceDir = mkdtempSync(join(tmpdir(), 'faultline-fuzz-bench-'));
  try {
    const campaign = new Campaign({
      models: [MODEL], options: {}, plan: { startSeed: 0, shard: NO_SHARD, totalSeeds: SEEDS }, durationMs: null,
      workers, traceDir, failFast: false, checkDeterminism: false, nowMs,
      rerunCommand: (model, seed) => `npx faultline run ${model} --seed ${seed}`,
      onProgress: (p) => {
        firstDoneMs ??= p.elapsedMs;
      },
    });
    const result = await campaign.run();
    const wallSec = result.wallMs / 1000;
    // CPU time of every thread of this process: how many cores the campaign really got (others share the machine).
    const cpu = process.cpuUsage(cpuBefore);
    const coresUsed = (cpu.user + cpu.system) / 1e6 / wallSec;
    const virtualSec = result.tallies.reduce((sum, t) => sum + t.virtualUs, 0) / 1e6;
    // After the first seed: threads started and the model compiled.
    const steadyPerSec = SEEDS > 1 && firstDoneMs !== null ? ((SEEDS - 1) * 1000) / (result.wallMs - firstDoneMs) : Number.NaN;
    return { wallSec, seedsPerSec: SEEDS / wallSec, steadyPerSec, coresUsed, virtualSec, speedup: virtualSec / wallSec, failures: result.failures.length };
  } finally {
    rmSync(traceDir, { recursive: true, force: true });
  }
}

const rows: Array<[number, Awaited<ReturnType<typeof measure>>]> = [];
for (const workers of WORKERS) rows.push([workers, await measure(workers)]);
const base = rows.find(([w]) => w === 1)?.[1] ?? rows[0]![1];

console.log(`fuzz benchmark: model ${MODEL}, seeds 0..${SEEDS - 1}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}`);
console.log(`${'workers'.padEnd(8)} ${'seeds'.padStart(6)} ${'wall s'.padStart(8)} ${'seeds/s'.padStart(9)} ${'x 1 worker'.padStart(10)} ${'steady/s'.padStart(9)} ${'x 1 worker'.padStart(10)} ${'cores'.padStart(6)} ${'virtual s'.padStart(10)} ${'virtual/real'.padStart(12)} ${'failures'.padStart(8)}`);
for (const [workers, m] of rows) {
  console.log(
    `${String(workers).padEnd(8)} ${String(SEEDS).padStart(6)} ${m.wallSec.toFixed(2).padStart(8)} ${m.seedsPerSec.toFixed(1).padStart(9)} ${(m.seedsPerSec / base.seedsPerSec).toFixed(2).padStart(9)}x ${m.steadyPerSec.toFixed(1).padStart(9)} ${(m.steadyPerSec / base.steadyPerSec).toFixed(2).padStart(9)}x ${m.coresUsed.toFixed(2).padStart(6)} ${m.virtualSec.toFixed(1).padStart(10)} ${m.speedup.toFixed(1).padStart(11)}x ${String(m.failures).padStart(8)}`,
  );
}
const two = rows.find(([w]) => w === 2)?.[1];
if (two !== undefined) {
  console.log(`2-vs-1 workers: ${(two.seedsPerSec / base.seedsPerSec).toFixed(2)}x seeds/s (${(two.steadyPerSec / base.steadyPerSec).toFixed(2)}x after start-up)`);
}
