/**
 * `faultline fuzz` and `faultline merge` from the command line: output when
 * not on a terminal, shards merged back into the whole campaign, replay
 * commands that work, bad input, and SIGINT in a child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzReport } from '../../src/fuzz/report-json.ts';
import { BIN, REPO_ROOT, argsOfCommand, badInputLine, linesOf, makeTempDir, removeTempDir, runCli, runMain, type CliResult } from './helpers.ts';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/fuzz/seed-dependent-model.ts');
const readJson = (path: string): FuzzReport => JSON.parse(readFileSync(path, 'utf8')) as FuzzReport;

/** Runs `body` in a fresh temporary folder, removed afterwards. */
async function inTempDir(body: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = makeTempDir();
  try {
    await body(dir);
  } finally {
    removeTempDir(dir);
  }
}

describe('fuzz: a whole campaign and the same campaign in two shards', () => {
  let dir: string;
  let whole: CliResult;
  let shards: CliResult[];
  let merged: CliResult;
  const campaign = ['fuzz', FIXTURE, '--bug', 'fail-some', '--seeds', '12', '--start-seed', '5', '--workers', '2', '--out', 'out'];

  beforeAll(() => {
    dir = makeTempDir();
    whole = runCli([...campaign, '--json', 'whole.json', '--junit', 'whole.xml'], dir);
    shards = [1, 2].map((i) => runCli([...campaign, '--shard', `${i}/2`, '--json', `shard-${i}.json`], dir));
    merged = runCli(['merge', 'shard-2.json', 'shard-1.json', '--json', 'merged.json', '--junit', 'merged.xml'], dir);
  }, 120_000);
  afterAll(() => removeTempDir(dir));

  it('exits 1, prints one FAIL line and one replay command per failing seed in seed order, and plain progress lines', () => {
    expect(whole.code).toBe(1);
    const report = readJson(join(dir, 'whole.json'));
    expect(report.seedsRun).toBe(12);
    expect(report.failures.length).toBeGreaterThan(0);
    const fails = linesOf(whole.stdout).filter((line) => line.startsWith('FAIL '));
    expect(fails.map((line) => Number(/seed (\d+)/.exec(line)?.[1]))).toEqual(report.failures.map((f) => f.seed));
    for (const f of report.failures) {
      expect(f.seed).toBeGreaterThanOrEqual(5);
      expect(f.tracePath).toBe(join('out', `seed-dependent-fail-some-seed${f.seed}.jsonl`));
      expect(f.view).toBe(`npx faultline view ${f.tracePath} --html ${f.tracePath?.replace(/\.jsonl$/, '.html')}`);
      expect(whole.stdout).toContain(`  replay: npx faultline replay ${f.tracePath}\n  view:   ${f.view}\n`);
    }
    expect(whole.stdout).toMatch(new RegExp(`^ +${report.failures.length}x \\S+ safety "no node is bad": `, 'm'));
    expect(whole.stdout).toContain('  sometimes never seen in 12 seeds: "node0 drew 6"\n');
    expect(report.models[0]?.sometimesSeen['node0 drew 6']).toBe(0);
    // Not a terminal: no bar, no escape codes, every stderr line a plain "fuzz:" line.
    expect(whole.stderr).not.toMatch(/\u001b/);
    expect(linesOf(whole.stderr).every((line) => line.startsWith('fuzz: '))).toBe(true);
    expect(linesOf(whole.stderr).at(-1)).toMatch(/^fuzz: 12\/12 seeds, [\d.]+ seeds\/s, \d+ failed, 0s left$/);
    expect(readFileSync(join(dir, 'whole.xml'), 'utf8')).toContain(`tests="${report.failures.length + 1}" failures="${report.failures.length}"`);
  });

  it('a printed replay command replays the failing seed exactly, and the printed view command writes the page', () => {
    const command = /replay: (npx faultline replay \S+)/.exec(whole.stdout)?.[1] ?? '';
    const replay = runCli(argsOfCommand(command), dir);
    expect(replay.stdout).toMatch(/^IDENTICAL /);
    const view = /view: +(npx faultline view \S+ --html (\S+))/.exec(whole.stdout);
    expect(runCli(argsOfCommand(view?.[1] ?? ''), dir).code).toBe(0);
    expect(readFileSync(join(dir, view?.[2] ?? 'none'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('shards split the seeds, and merge gives back the whole campaign\'s failures and counts', () => {
    const parts = [1, 2].map((i) => readJson(join(dir, `shard-${i}.json`)));
    expect(parts.map((p) => p.seedsRun)).toEqual([6, 6]);
    expect(parts[0]?.failures.every((f) => (f.seed - 5) % 2 === 0)).toBe(true);
    expect(parts[1]?.failures.every((f) => (f.seed - 5) % 2 === 1)).toBe(true);
    expect(shards.map((shard) => shard.code)).toEqual(parts.map((p) => (p.failures.length > 0 ? 1 : 0)));
    expect(merged.code).toBe(1);
    const all = readJson(join(dir, 'merged.json'));
    const wholeReport = readJson(join(dir, 'whole.json'));
    expect(all.shards).toEqual([1, 2]);
    expect(all.seedsRun).toBe(12);
    expect(all.failures).toEqual(wholeReport.failures);
    expect(all.groups).toEqual(wholeReport.groups);
    expect(merged.stderr).toBe('');
  });

  it('merge of one shard alone is exit 2 naming the missing shard; with --allow-partial it merges and warns', async () => {
    const refused = await runMain(['merge', join(dir, 'shard-1.json'), '--json', join(dir, 'partial.json')]);
    expect(badInputLine(refused)).toBe('faultline: merge: shard(s) 2 of 2 missing: give every shard\'s report, or --allow-partial to merge these');
    expect(existsSync(join(dir, 'partial.json'))).toBe(false);
    const partial = await runMain(['merge', join(dir, 'shard-1.json'), '--allow-partial']);
    expect(partial.stderr).toBe('merge: shard(s) 2 of 2 missing: the merged report covers only part of the campaign\n');
    expect(partial.code).toBe(readJson(join(dir, 'shard-1.json')).exitCode);
  });
});

describe('fuzz: a worker that dies', () => {
  it('exits 3, and the printed command re-runs the seed with the campaign\'s flags and dies the same way', () =>
    inTempDir(async (dir) => {
      const result = await runMain(['fuzz', FIXTURE, '--bug', 'exit-some', '--seeds', '20', '--workers', '1', '--profile', 'chaos', '--loss', '0.2', '--out', dir]);
      expect(result.code).toBe(3);
      const fails = linesOf(result.stdout).filter((line) => line.startsWith('FAIL '));
      expect(fails).toEqual([`FAIL ${FIXTURE} seed 13: worker-crash: the worker died running seed 13: worker exited with code: 7`]);
      const command = /replay: (.*)/.exec(result.stdout)?.[1] ?? '';
      expect(command).toBe(`npx faultline run ${FIXTURE} --seed 13 --profile chaos --loss 0.2 --bug exit-some`);
      // The fixture calls process.exit(7): run in a process of its own, the whole process ends with 7.
      expect(runCli(argsOfCommand(command), dir).code).toBe(7);
    }));
});

describe('fuzz: the time zone', () => {
  it('runs seeds in UTC in the worker threads as `run` does, whatever the machine\'s zone', () =>
    inTempDir(async (dir) => {
      const fixture = join(REPO_ROOT, 'test/fixtures/fuzz/local-time-model.ts');
      const child = spawnSync(process.execPath, [BIN, 'fuzz', fixture, '--seeds', '3', '--workers', '1', '--json', 'tz.json'], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'Asia/Tokyo' }, timeout: 30_000,
      });
      expect(child.stdout).toContain('3 seeds run, 0 failed');
      expect(child.status).toBe(0);
      expect(readJson(join(dir, 'tz.json')).failures).toEqual([]);
    }));
});

describe('fuzz --duration', () => {
  it('runs seeds until the wall time is up: some seeds, a report with no seed count, exit 0 for a passing model', () =>
    inTempDir(async (dir) => {
      const result = runCli(['fuzz', 'ping-pong', '--duration', '1s', '--workers', '1', '--json', 'd.json'], dir);
      expect(result.code).toBe(0);
      const report = readJson(join(dir, 'd.json'));
      expect(report.campaign).toMatchObject({ seeds: null, durationMs: 1000 });
      expect(report.seedsRun).toBeGreaterThan(0);
      expect(report.wallMs).toBeGreaterThanOrEqual(1000);
      expect(linesOf(result.stderr)[0]).toBe('fuzz: ping-pong: until the time is up from seed 0, 1 worker(s); failing traces in traces/out/fuzz');
    }));
});

describe('fuzz and merge: bad input is one line and exit 2', () => {
  const cases: Array<[string[], RegExp]> = [
    [['fuzz', 'ping-pong', '--seeds', '5', '--duration', '1s'], /give --seeds or --duration, not both/],
    [['fuzz', 'ping-pong', '--shard', '3/2'], /--shard: "3\/2": i must be between 1 and 2/],
    [['fuzz', 'ping-pong', '--seeds', '0'], /--seeds: must be at least 1/],
    [['fuzz', 'ping-pong', '--start-seed', '9007199254740990', '--seeds', '4'], /--start-seed 9007199254740990 with --seeds 4: the last seed would be past 9007199254740991/],
    [['fuzz', 'ping-pong', '--workers', 'two'], /--workers: "two" is not a non-negative integer/],
    [['fuzz', 'ping-pong', '--workers', '257'], /^faultline: --workers: 257 is more than 256 threads$/],
    [['fuzz', 'ping-pong', '--bug', 'no-such-bug'], /no-such-bug/],
    [['fuzz', 'no-such-model'], /unknown model "no-such-model"/],
    [['fuzz', 'ping-pong', 'ping-pong'], /model "ping-pong" is named twice/],
    [['fuzz', 'register', join(REPO_ROOT, 'models/register/model.ts')], /^faultline: fuzz: "register" and "\S+\/models\/register\/model\.ts" are both models named "register"/],
    [['merge', 'missing.json'], /missing\.json: no such report file/],
    [['fuzz', 'ping-pong', '--out', 'package.json/traces'], /--out: cannot create the folder package\.json\/traces \(ENOTDIR\)/],
    // Checked before any seed runs (badInputLine: nothing on stdout, no "fuzz:" start line on stderr).
    [['fuzz', 'ping-pong', '--seeds', '3', '--json', 'package.json/fuzz.json'], /^faultline: --json: cannot write package\.json\/fuzz\.json \(EEXIST\)$/],
    [['fuzz', 'ping-pong', '--seeds', '3', '--junit', 'test'], /^faultline: --junit: cannot write test \(EISDIR\)$/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      expect(badInputLine(await runMain(args))).toMatch(message);
    });
  }
});

describe('merge: a malformed report', () => {
  it('is bad input naming the file and the nested field, not a crash', () =>
    inTempDir(async (dir) => {
      const good = runCli(['fuzz', 'ping-pong', '--seeds', '2', '--workers', '1', '--json', 'good.json'], dir);
      expect(good.code).toBe(0);
      const report = readJson(join(dir, 'good.json'));
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...report, models: [{ model: 'ping-pong' }] }));
      expect(badInputLine(await runMain(['merge', join(dir, 'bad.json')]))).toBe(`faultline: ${join(dir, 'bad.json')}: malformed report ("models[0].seedsRun" is not a non-negative integer)`);
    }));
});

describe('fuzz: SIGINT', () => {
  it('stops dispatching, writes the partial report, keeps the traces, and exits 1 when something failed', async () => {
    const dir = makeTempDir();
    try {
      const child = spawn(process.execPath, [BIN, 'fuzz', FIXTURE, '--bug', 'fail-some', '--seeds', '1000000', '--workers', '1', '--json', 'partial.json', '--out', 'out'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const progressed = new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          // The first periodic line: seeds have finished, some failed.
          if (/fuzz: [1-9]\d*\/1000000 seeds, [\d.]+ seeds\/s, [1-9]\d* failed/.test(stderr)) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await progressed;
      child.kill('SIGINT');
      const code = await exited;
      expect(stderr).toContain('fuzz: interrupted: finishing the seeds in flight');
      expect(code).toBe(1);
      const report = readJson(join(dir, 'partial.json'));
      expect(report.interrupted).toBe(true);
      expect(report.stoppedBy).toBe('interrupted');
      expect(report.seedsRun).toBeGreaterThan(0);
      expect(report.seedsRun).toBeLessThan(1_000_000);
      expect(report.models[0]?.abandoned).toEqual([]);
      expect(report.failures.length).toBeGreaterThan(0);
      // The seeds run are a prefix: nothing beyond it failed, and every failure's trace is on disk.
      for (const failure of report.failures) {
        expect(failure.seed).toBeLessThan(report.seedsRun);
        expect(existsSync(join(dir, failure.tracePath ?? 'none'))).toBe(true);
      }
      expect(stdout).toContain('fuzz: interrupted (SIGINT): this report is partial');
    } finally {
      removeTempDir(dir);
    }
  }, 60_000);
});
