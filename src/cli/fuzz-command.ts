/**
 * `faultline fuzz <model...>`: many seeds on a pool of worker threads, each
 * failing seed's trace written under --out with its replay command, a summary
 * grouped by property and signature, and optional JSON and JUnit reports.
 * The campaign itself lives in src/fuzz; this file turns flags into it, reads
 * the wall clock, and handles SIGINT.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Simulation } from '../sim/simulation.ts';
import type { SimOptionsInput } from '../sim/options.ts';
import { resolvePlan } from '../faults/plan.ts';
import { parseDuration } from '../sim/duration.ts';
import { InputError } from '../sim/errors.ts';
import type { ModelDefinition } from '../node/model.ts';
import { loadModel } from './load-model.ts';
import { parseNonNegativeInteger, parsePositiveInteger, shellQuote } from './flags.ts';
import { flagsForOptions } from './rerun-flags.ts';
import { addSimulationOptions, optionsFromFlags, type SimFlags } from './sim-flags.ts';
import { Campaign, type CampaignConfig } from '../fuzz/campaign.ts';
import { NO_SHARD, parseShard, shardSeedCount, type SeedPlan } from '../fuzz/seeds.ts';
import { buildReport, type CampaignIdentity } from '../fuzz/report-json.ts';
import { barProgress, plainProgress, type ProgressView } from '../fuzz/progress.ts';
import { formatSummary } from '../fuzz/summary.ts';
import { checkWritable } from '../fuzz/write-file.ts';
import { writeReports } from '../fuzz/write-reports.ts';

/** Flags of `faultline fuzz`. */
interface FuzzFlags extends SimFlags {
  seeds?: string;
  duration?: string;
  startSeed?: string;
  workers?: string;
  shard?: string;
  out?: string;
  json?: string;
  junit?: string;
  failFast?: boolean;
  checkDeterminism?: boolean;
}

/** Seeds of a campaign when neither --seeds nor --duration is given. */
export const DEFAULT_SEEDS = 100;
/** Most worker threads a campaign starts: each loads its models and holds a heap, so thousands would exhaust memory long before they helped. */
export const MAX_WORKERS = 256;
/** Where failing seeds' traces go by default (an ignored folder). */
export const DEFAULT_FUZZ_OUT = join('traces', 'out', 'fuzz');

/** The command that re-runs one seed of `ref` with the campaign's options (for failures that have no trace). */
export function fuzzRerunCommand(ref: string, model: ModelDefinition, options: SimOptionsInput, seed: number): string {
  const planned = resolvePlan(model.defaults, { ...options, seed });
  const profile = options.profile;
  const baseline = resolvePlan(model.defaults, profile === undefined ? { seed } : { seed, profile }).options;
  return `npx faultline run ${shellQuote(ref)} ${flagsForOptions(planned.options, baseline, planned.plan ?? undefined).join(' ')}`;
}

/** Loads every model and checks the options against each (a bad flag or bug flag is exit 2 before any worker starts). */
async function loadModels(refs: readonly string[], options: SimOptionsInput, seed: number): Promise<Map<string, ModelDefinition>> {
  const models = new Map<string, ModelDefinition>();
  // Traces are named after the model's own name, so two models of one name would overwrite each other's.
  const refByName = new Map<string, string>();
  for (const ref of refs) {
    if (models.has(ref)) throw new InputError(`fuzz: model "${ref}" is named twice`);
    const { model } = await loadModel(ref);
    const other = refByName.get(model.name);
    if (other !== undefined) throw new InputError(`fuzz: "${other}" and "${ref}" are both models named "${model.name}" (their traces would overwrite each other's): fuzz one at a time`);
    new Simulation(model, { ...options, seed });
    models.set(ref, model);
    refByName.set(model.name, ref);
  }
  return models;
}

/** Parses --workers: at least 1, at most MAX_WORKERS. */
function parseWorkers(text: string): number {
  const workers = parsePositiveInteger(text, '--workers');
  if (workers > MAX_WORKERS) throw new InputError(`--workers: ${workers} is more than ${MAX_WORKERS} threads`);
  return workers;
}

/** Creates the trace folder now, so a bad --out is bad input before any seed runs, not a failure of every failing seed. */
function makeOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`--out: cannot create the folder ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function campaignPlan(flags: FuzzFlags): { plan: SeedPlan; durationMs: number | null } {
  if (flags.seeds !== undefined && flags.duration !== undefined) throw new InputError('fuzz: give --seeds or --duration, not both');
  const durationMs = flags.duration === undefined ? null : parseDuration(flags.duration, '--duration') / 1000;
  if (durationMs !== null && durationMs <= 0) throw new InputError(`--duration: "${flags.duration}" must be longer than 0`);
  const totalSeeds = durationMs !== null ? null : flags.seeds === undefined ? DEFAULT_SEEDS : parsePositiveInteger(flags.seeds, '--seeds');
  const startSeed = flags.startSeed === undefined ? 0 : parseNonNegativeInteger(flags.startSeed, '--start-seed');
  // Past 2^53 seeds lose precision (two k's give one seed) and a run refuses them: refuse the campaign instead.
  if (totalSeeds !== null && !Number.isSafeInteger(startSeed + totalSeeds - 1)) {
    throw new InputError(`--start-seed ${startSeed} with --seeds ${totalSeeds}: the last seed would be past ${Number.MAX_SAFE_INTEGER}, the largest seed`);
  }
  const shard = flags.shard === undefined ? NO_SHARD : parseShard(flags.shard);
  return { plan: { startSeed, shard, totalSeeds }, durationMs };
}

/** Registers `fuzz`; `argv` (as in process.argv) is recorded in the JSON report. */
export function registerFuzzCommand(program: Command, color: boolean, setExit: (code: number) => void, argv: readonly string[]): void {
  const command = program
    .command('fuzz')
    .description('run many seeds of one or more models on worker threads; report every failing seed with its trace and replay command')
    .argument('<model...>', 'bundled models (see `faultline models`) or paths to your model modules')
    .option('--seeds <n>', `seeds per model in the whole campaign (deterministic: the same seeds, the same failures) (default ${DEFAULT_SEEDS})`)
    .option('--duration <duration>', 'run seeds for this much wall time instead, e.g. 60s (how many seeds run depends on the machine: not deterministic)')
    .option('--start-seed <n>', 'first seed (default 0)')
    .option('--workers <n>', `worker threads, at most ${MAX_WORKERS} (default: one per core, here ${availableParallelism()})`)
    .option('--shard <i/n>', 'run shard i of n: seeds start+(i-1), start+(i-1)+n, ... (combine the shards\' --json reports with `faultline merge`)')
    .option('--out <dir>', `folder for failing seeds' traces (default ${DEFAULT_FUZZ_OUT})`)
    .option('--json <file>', 'write the campaign report as JSON (versioned; `faultline merge` reads it)')
    .option('--junit <file>', 'write a JUnit XML report: one test case per failing seed plus a summary case per model')
    .option('--fail-fast', 'stop dispatching at the first failure (seeds in flight finish; which failures are found then depends on timing)')
    .option('--check-determinism', 'run every seed twice, in two different worker threads, and report any trace-hash mismatch as a failure');
  addSimulationOptions(command).addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  faultline fuzz register --seeds 1000 --workers 2',
      '  faultline fuzz register ping-pong --seeds 500 --profile chaos --json fuzz.json --junit fuzz.xml',
      '  faultline fuzz replicated-counter --bug ack-before-sync --seeds 200 --fail-fast',
      '  faultline fuzz ./my-model.ts --duration 60s --check-determinism',
      '  faultline fuzz register --seeds 10000 --shard 2/4 --json shard-2.json   # then: faultline merge shard-*.json',
      '',
      'Results are sorted by model and seed and do not depend on --workers. Ctrl-C stops dispatching, lets the',
      'seeds in flight finish and writes the partial reports (a second Ctrl-C abandons the seeds in flight).',
      '',
      'Exit codes: 0 nothing failed, 1 a property failed, 2 bad input, 3 a model crashed, a worker died or a seed',
      'was nondeterministic; 130 interrupted with nothing failed.',
    ].join('\n'),
  );
  command.action(async (refs: string[], flags: FuzzFlags) => {
    const { plan, durationMs } = campaignPlan(flags);
    const workers = flags.workers === undefined ? availableParallelism() : parseWorkers(flags.workers);
    if (flags.out === '') throw new InputError('--out: the path is empty');
    const traceDir = flags.out ?? DEFAULT_FUZZ_OUT;
    const options = optionsFromFlags(flags, plan.startSeed);
    delete options.seed;
    const models = await loadModels(refs, options, plan.startSeed);
    makeOutDir(traceDir);
    if (flags.json !== undefined) checkWritable(flags.json, '--json');
    if (flags.junit !== undefined) checkWritable(flags.junit, '--junit');
    const identity: CampaignIdentity = {
      models: refs, options, startSeed: plan.startSeed, shardCount: plan.shard.count,
      seeds: plan.totalSeeds, durationMs, checkDeterminism: flags.checkDeterminism === true,
    };
    const perModel = plan.totalSeeds === null ? 'until the time is up' : `${plan.totalSeeds} seeds per model`;
    const shardText = plan.shard.count > 1 ? `, shard ${plan.shard.index}/${plan.shard.count}` : '';
    process.stderr.write(`fuzz: ${refs.join(', ')}: ${perModel} from seed ${plan.startSeed}${shardText}, ${workers} worker(s); failing traces in ${traceDir}\n`);
    const perShard = shardSeedCount(plan);
    const seedsTotal = perShard === null ? null : perShard * refs.length;
    const progress = progressView(durationMs, seedsTotal);
    const config: CampaignConfig = {
      models: refs, options, plan, durationMs, workers, traceDir,
      failFast: flags.failFast === true, checkDeterminism: flags.checkDeterminism === true,
      nowMs: () => performance.now(),
      rerunCommand: (ref, seed) => fuzzRerunCommand(ref, models.get(ref)!, options, seed),
      sometimesNames: new Map(refs.map((ref) => [ref, (models.get(ref)!.properties ?? []).filter((p) => p.kind === 'sometimes').map((p) => p.name)])),
      onProgress: (p) => progress.update(p),
    };
    const campaign = new Campaign(config);
    let interrupts = 0;
    const onInterrupt = (): void => {
      interrupts++;
      if (interrupts === 1) {
        process.stderr.write('\nfuzz: interrupted: finishing the seeds in flight (Ctrl-C again to abandon them)\n');
        campaign.stop('interrupted');
      } else campaign.abandon();
    };
    process.on('SIGINT', onInterrupt);
    let result;
    try {
      result = await campaign.run();
    } finally {
      process.off('SIGINT', onInterrupt);
    }
    const report = buildReport(['faultline', ...argv.slice(2)].map(shellQuote).join(' '), identity, plan.shard.index, result);
    const failed = report.failures.length;
    progress.finish({ seedsDone: report.seedsRun, seedsTotal, failures: failed, elapsedMs: result.wallMs });
    // The summary first: a report file that cannot be written must not hide what the campaign found.
    process.stdout.write(`${formatSummary(report, workers, color).join('\n')}\n`);
    setExit(writeReports(report, flags));
  });
}

function progressView(durationMs: number | null, seedsTotal: number | null): ProgressView {
  if (process.stderr.isTTY === true) return barProgress(process.stderr, { durationMs }, seedsTotal);
  return plainProgress((line) => process.stderr.write(`${line}\n`), { durationMs });
}
