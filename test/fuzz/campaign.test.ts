/**
 * Campaigns on real worker pools, over a fixture model (loaded by path, so
 * the workers must compile TypeScript) whose bug flags fail, throw, kill the
 * worker or leak the thread id on some seeds. Each expectation is computed by
 * running the same seeds in this process.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Campaign, poolSizes, type CampaignConfig, type CampaignResult } from '../../src/fuzz/campaign.ts';
import { NO_SHARD } from '../../src/fuzz/seeds.ts';
import { loadModel } from '../../src/cli/load-model.ts';
import { runSimulation } from '../../src/index.ts';
import { REPO_ROOT } from '../cli/helpers.ts';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/fuzz/seed-dependent-model.ts');
const SEEDS = 40;
const dir = mkdtempSync(join(tmpdir(), 'faultline-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let clockMs = 0;
/** Runs the fixture over seeds 0..seeds-1 with `bugs` on `workers` threads. */
async function fuzz(
  bugs: string[],
  workers: number,
  extra: Partial<CampaignConfig> = {},
  seeds = SEEDS,
  created: (campaign: Campaign) => void = () => {},
): Promise<CampaignResult> {
  const campaign = new Campaign({
    models: [FIXTURE],
    options: { bugs },
    plan: { startSeed: 0, shard: NO_SHARD, totalSeeds: seeds },
    durationMs: null,
    workers,
    traceDir: join(dir, `${bugs.join('+')}-w${workers}`),
    failFast: false,
    checkDeterminism: false,
    // A fake clock: these tests assert on results, never on speed.
    nowMs: () => clockMs++,
    rerunCommand: (model, seed) => `rerun ${model} ${seed}`,
    sometimesNames: new Map([[FIXTURE, ['node0 drew 5', 'node0 drew 6']]]),
    ...extra,
  });
  created(campaign);
  return campaign.run();
}

/** The seeds that fail with `bugs` when run one by one in this process, with their failure kinds. */
async function failingInProcess(bugs: string[], seeds = SEEDS): Promise<Array<[number, string]>> {
  const { model } = await loadModel(FIXTURE);
  const failing: Array<[number, string]> = [];
  for (let seed = 0; seed < seeds; seed++) {
    const failure = runSimulation(model, { seed, bugs }).failure;
    if (failure !== null) failing.push([seed, failure.kind]);
  }
  return failing;
}

/** How many of the seeds saw each `sometimes` property, run one by one in this process. */
async function sometimesInProcess(bugs: string[], seeds = SEEDS): Promise<Record<string, number>> {
  const { model } = await loadModel(FIXTURE);
  const seen: Record<string, number> = {};
  for (let seed = 0; seed < seeds; seed++) {
    for (const s of runSimulation(model, { seed, bugs }).sometimes) seen[s.name] = (seen[s.name] ?? 0) + (s.firstSeenEvent === null ? 0 : 1);
  }
  return seen;
}

describe('fuzz campaign: results do not depend on the number of workers', () => {
  it('1 and 3 workers find the same failing seeds, kinds and byte-identical traces as a run in this process', async () => {
    const bugs = ['fail-some', 'throw-some'];
    const expected = await failingInProcess(bugs);
    // The fixture splits seeds: some pass, some fail their property, some crash.
    expect(expected.filter(([, kind]) => kind === 'safety').length).toBeGreaterThan(2);
    expect(expected.filter(([, kind]) => kind === 'model-crash').length).toBeGreaterThan(2);
    expect(expected.length).toBeLessThan(SEEDS - 10);
    const one = await fuzz(bugs, 1);
    const three = await fuzz(bugs, 3);
    for (const result of [one, three]) {
      expect(result.tallies[0]?.seedsRun).toBe(SEEDS);
      expect(result.failures.map((f) => [f.seed, f.kind])).toEqual(expected);
    }
    const strip = (r: CampaignResult) => r.failures.map(({ tracePath, replay, view, ...rest }) => ({ ...rest, trace: tracePath === null ? null : readFileSync(tracePath, 'utf8') }));
    expect(strip(three)).toEqual(strip(one));
    expect(three.tallies[0]?.virtualUs).toBe(one.tallies[0]?.virtualUs);
    // Campaign-scope sometimes properties: counted per seed, and a never-seen one is there with 0.
    const seen = await sometimesInProcess(bugs);
    expect(seen['node0 drew 5']).toBeGreaterThan(0);
    expect(seen['node0 drew 6']).toBe(0);
    expect(one.tallies[0]?.sometimesSeen).toEqual(seen);
    expect(three.tallies[0]?.sometimesSeen).toEqual(seen);
  });

  it('a throwing model is that seed\'s model-crash, with a trace that names the seed, and the campaign goes on', async () => {
    const result = await fuzz(['throw-some'], 2);
    expect(result.tallies[0]?.seedsRun).toBe(SEEDS);
    const crash = result.failures[0];
    expect(crash?.kind).toBe('model-crash');
    expect(crash?.message).toMatch(/threw on purpose/);
    expect(crash?.tracePath).toMatch(/seed-dependent-throw-some-seed\d+\.jsonl$/);
    const header = JSON.parse(readFileSync(crash!.tracePath!, 'utf8').split('\n')[0]!) as { seed: number };
    expect(header.seed).toBe(crash?.seed);
    expect(crash?.replay).toBe(`npx faultline replay ${crash?.tracePath}`);
  });
});

/** The seeds on which exit-some calls process.exit, learnt in this process by making the exit a throw. */
async function exitingSeeds(): Promise<number[]> {
  const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`exit ${String(code)}`);
  });
  try {
    return (await failingInProcess(['exit-some'])).map(([seed]) => seed);
  } finally {
    exit.mockRestore();
  }
}

describe('fuzz campaign: a worker that dies', () => {
  it('is replaced, its seed is a worker-crash failure, and every other seed still runs and passes', async () => {
    const expected = await exitingSeeds();
    expect(expected.length).toBeGreaterThan(2);
    // One worker: the campaign can only finish if the pool replaces it each time.
    const result = await fuzz(['exit-some'], 1);
    expect(result.tallies[0]?.seedsRun).toBe(SEEDS);
    expect(result.failures.map((f) => f.seed)).toEqual(expected);
    for (const failure of result.failures) {
      expect(failure.kind).toBe('worker-crash');
      expect(failure.message).toMatch(/code:? 7/);
      expect(failure.tracePath).toBeNull();
      expect(failure.replay).toBe(`rerun ${FIXTURE} ${failure.seed}`);
    }
  });

  it('an error in the worker outside the model (its trace cannot be written) is reported with its own message, not as a death', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const expected = (await failingInProcess(['fail-some'])).map(([seed]) => seed);
    // The traces' folder is below a file: every failing seed's traced re-run throws in the worker.
    const result = await fuzz(['fail-some'], 1, { traceDir: join(blocker, 'traces') });
    expect(result.tallies[0]?.seedsRun).toBe(SEEDS);
    expect(result.failures.map((f) => [f.seed, f.kind])).toEqual(expected.map((seed) => [seed, 'worker-crash']));
    for (const failure of result.failures) {
      expect(failure.message).toMatch(new RegExp(`^the worker failed outside the model running seed ${failure.seed}: cannot write the trace file .*: a parent of it is a file, not a directory$`));
    }
  });

  it('a seed whose failure cannot be recorded (building its command throws) is still reported as failed, never lost', async () => {
    const expected = await exitingSeeds();
    const rerunCommand = (): string => {
      throw new Error('no command for you');
    };
    const result = await fuzz(['exit-some'], 1, { rerunCommand });
    expect(result.tallies[0]?.seedsRun).toBe(SEEDS);
    expect(result.failures.map((f) => [f.seed, f.kind])).toEqual(expected.map((seed) => [seed, 'worker-crash']));
    for (const failure of result.failures) {
      expect(failure.message).toBe(`the campaign could not record seed ${failure.seed}: no command for you`);
      expect(failure.replay).toBe(`npx faultline run ${FIXTURE} --seed ${failure.seed}`);
    }
  });
});

describe('fuzz campaign: abandoned (a second SIGINT)', () => {
  it('ends at once while a seed never returns: every earlier seed counted, the seeds in flight listed as abandoned', async () => {
    // spin-some spins on exactly the seeds that fail-some fails.
    const spinning = (await failingInProcess(['fail-some']))[0]![0];
    expect(spinning).toBeGreaterThan(0);
    let campaign: Campaign | null = null;
    const onProgress: CampaignConfig['onProgress'] = (p) => {
      // Every seed before the spinning one has completed: give up on the rest.
      if (p.seedsDone === spinning) setImmediate(() => campaign?.abandon());
    };
    const result = await fuzz(['spin-some'], 1, { onProgress }, SEEDS, (c) => (campaign = c));
    expect(result.stopped).toBe('interrupted');
    expect(result.tallies[0]?.seedsRun).toBe(spinning);
    // One thread, two seeds in flight: the spinning seed and the one queued behind it.
    expect(result.tallies[0]?.abandoned).toEqual([spinning, spinning + 1]);
    expect(result.failures).toEqual([]);
  });
});

describe('fuzz campaign: --check-determinism and --fail-fast', () => {
  it('two workers that disagree on every seed give one mismatch per seed; a deterministic model gives none', async () => {
    const leaky = await fuzz(['leak-thread'], 2, { checkDeterminism: true }, 10);
    expect(leaky.failures.map((f) => [f.seed, f.kind])).toEqual(Array.from({ length: 10 }, (_, seed) => [seed, 'mismatch']));
    expect(leaky.failures[0]?.message).toMatch(/ran in two workers with different trace hashes/);
    const steady = await fuzz(['fail-some'], 2, { checkDeterminism: true }, 20);
    expect(steady.failures.every((f) => f.kind === 'safety')).toBe(true);
    expect(steady.failures.map((f) => [f.seed, f.kind])).toEqual(await failingInProcess(['fail-some'], 20));
    // Only the first copy writes traces.
    for (const failure of steady.failures) expect(existsSync(failure.tracePath!)).toBe(true);
  });

  it('--check-determinism splits --workers between its two pools, so the threads started are those asked for', () => {
    expect(poolSizes(3, false)).toEqual([3]);
    expect(poolSizes(3, true)).toEqual([2, 1]);
    expect(poolSizes(4, true)).toEqual([2, 2]);
    // Two copies need two threads, whatever was asked.
    expect(poolSizes(1, true)).toEqual([1, 1]);
  });

  it('--fail-fast stops dispatching after the first failure', async () => {
    const result = await fuzz(['fail-some'], 1, { failFast: true }, 400);
    expect(result.stopped).toBe('fail-fast');
    const first = (await failingInProcess(['fail-some'], 10))[0]![0];
    expect(result.failures[0]?.seed).toBe(first);
    // Only the seed already in flight beside it (two per thread) runs past the first failure.
    expect(result.tallies[0]!.seedsRun).toBe(first + 2);
  });
});
