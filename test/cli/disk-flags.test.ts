/**
 * The disk flags of `faultline run` (--torn-writes, --disk-corrupt,
 * --disk-capacity): parsed into options, refused in one line when bad, shown
 * in the report, repeated by the printed re-run command, switched off with a
 * model's other faults by --no-faults, and a run with them replays IDENTICAL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromFlags } from '../../src/cli/run-command.ts';
import { flagsForOptions } from '../../src/cli/rerun-flags.ts';
import { resolveOptions } from '../../src/sim/options.ts';
import { argsOfCommand, badInputLine, linesOf, makeTempDir, readTrace, REPO_ROOT, removeTempDir, reportField, runMain } from './helpers.ts';

const DISK_LOG = join(REPO_ROOT, 'test', 'fixtures', 'disk-log-model.ts');
const DISK_DEFAULTS_MODEL = join(REPO_ROOT, 'test', 'fixtures', 'cli', 'disk-defaults-model.ts');
const ALL_ON = ['--torn-writes', '--disk-corrupt', '0.05', '--disk-capacity', '1200', '--crash-every', '30ms', '--downtime', '1ms..10ms'];

describe('disk flags into options', () => {
  it('set the disk group, and leave it alone when absent', () => {
    const options = optionsFromFlags({ bug: [], tornWrites: true, diskCorrupt: '0.05', diskCapacity: '4096' }, 1);
    expect(options.disk).toEqual({ crashLoss: 'torn', readCorruptRate: 0.05, capacityBytes: 4096 });
    expect(optionsFromFlags({ bug: [] }, 1).disk).toBeUndefined();
    expect(optionsFromFlags({ bug: [], diskCapacity: '0' }, 1).disk).toEqual({ capacityBytes: 0 });
  });

  it('--no-faults starts the disk from no faults, and the disk flags still apply after it', () => {
    expect(optionsFromFlags({ bug: [], faults: false }, 1).disk).toEqual({ crashLoss: 'all', readCorruptRate: 0, capacityBytes: null });
    expect(optionsFromFlags({ bug: [], faults: false, diskCorrupt: '0.1' }, 1).disk).toEqual({ crashLoss: 'all', readCorruptRate: 0.1, capacityBytes: null });
  });

  it.each<[string, string[], string]>([
    ['a corruption rate above 1', ['--disk-corrupt', '2'], 'faultline: --disk-corrupt: "2" is not a probability between 0 and 1'],
    ['a negative corruption rate', ['--disk-corrupt=-0.1'], 'faultline: --disk-corrupt: "-0.1" is not a probability between 0 and 1'],
    ['a corruption rate in hexadecimal', ['--disk-corrupt', '0x1'], 'faultline: --disk-corrupt: "0x1" is not a probability between 0 and 1'],
    ['a negative capacity', ['--disk-capacity=-5'], 'faultline: --disk-capacity: "-5" is not a non-negative integer'],
    ['a fractional capacity', ['--disk-capacity', '1.5'], 'faultline: --disk-capacity: "1.5" is not a non-negative integer'],
    ['a capacity with a unit', ['--disk-capacity', '4kB'], 'faultline: --disk-capacity: "4kB" is not a non-negative integer'],
  ])('refuse %s: one line naming the flag, exit 2', async (_what, flags, line) => {
    expect(badInputLine(await runMain(['run', 'ping-pong', '--seed', '1', ...flags]))).toBe(line);
  });
});

describe('run with every disk fault on', () => {
  let dir: string;
  let tracePath: string;
  let report: string;

  beforeAll(async () => {
    dir = makeTempDir();
    tracePath = join(dir, 'disk.jsonl');
    const result = await runMain(['run', DISK_LOG, '--seed', '2', ...ALL_ON, '--trace', tracePath]);
    expect(result.code).toBe(0);
    report = result.stdout;
  });
  afterAll(() => removeTempDir(dir));

  it('reports the options and the disk faults, counted as the trace counts them', () => {
    expect(reportField(report, 'options')).toContain('crash-loss=torn disk-corrupt=0.05 disk-capacity=1200B');
    const events = readTrace(tracePath).events;
    const count = (fault: string) => events.filter((e) => e['kind'] === 'disk-fault' && e['fault'] === fault).length;
    expect(count('corrupt-read')).toBeGreaterThan(0);
    expect(count('full')).toBeGreaterThan(0);
    expect(reportField(report, 'disk')).toBe(`${count('corrupt-read')} corrupt read(s), ${count('full')} put(s) refused (disk full)`);
    expect(events.some((e) => e['kind'] === 'crash' && Array.isArray(e['survivedWrites']))).toBe(true);
  });

  it('replays IDENTICAL with the printed command', async () => {
    const replay = await runMain(argsOfCommand(reportField(report, 'replay')));
    expect(replay.code).toBe(0);
    expect(linesOf(replay.stdout)[0]).toMatch(/^IDENTICAL /);
  });

  it('prints no disk line when no disk fault happened', async () => {
    const plain = await runMain(['run', DISK_LOG, '--seed', '2', '--no-trace']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/^ {2}disk /m);
    expect(reportField(plain.stdout, 'options')).not.toContain('disk');
  });

  it('the re-run command printed with --no-trace repeats the disk flags and reproduces the run', async () => {
    const original = await runMain(['run', DISK_LOG, '--seed', '2', ...ALL_ON, '--no-trace']);
    const command = reportField(original.stdout, 'replay');
    expect(command).toContain('--torn-writes --disk-corrupt 0.05 --disk-capacity 1200');
    const rerun = await runMain([...argsOfCommand(command), '--no-trace']);
    expect(reportField(rerun.stdout, 'options')).toBe(reportField(original.stdout, 'options'));
    expect(reportField(rerun.stdout, 'hash')).toBe(reportField(original.stdout, 'hash'));
  });
});

describe("a model's own disk faults", () => {
  it('are switched off by --no-faults, and the re-run command keeps them off', async () => {
    const withDefaults = await runMain(['run', DISK_DEFAULTS_MODEL, '--seed', '1', '--no-trace']);
    expect(reportField(withDefaults.stdout, 'options')).toContain('crash-loss=torn disk-capacity=1200B');
    const off = await runMain(['run', DISK_DEFAULTS_MODEL, '--seed', '1', '--no-faults', '--disk-corrupt', '0.1', '--no-trace']);
    expect(off.code).toBe(0);
    const options = reportField(off.stdout, 'options');
    expect(options).toContain('crashes=off');
    expect(options).toContain('disk-corrupt=0.1');
    expect(options).not.toContain('crash-loss');
    expect(options).not.toContain('disk-capacity');
    const command = reportField(off.stdout, 'replay');
    expect(command).toBe(`npx faultline run ${DISK_DEFAULTS_MODEL} --seed 1 --no-faults --disk-corrupt 0.1`);
    const rerun = await runMain([...argsOfCommand(command), '--no-trace']);
    expect(reportField(rerun.stdout, 'hash')).toBe(reportField(off.stdout, 'hash'));
  });

  it('flagsForOptions: turning one of them off needs --no-faults, then every fault in effect is repeated', () => {
    const baseline = resolveOptions({ disk: { crashLoss: 'torn', capacityBytes: 1_200 } }, { seed: 1 });
    const capacityOnly = resolveOptions(baseline, { disk: { crashLoss: 'all' } });
    expect(flagsForOptions(capacityOnly, baseline)).toEqual(['--seed 1', '--no-faults', '--disk-capacity 1200']);
    const same = resolveOptions(baseline, {});
    expect(flagsForOptions(same, baseline)).toEqual(['--seed 1']);
    const bigger = resolveOptions(baseline, { disk: { capacityBytes: 5_000, readCorruptRate: 0.5 } });
    expect(flagsForOptions(bigger, baseline)).toEqual(['--seed 1', '--disk-corrupt 0.5', '--disk-capacity 5000']);
  });
});

describe('README', () => {
  it('shows disk trace lines exactly as the command it names writes them', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Disks'), readme.indexOf('## Command line'));
    const command = /These lines are from `faultline (run [^`]+)`/.exec(section.replace(/\n/g, ' '))?.[1] ?? '';
    expect(command).toContain('--torn-writes');
    const shown = linesOf(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '');
    expect(shown).toHaveLength(3);
    const dir = makeTempDir();
    try {
      const path = join(dir, 'readme-disk.jsonl');
      const result = await runMain([...command.split(' '), '--trace', path].map((arg) => (arg.endsWith('.ts') ? join(REPO_ROOT, arg) : arg)));
      expect(result.code).toBe(0);
      const written = linesOf(readFileSync(path, 'utf8'));
      for (const line of shown) expect(written).toContain(line);
    } finally {
      removeTempDir(dir);
    }
  });
});
