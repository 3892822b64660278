/**
 * `faultline view`: the terminal timeline of a committed trace with its
 * filters, no colour when stdout is not a terminal, `--html` output, the view
 * command in failure reports, and bad input as one line with exit 2.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { executeRun } from '../../src/cli/run-command.ts';
import { formatTimeline } from '../../src/view/timeline.ts';
import { readTraceFile } from '../../src/trace/file.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import { argsOfCommand, badInputLine, BIN, linesOf, makeTempDir, removeTempDir, REPO_ROOT, reportField, reportTimeline, runCli, runMain } from './helpers.ts';

const TRACE = join(REPO_ROOT, 'traces/ping-pong-chaos-seed3.jsonl');
const events = readTraceFile(TRACE).events;
const ANSI = /\u001b\[/;

/** The rows `view` prints: the timeline of exactly these events, then the count line. */
function expectedOutput(kept: readonly TraceEvent[]): string[] {
  return [...formatTimeline(kept, { color: false }), `${kept.length} of ${events.length} events shown`];
}

describe('faultline view (terminal)', () => {
  it('prints every event of the trace as the fixed-column timeline, then how many were shown', async () => {
    const result = await runMain(['view', TRACE]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = linesOf(result.stdout);
    expect(lines).toEqual(expectedOutput(events));
    expect(lines).toHaveLength(418 + 2);
    // Fixed columns: the kind column starts at the same offset on every event line.
    for (const line of lines.slice(1, -1)) expect(line.slice(37, 49).trim()).toMatch(/^[a-z-]+$/);
  });

  it('--from/--to take event numbers or virtual times, inclusive', async () => {
    const byNumber = linesOf((await runMain(['view', TRACE, '--from', '100', '--to', '110'])).stdout);
    expect(byNumber).toEqual(expectedOutput(events.slice(99, 110)));
    expect(byNumber.at(-1)).toBe('11 of 418 events shown');
    const byTime = linesOf((await runMain(['view', TRACE, '--from', '1.2s', '--to', '1500ms'])).stdout);
    const inWindow = events.filter((e) => e.timeUs >= 1_200_000 && e.timeUs <= 1_500_000);
    expect(inWindow.length).toBeGreaterThan(10);
    expect(byTime).toEqual(expectedOutput(inWindow));
  });

  it('--node keeps events a node acts in or is the peer of; --kind matches event kinds and message kinds', async () => {
    const server1 = linesOf((await runMain(['view', TRACE, '--node', 'server1'])).stdout);
    const involving = events.filter((e) => ['node', 'from', 'to'].some((f) => (e as unknown as Record<string, unknown>)[f] === 'server1') || (e.kind === 'partition' && e.groups.flat().includes('server1')));
    expect(server1).toEqual(expectedOutput(involving));
    const faults = linesOf((await runMain(['view', TRACE, '--kind', 'crash,restart', '--kind', 'partition'])).stdout);
    expect(faults.at(-1)).toBe('7 of 418 events shown'); // 2 crashes, 2 restarts, 3 partitions
    const pongs = linesOf((await runMain(['view', TRACE, '--kind', 'pong', '--node', 'client0'])).stdout);
    // A pong's events: those with its payload, and those naming only its id (duplicates here), or copying it.
    const pongIds = new Set<number>();
    for (const e of events) {
      if (e.kind === 'send' && (e.payload as { kind?: string } | null)?.kind === 'pong') pongIds.add(e.msg);
      if ('copyOf' in e && pongIds.has(e.copyOf)) pongIds.add(e.msg);
    }
    const ofPong = (e: TraceEvent): boolean => 'msg' in e && pongIds.has(e.msg);
    const pongEvents = events.filter((e) => ofPong(e) && (('to' in e && e.to === 'client0') || ('from' in e && e.from === 'client0')));
    expect(pongEvents.length).toBeGreaterThan(20);
    expect(pongEvents.filter((e) => !('payload' in e)).map((e) => e.kind)).toContain('duplicate');
    expect(pongs).toEqual(expectedOutput(pongEvents));
  });

  it('writes no colour codes when stdout is not a terminal, even without NO_COLOR', () => {
    const env = { ...process.env };
    delete env['NO_COLOR'];
    const child = spawnSync(process.execPath, [BIN, 'view', TRACE, '--kind', 'crash,drop'], { encoding: 'utf8', env, cwd: REPO_ROOT });
    expect(child.status).toBe(0);
    expect(child.stdout).not.toMatch(ANSI);
    expect(linesOf(child.stdout).at(-1)).toBe('73 of 418 events shown');
  });
});

describe('faultline view --html and failure reports', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('faultline-view-');
  });
  afterAll(() => removeTempDir(dir));

  it('--html writes one page and says what is in it', async () => {
    const out = join(dir, 'nested', 'pp.html');
    const result = await runMain(['view', TRACE, '--html', out]);
    expect(result.code).toBe(0);
    expect(linesOf(result.stdout)).toEqual([`wrote ${out}: 418 events, 4 lanes, 164 messages, with node states`]);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Self-contained: no external script, style or image.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it('a failure report prints the view command for its trace, and that command works', async () => {
    const tracePath = join(dir, 'fail.jsonl');
    const run = await executeRun({ modelRef: 'ping-pong', options: { seed: 2, bugs: ['echo-wrong-seq'] }, tracePath }, false);
    expect(run.result.outcome).toBe('fail');
    const report = run.report.join('\n');
    const command = reportField(report, 'view');
    expect(command).toBe(`npx faultline view ${tracePath} --html ${join(dir, 'fail.html')}`);
    const viewed = await runMain(argsOfCommand(command));
    expect(viewed.code).toBe(0);
    expect(existsSync(join(dir, 'fail.html'))).toBe(true);
    // A passing run's report has no view line.
    const pass = await executeRun({ modelRef: 'ping-pong', options: { seed: 2 }, tracePath: join(dir, 'pass.jsonl') }, false);
    expect(() => reportField(pass.report.join('\n'), 'view')).toThrow();
  });

  it('a two-phase-commit failure report names every participant in full: the node column fits the longest id', async () => {
    const result = await runMain(['run', 'two-phase-commit', '--seed', '0', '--bug', 'unilateral-abort', '--no-trace']);
    expect(result.code).toBe(1);
    const { header, rows } = reportTimeline(result.stdout);
    const [nodeAt, kindAt, peerAt] = ['node', 'kind', 'peer'].map((title) => header.indexOf(title)) as [number, number, number];
    const nodes = new Set(rows.map((row) => row.slice(nodeAt, kindAt).trim()).filter((node) => node !== ''));
    const peers = new Set(rows.map((row) => row.slice(peerAt, header.indexOf('detail')).trim()).filter((peer) => peer !== ''));
    expect([...nodes].sort()).toEqual(['coordinator0', 'participant0', 'participant1', 'participant2']);
    expect([...peers].sort()).toEqual(['coordinator0', 'participant0', 'participant1', 'participant2']);
  });

  it('bad input is one line and exit 2: a missing, truncated or wrong-version trace, bad flag values', async () => {
    const lines = readFileSync(TRACE, 'utf8').split('\n');
    writeFileSync(join(dir, 'truncated.jsonl'), `${lines.slice(0, 200).join('\n')}\n`);
    writeFileSync(join(dir, 'v9.jsonl'), [lines[0]?.replace('"version":1', '"version":9'), ...lines.slice(1)].join('\n'));
    expect(badInputLine(runCli(['view', 'missing.jsonl'], dir))).toBe('faultline: missing.jsonl: no such trace file');
    expect(badInputLine(runCli(['view', 'truncated.jsonl'], dir))).toBe(
      'faultline: truncated.jsonl:200: truncated trace: it does not finish with an "end" event',
    );
    expect(badInputLine(runCli(['view', 'v9.jsonl', '--html', 'x.html'], dir))).toBe(
      'faultline: v9.jsonl:1: trace format version 9 is not supported (this faultline reads version 1)',
    );
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
    expect(badInputLine(await runMain(['view', TRACE, '--from', '1.5x']))).toMatch(/^faultline: --from: "1.5x" is neither an event number/);
    expect(badInputLine(await runMain(['view', TRACE, '--to', '-3']))).toMatch(/^faultline: --to: "-3" is neither/);
    expect(badInputLine(await runMain(['view', TRACE, '--node', 'nobody']))).toMatch(/^faultline: --node: "nobody" is not a node of this trace \(client0, /);
  });

  it('a filter that could show nothing by mistake is exit 2: from after to, an unknown kind, a fraction of a microsecond', async () => {
    expect(badInputLine(await runMain(['view', TRACE, '--from', '200', '--to', '100']))).toBe(
      'faultline: --from 200 is after --to 100: event #200 comes after #100, so no event could be shown',
    );
    expect(badInputLine(await runMain(['view', TRACE, '--from', '300ms', '--to', '100ms']))).toBe(
      'faultline: --from 300ms is after --to 100ms: 300ms comes after 100ms, so no event could be shown',
    );
    const kinds = [...new Set(events.map((e) => e.kind))].sort().join(', ');
    expect(badInputLine(await runMain(['view', TRACE, '--kind', 'crash,nosuch']))).toBe(
      `faultline: --kind: "nosuch" is neither an event kind nor a message kind of this trace (message kinds: ping, pong; event kinds in it: ${kinds})`,
    );
    expect(badInputLine(await runMain(['view', TRACE, '--from', '0.5us']))).toBe(
      'faultline: --from: "0.5us" is not a whole number of microseconds (virtual time counts in microseconds)',
    );
    // Still fine: an event kind this trace lacks (an answer: none), a window of mixed units, from equal to to.
    expect(linesOf((await runMain(['view', TRACE, '--kind', 'disk-fault'])).stdout).at(-1)).toBe('0 of 418 events shown');
    expect((await runMain(['view', TRACE, '--from', '400', '--to', '1s'])).code).toBe(0);
    expect(linesOf((await runMain(['view', TRACE, '--from', '100', '--to', '100'])).stdout).at(-1)).toBe('1 of 418 events shown');
    expect(badInputLine(await runMain(['view', TRACE, '--html', join(dir, 'f.html'), '--kind', 'send']))).toMatch(/^faultline: --html: the page has its own filters/);
  });
});
