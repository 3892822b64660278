/**
 * The `faultline run` flags of pauses and clocks: what options they make, the
 * one-line errors for bad values (exit 2), the report's option and fault
 * lines, re-run commands that reproduce the run (also when the model's own
 * defaults switch these faults on), and traces that replay IDENTICAL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromFlags } from '../../src/cli/run-command.ts';
import { ms } from '../../src/index.ts';
import { argsOfCommand, badInputLine, FIXTURES, linesOf, makeTempDir, readTrace, removeTempDir, REPO_ROOT, reportField, runMain } from './helpers.ts';

const LEASE = join(REPO_ROOT, 'test', 'fixtures', 'lease-model.ts');
const CLOCKED = join(FIXTURES, 'clocked-model.ts');

describe('flags into options (optionsFromFlags)', () => {
  it('pauses: --pause-every, --pause-for, --max-paused', () => {
    const options = optionsFromFlags({ bug: [], pauseEvery: '300ms', pauseFor: '10ms..50ms', maxPaused: '2' }, 1);
    expect(options.faults?.pause).toEqual({ meanIntervalUs: ms(300), duration: { minUs: ms(10), maxUs: ms(50) }, maxPaused: 2 });
    // One flag alone switches pauses on; the rest come from the defaults.
    expect(optionsFromFlags({ bug: [], pauseEvery: '1s' }, 1).faults?.pause).toEqual({ meanIntervalUs: ms(1_000) });
  });

  it('clocks: signed skew, drift in ppm (suffix optional), jumps', () => {
    const options = optionsFromFlags(
      { bug: [], clockSkew: '-20ms..+30ms', clockDrift: '-200ppm..150ppm', clockJumpEvery: '1s', clockJump: '5ms..50ms' },
      1,
    );
    expect(options.clocks).toEqual({
      skewUs: { minUs: -ms(20), maxUs: ms(30) },
      driftPpm: { min: -200, max: 150 },
      jumps: { meanIntervalUs: ms(1_000), sizeUs: { minUs: ms(5), maxUs: ms(50) } },
    });
    expect(optionsFromFlags({ bug: [], clockDrift: '-5..5' }, 1).clocks).toEqual({ driftPpm: { min: -5, max: 5 } });
    expect(optionsFromFlags({ bug: [], clockSkew: '-0ms' }, 1).clocks?.skewUs).toEqual({ minUs: 0, maxUs: 0 });
    expect(Object.is(optionsFromFlags({ bug: [], clockSkew: '-0ms' }, 1).clocks?.skewUs?.minUs, 0)).toBe(true);
  });

  it('--no-clocks, --no-clock-jumps and --no-faults (which switches pauses off, not clocks)', () => {
    expect(optionsFromFlags({ bug: [], clocks: false }, 1).clocks).toBeNull();
    expect(optionsFromFlags({ bug: [], clockJumps: false }, 1).clocks).toEqual({ jumps: null });
    const noFaults = optionsFromFlags({ bug: [], faults: false }, 1);
    expect(noFaults.faults).toEqual({ crash: null, partition: null, clog: null, pause: null });
    expect(noFaults.clocks).toBeUndefined();
    expect(optionsFromFlags({ bug: [], faults: false, pauseEvery: '1s' }, 1).faults?.pause).toEqual({ meanIntervalUs: ms(1_000) });
  });

  it('none of them given: the options say nothing about pauses or clocks', () => {
    const options = optionsFromFlags({ bug: [], clocks: true, clockJumps: true }, 1);
    expect(options.faults).toEqual({});
    expect(options.clocks).toBeUndefined();
  });
});

describe('bad values: one line naming the flag, exit 2', () => {
  const cases: [string, string[], string][] = [
    ['a pause interval of 0', ['--pause-every', '0'], '--pause-every: "0" must be at least 1us'],
    ['a pause interval that is no duration', ['--pause-every', 'often'], '--pause-every: "often" is not a duration'],
    ['a pause range upside down', ['--pause-for', '5ms..1ms'], '--pause-for: "5ms..1ms" has its maximum below its minimum'],
    ['a pause of 0', ['--pause-for', '0..5ms'], '--pause-for: "0..5ms" must be at least 1us'],
    ['max-paused 0', ['--max-paused', '0'], '--max-paused: must be at least 1'],
    ['a skew that is no duration', ['--clock-skew', 'abc'], '--clock-skew: "abc" is not a duration'],
    ['a skew range upside down', ['--clock-skew', '10ms..-10ms'], '--clock-skew: "10ms..-10ms" has its maximum below its minimum'],
    ['a skew over a day', ['--clock-skew', '-25h..0ms'], 'clocks.skewUs.minUs must be an integer between -86400000000 and 86400000000'],
    ['a fractional drift', ['--clock-drift', '1.5ppm..2ppm'], '--clock-drift: "1.5ppm..2ppm" is not a range of whole parts per million'],
    ['a drift beyond 500000 ppm', ['--clock-drift', '-600000ppm..0'], '--clock-drift: "-600000ppm..0" is beyond ±500000ppm'],
    ['a jump interval of 0', ['--clock-jump-every', '0ms'], '--clock-jump-every: "0ms" must be at least 1us'],
    ['a jump range upside down', ['--clock-jump', '9ms..1ms'], '--clock-jump: "9ms..1ms" has its maximum below its minimum'],
    ['--no-clocks with a clock flag', ['--no-clocks', '--clock-skew', '1ms'], '--no-clocks cannot be combined with other --clock-* flags'],
    ['--no-clock-jumps with a jump flag', ['--no-clock-jumps', '--clock-jump', '1ms'], '--no-clock-jumps cannot be combined with --clock-jump-every or --clock-jump'],
  ];

  it.each(cases)('%s', async (_what, flags, message) => {
    const result = await runMain(['run', LEASE, '--seed', '1', '--no-trace', ...flags]);
    expect(badInputLine(result)).toContain(message);
  });
});

describe('runs with these flags', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  it('the report names the options and counts the faults; the trace replays IDENTICAL', async () => {
    const path = join(dir, 'lease-node-time.jsonl');
    const flags = ['--seed', '3', '--pause-every', '60ms', '--pause-for', '10ms..30ms', '--clock-skew', '-1ms..1ms', '--clock-drift', '-50ppm..50ppm'];
    const run = await runMain(['run', CLOCKED, ...flags, '--clock-jump-every', '70ms', '--clock-jump', '1ms..2ms', '--trace', path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(reportField(run.stdout, 'options')).toContain(
      'pauses=every~60ms for 10ms..30ms max 1 clocks=skew -1ms..1ms drift -50..50ppm jumps every~70ms of 1ms..2ms',
    );
    const trace = readTrace(path);
    const count = (kind: string) => trace.events.filter((e) => e['kind'] === kind).length;
    expect(count('pause')).toBeGreaterThan(0);
    expect(count('clock-jump')).toBeGreaterThan(0);
    expect(reportField(run.stdout, 'faults')).toBe(`crashes 0, restarts 0, partitions 0, pauses ${count('pause')}, clock jumps ${count('clock-jump')}`);
    const replay = await runMain(['replay', path]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/^IDENTICAL /);
  });

  it('without them, the report says nothing of pauses or clocks', async () => {
    const run = await runMain(['run', LEASE, '--seed', '3', '--no-trace']);
    expect(reportField(run.stdout, 'faults')).toBe('crashes 0, restarts 0, partitions 0');
    expect(reportField(run.stdout, 'options')).not.toMatch(/pauses=|clocks=/);
  });

  it.each([
    ['new pauses and clocks', LEASE, ['--pause-every', '150ms', '--clock-skew', '-3ms..4ms', '--clock-drift', '-9ppm..9ppm', '--clock-jump-every', '90ms']],
    ['the model\'s own pauses and clocks', CLOCKED, []],
    ['--no-clocks over the model\'s clocks', CLOCKED, ['--no-clocks']],
    ['--no-clock-jumps over the model\'s jumps', CLOCKED, ['--no-clock-jumps', '--clock-drift', '-40ppm..40ppm']],
    ['--no-faults over the model\'s pauses', CLOCKED, ['--no-faults']],
    ['other pauses than the model\'s', CLOCKED, ['--pause-every', '30ms', '--max-paused', '2']],
  ])('the printed re-run command reproduces the run: %s', async (_what, model, flags) => {
    const original = await runMain(['run', model, '--seed', '5', '--no-trace', ...flags]);
    expect(original.stderr).toBe('');
    const command = reportField(original.stdout, 'replay');
    const rerun = await runMain([...argsOfCommand(command), '--no-trace']);
    expect(rerun.stderr).toBe('');
    expect(reportField(rerun.stdout, 'options')).toBe(reportField(original.stdout, 'options'));
    expect(reportField(rerun.stdout, 'hash')).toBe(reportField(original.stdout, 'hash'));
  });

  it('the README\'s example lines of a pause and a clock are what that command writes', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Nodes and time'));
    const command = /`faultline (run register [^`]+)`/.exec(section)?.[1] ?? '';
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const shown = linesOf(block);
    expect(shown).toHaveLength(3);
    const path = join(dir, 'readme-node-time.jsonl');
    const result = await runMain([...command.split(' '), '--trace', path]);
    expect(result.stderr).toBe('');
    const written = readTrace(path).lines;
    for (const line of shown) expect(written).toContain(line);
  });

  it('the model\'s defaults really are on, and the negations really switch them off', async () => {
    const faultsOf = async (flags: string[]) => reportField((await runMain(['run', CLOCKED, '--seed', '5', '--no-trace', ...flags])).stdout, 'faults');
    expect(await faultsOf([])).toMatch(/pauses [1-9]\d*, clock jumps [1-9]/);
    expect(await faultsOf(['--no-faults'])).toMatch(/^crashes 0, restarts 0, partitions 0, clock jumps [1-9]\d*$/);
    expect(await faultsOf(['--no-clocks'])).toMatch(/^crashes 0, restarts 0, partitions 0, pauses [1-9]\d*$/);
    expect(await faultsOf(['--no-clock-jumps', '--no-faults'])).toBe('crashes 0, restarts 0, partitions 0');
  });
});
