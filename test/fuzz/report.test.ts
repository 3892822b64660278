/** Failure signatures and groups, the JSON report and its merge, and the JUnit XML. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { campaignExitCode, groupFailures, signatureOf, type FuzzFailure } from '../../src/fuzz/failures.ts';
import { buildReport, mergeReports, readReport, type CampaignIdentity, type FuzzReport } from '../../src/fuzz/report-json.ts';
import { escapeXml, formatJunit } from '../../src/fuzz/junit.ts';
import { writeReports } from '../../src/fuzz/write-reports.ts';
import { formatSummary } from '../../src/fuzz/summary.ts';
import type { CampaignResult } from '../../src/fuzz/campaign.ts';
import { InputError } from '../../src/sim/errors.ts';
import { makeTempDir, removeTempDir } from '../cli/helpers.ts';

const dir = makeTempDir('faultline-report-');
afterAll(() => removeTempDir(dir));

function failure(seed: number, kind: FuzzFailure['kind'], message: string, property: string | null = 'p'): FuzzFailure {
  return { model: 'm', seed, kind, property, signature: signatureOf(message), message, eventNumber: 3, timeUs: 10, tracePath: `t/m-seed${seed}.jsonl`, replay: `npx faultline replay t/m-seed${seed}.jsonl`, view: `npx faultline view t/m-seed${seed}.jsonl --html t/m-seed${seed}.html` };
}

const identity: CampaignIdentity = { models: ['m'], options: { bugs: ['b'] }, startSeed: 0, shardCount: 2, seeds: 10, durationMs: null, checkDeterminism: false };

function shardResult(failures: FuzzFailure[], seedsRun: number, stopped: CampaignResult['stopped'] = null): CampaignResult {
  return { tallies: [{ model: 'm', seedsRun, abandoned: [], virtualUs: seedsRun * 1000, sometimesSeen: { s: seedsRun - 1 } }], failures, stopped, wallMs: 500 };
}

describe('signatures, groups and exit codes', () => {
  it('masks numbers so seeds failing alike share a signature, and groups by model, kind, property and signature', () => {
    expect(signatureOf('replica2 read 17 but 18 was written at 1.5s\nmore')).toBe('replicaN read N but N was written at Ns');
    const failures = [failure(4, 'safety', 'x was 3'), failure(1, 'safety', 'x was 9'), failure(2, 'model-crash', 'boom 1', null), failure(7, 'safety', 'y')];
    expect(groupFailures(failures).map((g) => [g.kind, g.signature, g.count, g.seeds])).toEqual([
      ['safety', 'x was N', 2, [1, 4]],
      ['model-crash', 'boom N', 1, [2]],
      ['safety', 'y', 1, [7]],
    ]);
  });

  it('exits 0 with no failure, 1 for property failures only, 3 as soon as anything crashed, died or mismatched', () => {
    expect(campaignExitCode([])).toBe(0);
    expect(campaignExitCode([failure(1, 'safety', 'a'), failure(2, 'liveness', 'b')])).toBe(1);
    for (const kind of ['model-crash', 'nondeterminism', 'worker-crash', 'mismatch'] as const) {
      expect(campaignExitCode([failure(1, 'safety', 'a'), failure(2, kind, 'b')])).toBe(3);
    }
  });
});

describe('JSON reports and merge', () => {
  const one = buildReport('faultline fuzz m --shard 1/2', identity, 1, shardResult([failure(4, 'safety', 'x was 3')], 5));
  const two = buildReport('faultline fuzz m --shard 2/2', identity, 2, shardResult([failure(1, 'safety', 'x was 9'), failure(3, 'model-crash', 'boom', null)], 5));

  it('merges two shards: failures sorted by seed, groups recomputed, counts summed, exit code of the whole', () => {
    const merged = mergeReports([two, one], ['b.json', 'a.json'], 'faultline merge');
    expect(merged.shards).toEqual([1, 2]);
    expect(merged.seedsRun).toBe(10);
    expect(merged.models[0]).toMatchObject({ seedsRun: 10, virtualUs: 10_000, sometimesSeen: { s: 8 } });
    expect(merged.failures.map((f) => f.seed)).toEqual([1, 3, 4]);
    expect(merged.groups.map((g) => [g.signature, g.seeds])).toEqual([['x was N', [1, 4]], ['boom', [3]]]);
    expect(merged.exitCode).toBe(3);
    expect(one.exitCode).toBe(1);
  });

  it('refuses shards of another campaign and a shard given twice, naming the file', () => {
    const other = { ...two, campaign: { ...identity, options: { bugs: ['c'] } } };
    expect(() => mergeReports([one, other], ['a.json', 'b.json'], 'm')).toThrow(/^b\.json: not the same campaign as a\.json/);
    expect(() => mergeReports([one, one], ['a.json', 'c.json'], 'm')).toThrow(/^c\.json: shard 1 is also in a\.json/);
  });

  it('refuses a shard written by another faultline version, and a shard index outside 1..n', () => {
    expect(() => mergeReports([one, { ...two, faultline: '0.0.1' }], ['a.json', 'b.json'], 'm')).toThrow(
      `b.json: written by faultline 0.0.1, but a.json by ${one.faultline}: merge shards run by one version`,
    );
    expect(() => mergeReports([one, { ...two, shards: [7] }], ['a.json', 'b.json'], 'm')).toThrow(/^b\.json: shard 7 is not one of 1\.\.2$/);
    expect(() => mergeReports([{ ...one, shards: [0] }], ['a.json'], 'm')).toThrow(/^a\.json: shard 0 is not one of 1\.\.2$/);
  });

  it('an interrupted shard with no failure exits 130', () => {
    expect(buildReport('c', identity, 1, shardResult([], 3, 'interrupted')).exitCode).toBe(130);
    expect(buildReport('c', identity, 1, shardResult([failure(1, 'safety', 'a')], 3, 'interrupted')).exitCode).toBe(1);
  });

  it('reads a report back, and names the file when it is missing, not JSON, foreign or of another version', () => {
    const path = join(dir, 'one.json');
    writeFileSync(path, JSON.stringify(one));
    expect(readReport(path)).toEqual(one);
    // A report written before failures carried a view command still reads, with view null.
    const older = join(dir, 'older.json');
    writeFileSync(older, JSON.stringify({ ...one, failures: one.failures.map(({ view: _view, ...rest }) => rest) }));
    expect(readReport(older).failures[0]?.view).toBeNull();
    const bad: Array<[string, string, RegExp]> = [
      ['nope.json', '', /nope\.json: no such report file/],
      ['text.json', 'hello', /text\.json: not JSON/],
      ['trace.json', '{"format":"faultline-trace"}', /trace\.json: not a faultline fuzz report/],
      ['v9.json', JSON.stringify({ ...one, version: 9 }), /v9\.json: report version 9 is not supported/],
      ['cut.json', JSON.stringify({ ...one, failures: null }), /cut\.json: malformed report \("failures" is not an array\)/],
      // Nested fields: each of these crashed the merge (exit 70) before they were checked.
      ['c.json', JSON.stringify({ ...one, campaign: {} }), /\/c\.json: malformed report \("campaign\.models" is not an array\)$/],
      ['t.json', JSON.stringify({ ...one, models: [{ model: 'register' }] }), /\/t\.json: malformed report \("models\[0\]\.seedsRun" is not a non-negative integer\)$/],
      ['a.json', JSON.stringify({ ...one, models: [{ ...one.models[0], abandoned: 3 }] }), /"models\[0\]\.abandoned" is not an array/],
      ['s.json', JSON.stringify({ ...one, models: [{ ...one.models[0], sometimesSeen: { s: 'x' } }] }), /"models\[0\]\.sometimesSeen\.s" is not a non-negative integer/],
      ['f.json', JSON.stringify({ ...one, failures: [{ ...one.failures[0], seed: '4' }] }), /"failures\[0\]\.seed" is not a non-negative integer/],
      ['r.json', JSON.stringify({ ...one, failures: [{ ...one.failures[0], replay: null }] }), /"failures\[0\]\.replay" is not a string/],
      ['n.json', JSON.stringify({ ...one, shards: [1.5] }), /"shards\[0\]" is not a non-negative integer/],
      ['k.json', JSON.stringify({ ...one, campaign: { ...identity, shardCount: 'two' } }), /"campaign\.shardCount" is not a non-negative integer/],
    ];
    for (const [name, text, message] of bad) {
      const file = join(dir, name);
      if (text !== '') writeFileSync(file, text);
      expect(() => readReport(file)).toThrow(InputError);
      expect(() => readReport(file)).toThrow(message);
    }
  });
});

describe('writing the reports at the end of a campaign', () => {
  it('a report that cannot be written is printed, the other still written, and the exit code is the campaign\'s (2 when it found nothing)', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const blocked = join(dir, 'one.json', 'r.json');
      writeFileSync(join(dir, 'one.json'), '{}');
      const failing = buildReport('c', identity, 1, shardResult([failure(4, 'safety', 'x')], 5));
      expect(writeReports(failing, { json: blocked, junit: join(dir, 'ok.xml') })).toBe(1);
      expect(existsSync(join(dir, 'ok.xml'))).toBe(true);
      expect(err).toHaveBeenCalledWith(`faultline: --json: cannot write ${blocked} (EEXIST)\n`);
      expect(writeReports(buildReport('c', identity, 1, shardResult([], 5)), { junit: blocked })).toBe(2);
    } finally {
      err.mockRestore();
    }
  });
});

describe('the summary', () => {
  it('prints the first 20 failures in full, counts the rest, and still groups them all', () => {
    const many = Array.from({ length: 25 }, (_, seed) => failure(seed, 'safety', `x was ${seed}`));
    const lines = formatSummary(buildReport('c', identity, 1, shardResult(many, 30)), 2, false);
    expect(lines.filter((line) => line.startsWith('FAIL ')).map((line) => Number(/seed (\d+)/.exec(line)?.[1]))).toEqual(Array.from({ length: 20 }, (_, seed) => seed));
    expect(lines.filter((line) => line.startsWith('  replay: '))).toHaveLength(20);
    expect(lines).toContain('... and 5 more failure(s): each is in the groups below and in the --json report');
    expect(lines).toContain('     25x m safety "p": x was N (seeds 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, and 15 more)');
    expect(formatSummary(buildReport('c', identity, 1, shardResult(many.slice(0, 20), 30)), 2, false).join('\n')).not.toContain('more failure(s)');
  });
});

describe('JUnit XML', () => {
  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml(`a<b>&"c'\u0000\u001b[31m`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;[31m');
  });

  it('one test case per failing seed plus one summary case per model, with text that cannot break the markup', () => {
    const nasty = failure(2, 'safety', 'value <script> & "quotes" ]]> end\nsecond line', 'p<1>');
    const report: FuzzReport = buildReport('c', { ...identity, shardCount: 1 }, 1, shardResult([nasty, failure(5, 'liveness', 'late')], 10));
    const xml = formatJunit(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="faultline fuzz" tests="3" failures="2"')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('name="seed 2: safety"');
    // The summary case's name stays the same from run to run (CI tracks cases by name); the counts are its output.
    expect(xml).toContain('name="passing seeds" time="0.500"><system-out>8 of 10 seeds passed (shards 1 of 1)</system-out></testcase>');
    expect(xml).toContain('replay: npx faultline replay t/m-seed2.jsonl\nview:   npx faultline view t/m-seed2.jsonl --html t/m-seed2.html</failure>');
    // Outside tags, no raw < or unescaped &: the markup is intact.
    const text = xml.replace(/<[^<>]*>/g, '');
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
    expect(xml).toContain('value &lt;script&gt; &amp; &quot;quotes&quot; ]]&gt; end');
  });
});
