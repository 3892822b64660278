/**
 * A fuzz campaign: seeds of one or more models dispatched in seed order to a
 * worker pool, with a bounded number in flight, until the seed count or the
 * wall-time budget is reached, a stop is asked for (SIGINT, --fail-fast), or
 * the campaign is abandoned. Results are kept per seed and reported sorted by
 * model and seed, so they do not depend on the number of workers or on which
 * seed finished first. Under `checkDeterminism` every seed runs in two pools
 * (so in two different threads) and their trace hashes must agree.
 */
import type { SimOptionsInput } from '../sim/options.ts';
import { replayCommand, viewCommand } from '../cli/report.ts';
import { shellQuote } from '../cli/flags.ts';
import { SeedPool, type TaskResult } from './pool.ts';
import { seedAt, shardSeedCount, type SeedPlan } from './seeds.ts';
import { signatureOf, sortFailures, type FuzzFailure } from './failures.ts';
import type { SeedOutcome } from './task.ts';

/** Everything a campaign needs. */
export interface CampaignConfig {
  /** Models as the user named them, in order. */
  models: readonly string[];
  /** Options of every run (the seed is set per run). */
  options: SimOptionsInput;
  plan: SeedPlan;
  /** Wall-time budget in milliseconds, or null to run the plan's seed count. */
  durationMs: number | null;
  workers: number;
  /** Folder for failing seeds' traces. */
  traceDir: string;
  failFast: boolean;
  checkDeterminism: boolean;
  /** The campaign's wall clock, in milliseconds (injected: the campaign's code never reads a clock itself). */
  nowMs: () => number;
  /** The command that re-runs a seed, for failures without a trace. */
  rerunCommand: (model: string, seed: number) => string;
  /** Each model's `sometimes` properties, so one that no seed saw is counted as 0 rather than left out. */
  sometimesNames?: ReadonlyMap<string, readonly string[]>;
  /** Called after each seed completes. */
  onProgress?: (progress: CampaignProgress) => void;
}

/** Where a campaign stands. */
export interface CampaignProgress {
  seedsDone: number;
  /** Seeds the campaign will run (all models), or null under a wall-time budget. */
  seedsTotal: number | null;
  failures: number;
  elapsedMs: number;
}

/** Why dispatching stopped early, if it did. */
export type StopReason = 'interrupted' | 'fail-fast' | null;

/** Per-model counts of a finished campaign. */
export interface ModelTally {
  model: string;
  /** Seeds that completed (failing ones included). */
  seedsRun: number;
  /** Seeds dispatched but abandoned before they completed (a second SIGINT). */
  abandoned: number[];
  /** Virtual time simulated over the completed seeds, in microseconds. */
  virtualUs: number;
  /** How many completed seeds saw each `sometimes` property (by name). */
  sometimesSeen: Record<string, number>;
}

/** What a campaign found. */
export interface CampaignResult {
  tallies: ModelTally[];
  failures: FuzzFailure[];
  stopped: StopReason;
  wallMs: number;
}

/**
 * Threads of each pool: all `workers` in one pool, or under `checkDeterminism`
 * split between the two pools (at least one each), so the campaign starts the
 * threads asked for (two when one was asked for: the copies need two threads).
 */
export function poolSizes(workers: number, checkDeterminism: boolean): number[] {
  if (!checkDeterminism) return [workers];
  return [Math.max(1, Math.ceil(workers / 2)), Math.max(1, Math.floor(workers / 2))];
}

/** Why a worker gave no outcome for `seed`: its thread died, or it reported an error outside the model (its own message). */
function crashMessage(crashed: Extract<TaskResult, { ok: false }> | undefined, worker: string, seed: number): string {
  if (crashed === undefined) return `${worker} gave no result for seed ${seed}`;
  return crashed.died ? `${worker} died running seed ${seed}: ${crashed.message}` : `${worker} failed outside the model running seed ${seed}: ${crashed.message}`;
}

/** Seeds in flight per worker thread: enough to keep each busy while results come back. */
const IN_FLIGHT_PER_THREAD = 2;

/** One campaign; `run()` once, `stop()` or `abandon()` from a signal handler. */
export class Campaign {
  private stopped: StopReason = null;
  private abandonNow: (() => void) | null = null;
  private readonly pools: SeedPool[];
  private readonly failures: FuzzFailure[] = [];
  private readonly tallies: ModelTally[];
  private readonly inFlight = new Map<string, Promise<void>>();
  private seedsDone = 0;
  private startMs = 0;

  constructor(private readonly config: CampaignConfig) {
    // Two pools for two copies: a seed's copies can never share a thread.
    this.pools = poolSizes(config.workers, config.checkDeterminism).map((threads) => new SeedPool(threads));
    this.tallies = config.models.map((model) => {
      const names = config.sometimesNames?.get(model) ?? [];
      return { model, seedsRun: 0, abandoned: [], virtualUs: 0, sometimesSeen: Object.fromEntries(names.map((name) => [name, 0])) };
    });
  }

  /** Stop dispatching; seeds in flight still finish. */
  stop(reason: Exclude<StopReason, null> = 'interrupted'): void {
    this.stopped ??= reason;
  }

  /** Stop at once: seeds in flight are abandoned (listed as such) and the threads terminated. */
  abandon(): void {
    this.stop('interrupted');
    this.abandonNow?.();
  }

  /** Runs the campaign to its end and returns what it found. */
  async run(): Promise<CampaignResult> {
    const { config } = this;
    this.startMs = config.nowMs();
    const perModel = shardSeedCount(config.plan);
    const limit = this.pools[0]!.threads * IN_FLIGHT_PER_THREAD;
    const abandoned = new Promise<'abandoned'>((resolve) => (this.abandonNow = () => resolve('abandoned')));
    let outcome: 'done' | 'abandoned' = 'done';
    try {
      for (let k = 0; perModel === null || k < perModel; k++) {
        // Under a wall-time budget the sequence ends at the largest safe seed (a bounded plan is checked before).
        if (this.stopped !== null || this.outOfTime() || !Number.isSafeInteger(seedAt(config.plan, k))) break;
        for (const model of config.models) {
          while (this.inFlight.size >= limit && outcome === 'done') {
            outcome = (await Promise.race([...this.inFlight.values(), abandoned])) === 'abandoned' ? 'abandoned' : 'done';
          }
          // A stop may have come in while we waited for room.
          if (outcome === 'abandoned' || this.stopped !== null) break;
          this.dispatch(model, seedAt(config.plan, k));
        }
        if (outcome === 'abandoned') break;
      }
      if (outcome === 'done') outcome = (await Promise.race([Promise.all(this.inFlight.values()), abandoned])) === 'abandoned' ? 'abandoned' : 'done';
    } finally {
      this.abandonNow = null;
      this.recordAbandoned();
      await Promise.all(this.pools.map((pool) => pool.destroy()));
    }
    return {
      tallies: this.tallies,
      failures: sortFailures(this.failures, config.models),
      stopped: this.stopped,
      wallMs: config.nowMs() - this.startMs,
    };
  }

  private outOfTime(): boolean {
    return this.config.durationMs !== null && this.config.nowMs() - this.startMs >= this.config.durationMs;
  }

  private dispatch(model: string, seed: number): void {
    const key = JSON.stringify([model, seed]);
    const task = { modelRef: model, options: this.config.options, seed };
    const copies = this.pools.map((pool, copy) => pool.run({ ...task, traceDir: copy === 0 ? this.config.traceDir : null }));
    const done = Promise.all(copies).then((results) => {
      // Results arriving after an abandon belong to seeds already listed as abandoned.
      if (!this.inFlight.has(key)) return;
      this.inFlight.delete(key);
      this.record(model, seed, results);
    });
    this.inFlight.set(key, done);
  }

  private record(model: string, seed: number, results: TaskResult[]): void {
    const tally = this.tallies.find((t) => t.model === model)!;
    tally.seedsRun++;
    const before = this.failures.length;
    try {
      this.failures.push(...this.seedFailures(tally, seed, results));
    } catch (error) {
      // Nothing may make a seed vanish from the report: whatever failed here is that seed's failure.
      this.failures.push(this.unrecorded(model, seed, error));
    }
    this.seedsDone++;
    if (this.config.failFast && this.failures.length > before) this.stop('fail-fast');
    this.config.onProgress?.({
      seedsDone: this.seedsDone,
      seedsTotal: this.totalSeeds(),
      failures: this.failures.length,
      elapsedMs: this.config.nowMs() - this.startMs,
    });
  }

  /** Counts a completed seed into its model's tally and returns its failures. */
  private seedFailures(tally: ModelTally, seed: number, results: TaskResult[]): FuzzFailure[] {
    const [first, second] = results;
    const outcome = first !== undefined && first.ok ? first.outcome : null;
    if (outcome === null) {
      const crashed = results.find((r): r is Extract<TaskResult, { ok: false }> => !r.ok);
      return [this.bare(tally.model, seed, 'worker-crash', crashMessage(crashed, 'the worker', seed))];
    }
    tally.virtualUs += outcome.endTimeUs;
    for (const name of outcome.sometimesSeen) tally.sometimesSeen[name] = (tally.sometimesSeen[name] ?? 0) + 1;
    return this.outcomeFailures(tally.model, outcome, second);
  }

  /** The failure of a seed whose result could not be recorded; its command is the plainest re-run, since building the usual one may be what failed. */
  private unrecorded(model: string, seed: number, error: unknown): FuzzFailure {
    const message = `the campaign could not record seed ${seed}: ${error instanceof Error ? error.message : String(error)}`;
    return {
      model, seed, kind: 'worker-crash', property: null, signature: signatureOf(message), message,
      eventNumber: null, timeUs: null, tracePath: null, replay: `npx faultline run ${shellQuote(model)} --seed ${seed}`, view: null,
    };
  }

  /** The run's own failure, and a mismatch when the second copy or the traced re-run gave another hash. */
  private outcomeFailures(model: string, outcome: SeedOutcome, second: TaskResult | undefined): FuzzFailure[] {
    const found: FuzzFailure[] = [];
    const f = outcome.failure;
    if (f !== null) {
      found.push({
        model, seed: outcome.seed, kind: f.kind, property: f.property, signature: signatureOf(f.message), message: f.message,
        eventNumber: f.eventNumber, timeUs: f.timeUs, tracePath: outcome.tracePath,
        replay: outcome.tracePath === null ? this.config.rerunCommand(model, outcome.seed) : replayCommand(outcome.tracePath),
        view: outcome.tracePath === null ? null : viewCommand(outcome.tracePath),
      });
    }
    if (outcome.retracedHash !== null) {
      found.push(this.bare(model, outcome.seed, 'mismatch', `seed ${outcome.seed} ran twice in one worker with different trace hashes: ${outcome.traceHash} then ${outcome.retracedHash}`));
    }
    if (second !== undefined && !second.ok) {
      found.push(this.bare(model, outcome.seed, 'worker-crash', crashMessage(second, 'the second worker', outcome.seed)));
    } else if (second !== undefined && second.outcome.traceHash !== outcome.traceHash) {
      found.push(this.bare(model, outcome.seed, 'mismatch', `seed ${outcome.seed} ran in two workers with different trace hashes: ${outcome.traceHash} and ${second.outcome.traceHash}`));
    }
    return found;
  }

  /** A failure with no run behind it to point at: replayed by re-running the seed. */
  private bare(model: string, seed: number, kind: 'worker-crash' | 'mismatch', message: string): FuzzFailure {
    return {
      model, seed, kind, property: null, signature: signatureOf(message.replace(/[0-9a-f]{16}/g, 'H')), message,
      eventNumber: null, timeUs: null, tracePath: null, replay: this.config.rerunCommand(model, seed), view: null,
    };
  }

  private totalSeeds(): number | null {
    const perModel = shardSeedCount(this.config.plan);
    return perModel === null ? null : perModel * this.config.models.length;
  }

  private recordAbandoned(): void {
    for (const key of this.inFlight.keys()) {
      const [model, seed] = JSON.parse(key) as [string, number];
      this.tallies.find((t) => t.model === model)?.abandoned.push(seed);
    }
    for (const tally of this.tallies) tally.abandoned.sort((a, b) => a - b);
    this.inFlight.clear();
  }
}
