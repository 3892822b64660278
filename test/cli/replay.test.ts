/**
 * `faultline replay`: a fresh trace replays IDENTICAL (exit 0), an edited one
 * reports the first divergence (exit 3), and a failing run's trace replays with
 * its recorded failure shown.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../src/cli/run-command.ts';
import { executeReplay } from '../../src/cli/replay-command.ts';
import { formatDuration } from '../../src/sim/duration.ts';
import { linesOf, makeTempDir, readTrace, removeTempDir, reportField, reportTimeline, runCli } from './helpers.ts';

describe('replay', () => {
  let dir: string;
  let passHash: string;
  let failHash: string;
  let passLines: string[];

  beforeAll(async () => {
    dir = makeTempDir();
    const pass = await executeRun({ modelRef: 'ping-pong', options: { seed: 2 }, tracePath: join(dir, 'pass.jsonl') }, false);
    const fail = await executeRun(
      { modelRef: 'ping-pong', options: { seed: 2, bugs: ['echo-wrong-seq'] }, tracePath: join(dir, 'fail.jsonl') },
      false,
    );
    expect(pass.result.outcome).toBe('pass');
    expect(fail.result.outcome).toBe('fail');
    passHash = pass.result.traceHash;
    failHash = fail.result.traceHash;
    passLines = linesOf(readFileSync(join(dir, 'pass.jsonl'), 'utf8'));
  });
  afterAll(() => removeTempDir(dir));

  it('a fresh trace replays IDENTICAL with exit 0, counting every event', () => {
    const result = runCli(['replay', 'pass.jsonl'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(linesOf(result.stdout)).toEqual([
      `IDENTICAL pass.jsonl: ${passLines.length - 1} events replayed exactly (hash ${passHash})`,
    ]);
  });

  it('an edited payload in the middle diverges there: exit 3 with the event number, expected and actual lines', () => {
    // Pick a message event near the middle and change the sequence number it carries.
    const middle = Math.floor(passLines.length / 2);
    const index = passLines.findIndex((line, i) => i >= middle && /"kind":"deliver".*"seq":\d+/.test(line));
    expect(index).toBeGreaterThan(0);
    const original = passLines[index] as string;
    const edited = original.replace(/"seq":(\d+)/, (_m, seq: string) => `"seq":${Number(seq) + 1000}`);
    expect(edited).not.toBe(original);
    const lines = [...passLines];
    lines[index] = edited;
    writeFileSync(join(dir, 'edited.jsonl'), `${lines.join('\n')}\n`);
    const event = JSON.parse(original) as { n: number; timeUs: number };
    expect(event.n).toBe(index); // line 0 is the header

    const result = runCli(['replay', 'edited.jsonl'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    const out = linesOf(result.stdout);
    expect(out[0]).toBe(`DIVERGED edited.jsonl: first difference at event #${event.n}, virtual time ${formatDuration(event.timeUs)}`);
    expect(out[1]).toBe(`  expected  ${edited}`);
    expect(out[2]).toBe(`  actual    ${original}`);
    expect(out).toHaveLength(4);
  });

  it('a trace with events cut from the end (but still ending in "end") diverges where the replay goes on', async () => {
    // Keep events 1..10 and move the "end" event up to number 11: the file parses, but the run goes on.
    const end = passLines.at(-1) as string;
    const kept = passLines.slice(0, 11);
    const endEvent = { ...(JSON.parse(end) as Record<string, unknown>), n: 11 };
    writeFileSync(join(dir, 'short.jsonl'), `${[...kept, JSON.stringify(endEvent)].join('\n')}\n`);
    const { exitCode, replay, lines } = await executeReplay(join(dir, 'short.jsonl'), false);
    expect(exitCode).toBe(3);
    expect(replay.divergence?.eventNumber).toBe(11);
    expect(replay.divergence?.expected).toBe(JSON.stringify(endEvent));
    expect(replay.divergence?.actual).toBe(passLines[11]);
    // The replay stops at the first difference instead of running to the end.
    expect(replay.result.events).toBeLessThan(20);
    expect(lines[0]).toMatch(/^DIVERGED .*short\.jsonl: first difference at event #11,/);
  });

  it('a failing run\'s trace replays IDENTICAL with exit 0 and shows the recorded failure', () => {
    const result = runCli(['replay', 'fail.jsonl'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const trace = readTrace(join(dir, 'fail.jsonl'));
    const failure = trace.events.find((e) => e['kind'] === 'failure') as { n: number; timeUs: number };
    const out = linesOf(result.stdout);
    expect(out[0]).toBe(`IDENTICAL fail.jsonl: ${trace.events.length} events replayed exactly (hash ${failHash})`);
    expect(out[1]).toBe('The recorded run fails, and the replay reproduces it:');
    expect(out[2]).toBe('FAIL ping-pong seed 2: safety property "pong answers a ping" failed');
    expect(reportField(result.stdout, 'at')).toBe(`event #${failure.n}, virtual time ${formatDuration(failure.timeUs)}`);
    expect(reportField(result.stdout, 'hash')).toBe(failHash);
    expect(reportField(result.stdout, 'trace')).toBe('fail.jsonl');
    expect(reportField(result.stdout, 'replay')).toBe('npx faultline replay fail.jsonl');
    const { rows } = reportTimeline(result.stdout);
    expect(rows).toHaveLength(Math.min(20, trace.events.length));
    expect(rows.at(-2)).toMatch(/failure\s+safety "pong answers a ping"/);
  });
});
