/**
 * `faultline run` with eventually and sometimes properties and the liveness
 * phase: liveness failures exit 1 and say so, the sometimes results are
 * printed and in the JSON, and a liveness phase longer than the run is bad input.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, linesOf, readTrace, reportField, runCli, runMain, makeTempDir, removeTempDir, badInputLine, argsOfCommand } from './helpers.ts';

const MODEL = join(FIXTURES, 'liveness-model.ts');

describe('run: liveness failures', () => {
  it('an eventually property that does not hold at the end: exit 1, kind liveness, the end time', async () => {
    const result = await runMain(['run', MODEL, '--seed', '1', '--bug', 'stuck', '--no-trace']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(linesOf(result.stdout)[0]).toBe(`FAIL ${MODEL} seed 1: liveness property "no job is left half done" failed`);
    expect(reportField(result.stdout, 'kind')).toBe('liveness');
    expect(reportField(result.stdout, 'property')).toBe('no job is left half done');
    // Start and two timer-sets, the begin timer, four heartbeats (fire and set again): the failure is event 13, at 200 ms.
    expect(reportField(result.stdout, 'at')).toBe('event #13, virtual time 200ms');
    expect(reportField(result.stdout, 'message')).toBe(
      'eventually property "no job is left half done" does not hold when the run ends (time-budget at 200ms)',
    );
  });

  it('a sometimes property never seen: exit 1, liveness, "never seen" in the report', async () => {
    const result = await runMain(['run', MODEL, '--seed', '1', '--bug', 'lazy', '--no-trace']);
    expect(result.code).toBe(1);
    expect(linesOf(result.stdout)[0]).toBe(`FAIL ${MODEL} seed 1: liveness property "the job starts" failed`);
    expect(reportField(result.stdout, 'message')).toBe('sometimes property "the job starts" was never seen in this run (10 events over 200ms)');
    expect(reportField(result.stdout, 'sometimes')).toBe('"the job starts" never seen');
  });

  it('--sometimes-scope campaign: the same run passes and still reports it; the re-run command keeps the flag', async () => {
    const result = await runMain(['run', MODEL, '--seed', '1', '--bug', 'lazy', '--sometimes-scope', 'campaign', '--no-trace']);
    expect(result.code).toBe(0);
    expect(linesOf(result.stdout)[0]).toMatch(new RegExp(`^PASS ${MODEL} seed 1: `));
    expect(reportField(result.stdout, 'sometimes')).toBe('"the job starts" never seen');
    expect(reportField(result.stdout, 'options')).toContain('sometimes-scope=campaign');
    expect(argsOfCommand(reportField(result.stdout, 'replay'))).toContain('--sometimes-scope');
  });

  it('a passing run prints where each sometimes property was first seen', async () => {
    const result = await runMain(['run', MODEL, '--seed', '1', '--no-trace']);
    expect(result.code).toBe(0);
    expect(reportField(result.stdout, 'sometimes')).toBe('"the job starts" first seen at event #5, 10ms');
  });

  it('--json carries the sometimes results and the failure kind', async () => {
    const result = await runMain(['run', MODEL, '--seed', '1', '--bug', 'stuck', '--no-trace', '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { failure: { kind: string; property: string }; sometimes: unknown[]; endReason: string };
    expect(json.failure).toMatchObject({ kind: 'liveness', property: 'no job is left half done' });
    expect(json.endReason).toBe('time-budget');
    // Stuck: the begin timer (event 4) sets no finish timer, so it was first seen right at event 4.
    expect(json.sometimes).toEqual([{ name: 'the job starts', firstSeenEvent: 4, firstSeenUs: 10_000 }]);
  });
});

describe('run --settle', () => {
  it('--settle longer than --time: one line naming both, exit 2 (real binary)', () => {
    const dir = makeTempDir();
    try {
      const line = badInputLine(runCli(['run', 'ping-pong', '--seed', '1', '--time', '2s', '--settle', '3s'], dir));
      expect(line).toBe(
        'faultline: settleUs (--settle) is 3s, longer than the time budget timeUs (--time) of 2s; the liveness phase is the last part of the run',
      );
    } finally {
      removeTempDir(dir);
    }
  });

  it('--settle that is not a duration names the flag', async () => {
    expect(badInputLine(await runMain(['run', 'ping-pong', '--seed', '1', '--settle', 'soon']))).toMatch(/^faultline: --settle: "soon" is not a duration/);
  });

  it('--sometimes-scope that is neither run nor campaign names the flag', async () => {
    expect(badInputLine(await runMain(['run', 'ping-pong', '--seed', '1', '--sometimes-scope', 'fleet']))).toBe(
      'faultline: --sometimes-scope: "fleet" is not one of run, campaign',
    );
  });

  it('writes a settle event and the option to the trace; the report shows it; the re-run command repeats it', async () => {
    const dir = makeTempDir();
    try {
      const tracePath = join(dir, 't.jsonl');
      const args = ['run', 'ping-pong', '--seed', '3', '--crash-every', '100ms', '--partition-every', '100ms', '--settle', '500ms'];
      const result = await runMain([...args, '--trace', tracePath]);
      expect(result.code).toBe(0);
      expect(reportField(result.stdout, 'options')).toContain('settle=500ms');
      const trace = readTrace(tracePath);
      expect((trace.header['options'] as Record<string, unknown>)['settleUs']).toBe(500_000);
      const settle = trace.events.find((e) => e['kind'] === 'settle');
      expect(settle?.['timeUs']).toBe(1_500_000);
      expect((await runMain(['replay', tracePath])).code).toBe(0);
      const noTrace = await runMain([...args, '--no-trace']);
      expect(argsOfCommand(reportField(noTrace.stdout, 'replay'))).toEqual(expect.arrayContaining(['--settle', '500ms']));
    } finally {
      removeTempDir(dir);
    }
  });
});
