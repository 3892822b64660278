/**
 * Bad input of every kind: exactly one line on stderr naming the problem, no
 * stack trace, nothing on stdout, exit code 2. Most cases run `main(argv)` in
 * this process; a few spawn the binary to check the real process boundary.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun, optionsFromFlags } from '../../src/cli/run-command.ts';
import { InputError } from '../../src/sim/errors.ts';
import { badInputLine, linesOf, makeTempDir, removeTempDir, runCli, runMain } from './helpers.ts';

describe('run: bad flags and models (in-process main)', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown model', ['run', 'no-such-model'], /unknown model "no-such-model".*ping-pong.*register.*replicated-counter/],
    ['a negative seed', ['run', 'ping-pong', '--seed', '-1'], /--seed: "-1" is not a non-negative integer/],
    ['a seed that is not a number', ['run', 'ping-pong', '--seed', 'abc'], /--seed: "abc" is not a non-negative integer/],
    ['a fractional seed', ['run', 'ping-pong', '--seed', '1.5'], /--seed: "1.5" is not a non-negative integer/],
    ['a negative duration', ['run', 'ping-pong', '--seed', '1', '--time', '-5s'], /--time: "-5s" is not a duration/],
    ['a duration with an unknown unit', ['run', 'ping-pong', '--seed', '1', '--time', '10x'], /--time: "10x" is not a duration/],
    ['a loss rate above 1', ['run', 'ping-pong', '--seed', '1', '--loss', '2'], /--loss: "2" is not a probability between 0 and 1/],
    ['a latency range upside down', ['run', 'ping-pong', '--seed', '1', '--latency', '5ms..1ms'], /--latency: "5ms\.\.1ms" has its maximum below its minimum/],
    ['an unknown option', ['run', 'ping-pong', '--frobnicate'], /unknown option '--frobnicate'/],
    ['a missing model argument', ['run'], /missing required argument 'model'/],
    ['an unknown command', ['fly'], /unknown command 'fly'/],
  ];

  it.each(cases)('%s', async (_what, args, message) => {
    const result = await runMain(args);
    expect(badInputLine(result)).toMatch(message);
  });
});

describe('bad input through the real binary', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  it('an unknown model: one line, exit 2', () => {
    expect(badInputLine(runCli(['run', 'no-such-model', '--seed', '1'], dir))).toBe(
      'faultline: unknown model "no-such-model": not a bundled model (ping-pong, raft, register, replicated-counter) and not a model file',
    );
  });

  it('--seed abc: one line, exit 2', () => {
    expect(badInputLine(runCli(['run', 'ping-pong', '--seed', 'abc'], dir))).toBe('faultline: --seed: "abc" is not a non-negative integer');
  });

  it('an unknown option: one line, exit 2', () => {
    expect(badInputLine(runCli(['run', 'ping-pong', '--seed', '1', '--frobnicate'], dir))).toMatch(/^faultline: unknown option '--frobnicate'/);
  });

  it('an unknown --bug: one line naming the known flags, exit 2, and no trace file left behind', () => {
    const line = badInputLine(runCli(['run', 'ping-pong', '--seed', '1', '--bug', 'no-such-bug'], dir));
    expect(line).toBe('faultline: unknown bug flag "no-such-bug" for model ping-pong (known: echo-wrong-seq)');
    const out = join(dir, 'traces', 'out');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('replay: unreadable and malformed traces', () => {
  let dir: string;
  let good: string;
  let goodLines: string[];

  beforeAll(async () => {
    dir = makeTempDir();
    good = join(dir, 'good.jsonl');
    await executeRun({ modelRef: 'ping-pong', options: { seed: 1 }, tracePath: good }, false);
    goodLines = linesOf(readFileSync(good, 'utf8'));
  });
  afterAll(() => removeTempDir(dir));

  /** Writes `text` to a file in the temp folder and returns its path. */
  function traceFile(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('the good trace replays (so the failures below come from the edits)', async () => {
    expect(goodLines.length).toBeGreaterThan(100);
    const result = await runMain(['replay', good]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a missing file', async () => {
    const path = join(dir, 'missing.jsonl');
    expect(badInputLine(await runMain(['replay', path]))).toBe(`faultline: ${path}: no such trace file`);
  });

  it('a trace cut off in the middle of a line', async () => {
    const text = readFileSync(good, 'utf8');
    const cut = text.indexOf('\n', Math.floor(text.length / 2)) - 5;
    const path = traceFile('cut.jsonl', text.slice(0, cut));
    const lineNumber = linesOf(text.slice(0, cut)).length;
    expect(badInputLine(await runMain(['replay', path]))).toBe(
      `faultline: ${path}:${lineNumber}: truncated trace: the last line has no newline (was the run cut off?)`,
    );
  });

  it('a trace with a broken JSON line names path:line', async () => {
    const lines = [...goodLines];
    lines[10] = (lines[10] as string).slice(0, 20);
    const path = traceFile('broken.jsonl', `${lines.join('\n')}\n`);
    const line = badInputLine(await runMain(['replay', path]));
    expect(line).toMatch(new RegExp(`^faultline: ${path.replaceAll('.', '\\.')}:11: not valid JSON`));
  });

  it('a trace whose header says version 99', async () => {
    const header = JSON.parse(goodLines[0] as string) as Record<string, unknown>;
    expect(header['version']).toBe(1);
    const path = traceFile('v99.jsonl', `${[JSON.stringify({ ...header, version: 99 }), ...goodLines.slice(1)].join('\n')}\n`);
    expect(badInputLine(await runMain(['replay', path]))).toBe(
      `faultline: ${path}:1: trace format version 99 is not supported (this faultline reads version 1)`,
    );
  });

  it('a trace with no end event', async () => {
    const lines = goodLines.slice(0, -1);
    const path = traceFile('no-end.jsonl', `${lines.join('\n')}\n`);
    expect(badInputLine(await runMain(['replay', path]))).toBe(
      `faultline: ${path}:${lines.length}: truncated trace: it does not finish with an "end" event`,
    );
  });

  it('an empty file', async () => {
    const path = traceFile('empty.jsonl', '');
    expect(badInputLine(await runMain(['replay', path]))).toBe(`faultline: ${path}: empty file, not a faultline trace`);
  });

  it('a broken JSON line through the real binary: one line, exit 2', () => {
    const lines = [...goodLines];
    lines[41] = '{"n":41,"timeUs":';
    traceFile('broken-spawn.jsonl', `${lines.join('\n')}\n`);
    expect(badInputLine(runCli(['replay', 'broken-spawn.jsonl'], dir))).toBe(
      'faultline: broken-spawn.jsonl:42: not valid JSON ({"n":41,"timeUs":)',
    );
  });
});

describe('flag parsing (optionsFromFlags)', () => {
  it('rejects a probability written in hexadecimal', () => {
    // Number('0x1') is 1, so a hex string would silently become "lose every message".
    expect(() => optionsFromFlags({ bug: [], loss: '0x1' }, 1)).toThrow(InputError);
  });

  it('accepts ordinary values and converts durations to microseconds', () => {
    const options = optionsFromFlags({ bug: ['x'], time: '1.5s', loss: '0.25', latency: '2ms..3ms', fifo: true }, 9);
    expect(options.seed).toBe(9);
    expect(options.bugs).toEqual(['x']);
    expect(options.timeUs).toBe(1_500_000);
    expect(options.network).toEqual({ latency: { minUs: 2_000, maxUs: 3_000 }, lossRate: 0.25, reorder: false });
  });
});
