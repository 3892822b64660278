/**
 * `faultline run`: exit codes, the failure report, trace files and JSON output.
 * Most tests spawn the real binary; the cheap ones call the exported functions.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTracePath, executeRun } from '../../src/cli/run-command.ts';
import { exitCodeFor } from '../../src/cli/exit.ts';
import { formatDuration } from '../../src/sim/duration.ts';
import {
  FIXTURES,
  REPO_ROOT,
  argsOfCommand,
  linesOf,
  makeTempDir,
  readTrace,
  removeTempDir,
  reportField,
  reportTimeline,
  runCli,
  runMain,
  type CliResult,
} from './helpers.ts';

/** Start offsets of the timeline columns (time is right-aligned in 0..14). */
const COLUMN = { number: 16, node: 25, kind: 37, peer: 51, detail: 63 } as const;

describe('run: a passing and a failing ping-pong run in one working directory', () => {
  let dir: string;
  let pass: CliResult;
  let fail: CliResult;

  beforeAll(() => {
    dir = makeTempDir();
    pass = runCli(['run', 'ping-pong', '--seed', '1'], dir);
    fail = runCli(['run', 'ping-pong', '--seed', '1', '--bug', 'echo-wrong-seq'], dir);
  }, 30_000);
  afterAll(() => removeTempDir(dir));

  it('exits 0 for a passing run and prints a PASS line whose hash is the trace\'s', () => {
    expect(pass.stderr).toBe('');
    expect(pass.code).toBe(0);
    const tracePath = reportField(pass.stdout, 'trace');
    expect(tracePath).toBe(join('traces', 'out', 'ping-pong-seed1.jsonl'));
    const trace = readTrace(join(dir, tracePath));
    const end = trace.events.at(-1) as Record<string, unknown>;
    expect(end['kind']).toBe('end');
    expect(end['reason']).toBe('time-budget');
    expect(linesOf(pass.stdout)[0]).toBe(
      `PASS ping-pong seed 1: ${trace.events.length} events (${String(end['steps'])} steps) over ${formatDuration(end['timeUs'] as number)} virtual, ended by time-budget`,
    );
    expect(reportField(pass.stdout, 'hash')).toBe(end['hash']);
    // A passing report shows no timeline.
    expect(pass.stdout).not.toMatch(/last \d+ events:/);
  });

  it('exits 1 for a property failure and names model, seed, kind, property, event and time', () => {
    expect(fail.stderr).toBe('');
    expect(fail.code).toBe(1);
    expect(linesOf(fail.stdout)[0]).toBe('FAIL ping-pong seed 1: safety property "pong answers a ping" failed');
    expect(reportField(fail.stdout, 'kind')).toBe('safety');
    expect(reportField(fail.stdout, 'property')).toBe('pong answers a ping');
    expect(reportField(fail.stdout, 'model')).toBe('ping-pong');
    expect(reportField(fail.stdout, 'seed')).toBe('1');
    expect(reportField(fail.stdout, 'options')).toContain('bugs=echo-wrong-seq');
    // Event number and time agree with the failure event recorded in the trace.
    const trace = readTrace(join(dir, reportField(fail.stdout, 'trace')));
    const failure = trace.events.find((e) => e['kind'] === 'failure');
    expect(failure?.['failure']).toBe('safety');
    expect(failure?.['property']).toBe('pong answers a ping');
    const at = `event #${String(failure?.['n'])}, virtual time ${formatDuration(failure?.['timeUs'] as number)}`;
    expect(reportField(fail.stdout, 'at')).toBe(at);
    // Servers answer the very first ping wrongly, so it fails within the first round.
    expect(failure?.['n'] as number).toBeLessThan(30);
  });

  it('shows the last events of the failing run as a fixed-column timeline matching the trace', () => {
    const trace = readTrace(join(dir, reportField(fail.stdout, 'trace')));
    const { announced, header, rows } = reportTimeline(fail.stdout);
    const expected = trace.events.slice(-20);
    expect(announced).toBe(expected.length);
    expect(rows).toHaveLength(expected.length);
    expect(header).toMatch(/^ {10}time {8}# {2}node {8}kind {10}peer {8}detail$/);
    rows.forEach((row, i) => {
      const event = expected[i] as Record<string, unknown>;
      expect(row.slice(0, 14)).toBe(formatDuration(event['timeUs'] as number).padStart(14));
      expect(row.slice(14, COLUMN.node).trim()).toBe(String(event['n']));
      expect(row.slice(COLUMN.kind, COLUMN.peer).trim()).toBe(event['kind']);
    });
    expect(rows.at(-2)?.slice(COLUMN.kind)).toMatch(/^failure\s+safety "pong answers a ping"/);
    expect(rows.at(-1)?.slice(COLUMN.kind)).toMatch(/^end\s+failure after \d+ steps, hash [0-9a-f]{16}$/);
  });

  it('prints the trace path and the exact replay command, and that command replays it IDENTICAL', () => {
    const tracePath = reportField(fail.stdout, 'trace');
    expect(tracePath).toBe(join('traces', 'out', 'ping-pong-echo-wrong-seq-seed1.jsonl'));
    const command = reportField(fail.stdout, 'replay');
    expect(command).toBe(`npx faultline replay ${tracePath}`);
    const replay = runCli(argsOfCommand(command), dir);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(linesOf(replay.stdout)[0]).toBe(
      `IDENTICAL ${tracePath}: ${readTrace(join(dir, tracePath)).events.length} events replayed exactly (hash ${reportField(fail.stdout, 'hash')})`,
    );
  });

  it('keeps the correct run\'s trace: the default path of a buggy run includes its bug flags', () => {
    const files = readdirSync(join(dir, 'traces', 'out')).sort();
    expect(files).toEqual(['ping-pong-echo-wrong-seq-seed1.jsonl', 'ping-pong-seed1.jsonl']);
    const correct = readTrace(join(dir, 'traces', 'out', 'ping-pong-seed1.jsonl'));
    expect((correct.header['options'] as { bugs: string[] }).bugs).toEqual([]);
    expect(correct.events.some((e) => e['kind'] === 'failure')).toBe(false);
    // Several flags are sorted into the name, so their order on the command line does not matter.
    expect(defaultTracePath('m', 3, ['b', 'a'])).toBe(join('traces', 'out', 'm-a+b-seed3.jsonl'));
    expect(defaultTracePath('m', 3, ['a', 'b'])).toBe(defaultTracePath('m', 3, ['b', 'a']));
  });
});

describe('run: other failure kinds and exit codes', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  it('exits 1 when replicated-counter acknowledges before syncing and a crash loses the increment', () => {
    const result = runCli(['run', 'replicated-counter', '--seed', '1', '--bug', 'ack-before-sync', '--no-trace'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(reportField(result.stdout, 'kind')).toBe('safety');
    expect(reportField(result.stdout, 'property')).toBe('acknowledged increments survive crashes');
    expect(reportField(result.stdout, 'at')).toMatch(/^event #\d+, virtual time [\d.]+(us|ms|s)$/);
    expect(Number(/crashes (\d+)/.exec(reportField(result.stdout, 'faults'))?.[1])).toBeGreaterThan(0);
  });

  it('exits 3 when a user model throws, naming the node, the error and the model\'s source line', () => {
    const model = join(FIXTURES, 'throwing-model.ts');
    const result = runCli(['run', model, '--seed', '3'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    expect(linesOf(result.stdout)[0]).toBe(`FAIL ${model} seed 3: model-crash failed`);
    expect(reportField(result.stdout, 'kind')).toBe('model-crash');
    expect(reportField(result.stdout, 'node')).toBe('receiver0');
    expect(reportField(result.stdout, 'message')).toContain('receiver exploded on hello 1');
    expect(reportField(result.stdout, 'where')).toMatch(/throwing-model\.ts:\d+:\d+\)?$/);
    expect(reportTimeline(result.stdout).rows.at(-2)).toMatch(/receiver0\s+failure\s+model-crash: /);
    expect(reportField(result.stdout, 'trace')).toBe(join('traces', 'out', 'throwing-model-seed3.jsonl'));
    expect(existsSync(join(dir, 'traces', 'out', 'throwing-model-seed3.jsonl'))).toBe(true);
  });

  it('exits 3 when a user model calls Math.random, reported as nondeterminism', () => {
    const result = runCli(['run', join(FIXTURES, 'random-model.ts'), '--seed', '3', '--no-trace'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    expect(reportField(result.stdout, 'kind')).toBe('nondeterminism');
    expect(reportField(result.stdout, 'node')).toBe('roller0');
    expect(reportField(result.stdout, 'message')).toContain('Math.random()');
    expect(reportField(result.stdout, 'at')).toBe('event #4, virtual time 5ms');
  });

  it('maps failure kinds to exit codes and restores Math.random after a guarded run', async () => {
    const cheat = await executeRun({ modelRef: join(FIXTURES, 'random-model.ts'), options: { seed: 1 }, tracePath: null }, false);
    expect(cheat.result.failure?.kind).toBe('nondeterminism');
    expect(exitCodeFor(cheat.result)).toBe(3);
    const random = Math.random();
    expect(random).toBeGreaterThanOrEqual(0);
    expect(random).toBeLessThan(1);
    const crash = await executeRun({ modelRef: join(FIXTURES, 'throwing-model.ts'), options: { seed: 1 }, tracePath: null }, false);
    expect(crash.result.failure?.kind).toBe('model-crash');
    expect(exitCodeFor(crash.result)).toBe(3);
    const buggy = await executeRun({ modelRef: 'ping-pong', options: { seed: 1, bugs: ['echo-wrong-seq'] }, tracePath: null }, false);
    expect(exitCodeFor(buggy.result)).toBe(1);
    const fine = await executeRun({ modelRef: 'ping-pong', options: { seed: 1 }, tracePath: null }, false);
    expect(exitCodeFor(fine.result)).toBe(0);
  });
});

describe('run: --json, hashes and where the trace goes', () => {
  let dir: string;
  let emptyDir: string;
  beforeAll(() => {
    dir = makeTempDir();
    emptyDir = makeTempDir();
  });
  afterAll(() => {
    removeTempDir(dir);
    removeTempDir(emptyDir);
  });

  it('--json prints parseable JSON; --trace FILE writes there; the same seed in another process gives the same hash', async () => {
    const tracePath = join(dir, 'nested', 'folder', 'pp.jsonl');
    const first = runCli(['run', 'ping-pong', '--seed', '42', '--json', '--trace', tracePath], dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const json = JSON.parse(first.stdout) as { outcome: string; traceHash: string; tracePath: string; seed: number; events: number };
    expect(json.outcome).toBe('pass');
    expect(json.seed).toBe(42);
    expect(json.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(json.tracePath).toBe(tracePath);
    const trace = readTrace(tracePath);
    expect(trace.events).toHaveLength(json.events);
    expect(trace.events.at(-1)?.['hash']).toBe(json.traceHash);
    expect(existsSync(`${tracePath}.tmp`)).toBe(false);
    expect(existsSync(join(dir, 'traces'))).toBe(false);

    const second = runCli(['run', 'ping-pong', '--seed', '42', '--json', '--no-trace'], emptyDir);
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout) as { traceHash: string; tracePath: string | null };
    expect(again.traceHash).toBe(json.traceHash);
    expect(again.tracePath).toBeNull();

    // The same run in this process agrees too; another seed does not.
    const here = await executeRun({ modelRef: 'ping-pong', options: { seed: 42 }, tracePath: null }, false);
    expect(here.result.traceHash).toBe(json.traceHash);
    const other = await executeRun({ modelRef: 'ping-pong', options: { seed: 43 }, tracePath: null }, false);
    expect(other.result.traceHash).not.toBe(json.traceHash);
  });

  it('--no-trace writes no file at all and says so in the report', () => {
    const result = runCli(['run', 'ping-pong', '--seed', '1', '--bug', 'echo-wrong-seq', '--no-trace'], emptyDir);
    expect(result.code).toBe(1);
    expect(reportField(result.stdout, 'trace')).toBe('(not written: --no-trace)');
    expect(reportField(result.stdout, 'replay')).toBe('npx faultline run ping-pong --seed 1 --bug echo-wrong-seq');
    expect(readdirSync(emptyDir)).toEqual([]);
  });

  it('--json of a failing run carries the failure and exits 1', async () => {
    const result = await runMain(['run', 'ping-pong', '--seed', '1', '--bug', 'echo-wrong-seq', '--json', '--no-trace']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { outcome: string; failure: { kind: string; property: string; eventNumber: number } };
    expect(json.outcome).toBe('fail');
    expect(json.failure.kind).toBe('safety');
    expect(json.failure.property).toBe('pong answers a ping');
    expect(json.failure.eventNumber).toBeGreaterThan(0);
  });

  it('--timeline N shows exactly the last N events', async () => {
    const result = await runMain(['run', 'ping-pong', '--seed', '1', '--bug', 'echo-wrong-seq', '--timeline', '5', '--no-trace']);
    expect(result.code).toBe(1);
    const { announced, rows } = reportTimeline(result.stdout);
    expect(announced).toBe(5);
    expect(rows).toHaveLength(5);
    expect(rows.at(-1)?.slice(COLUMN.kind)).toMatch(/^end /);
  });

  it('the re-run command printed with --no-trace reproduces the same run, options included', async () => {
    // Non-default network options: the printed command must carry them, or it runs something else.
    const flags = ['--seed', '1', '--bug', 'echo-wrong-seq', '--latency', '20ms..30ms', '--loss', '0.3', '--no-trace'];
    const original = await runMain(['run', 'ping-pong', ...flags]);
    expect(original.code).toBe(1);
    const command = reportField(original.stdout, 'replay');
    const rerun = await runMain([...argsOfCommand(command), '--no-trace']);
    expect(reportField(rerun.stdout, 'options')).toBe(reportField(original.stdout, 'options'));
    expect(reportField(rerun.stdout, 'hash')).toBe(reportField(original.stdout, 'hash'));
  });
});

describe('run: a user model given by a relative path', () => {
  let dir: string;
  let tracePath: string;
  let result: CliResult;
  const ref = join('test', 'fixtures', 'cli', 'quiet-model.ts');

  beforeAll(() => {
    dir = makeTempDir();
    tracePath = join(dir, 'quiet.jsonl');
    result = runCli(['run', ref, '--seed', '3', '--trace', tracePath], REPO_ROOT);
  }, 30_000);
  afterAll(() => removeTempDir(dir));

  it('loads the model relative to the working directory and runs it', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(linesOf(result.stdout)[0]).toMatch(new RegExp(`^PASS ${ref.replaceAll('.', '\\.')} seed 3: \\d+ events .* ended by quiescent$`));
    const trace = readTrace(tracePath);
    expect(trace.header['modelName']).toBe('quiet-model');
    expect(trace.events.filter((e) => e['kind'] === 'deliver')).toHaveLength(5);
  });

  it('its bug flag makes it fail with exit 1', async () => {
    const failing = await runMain(['run', join(REPO_ROOT, ref), '--seed', '3', '--bug', 'count-twice', '--no-trace']);
    expect(failing.code).toBe(1);
    expect(reportField(failing.stdout, 'property')).toBe('listener never hears more than was sent');
  });

  it('the printed replay command works from another working directory', () => {
    const command = reportField(result.stdout, 'replay');
    expect(command).toBe(`npx faultline replay ${tracePath}`);
    const elsewhere = runCli(argsOfCommand(command), dir);
    expect(elsewhere.stderr).toBe('');
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toMatch(/^IDENTICAL /);
  });
});
