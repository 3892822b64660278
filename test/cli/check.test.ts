/**
 * `faultline check`: verdicts and exit codes on real histories, the witness,
 * JSON output, budgets, and bad input as one line with exit 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, runMain } from './helpers.ts';

const FIXTURES = resolve(REPO_ROOT, '../shared/fixtures/porcupine');
const ETCD_OK = join(FIXTURES, 'jepsen/etcd_002.log');
const ETCD_BAD = join(FIXTURES, 'jepsen/etcd_000.log');
const KV_OK = join(FIXTURES, 'kv/c10-ok.txt');

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'faultline-check-')), name);
  writeFileSync(path, text);
  return path;
}

describe('faultline check', () => {
  it('exits 0 for a linearizable etcd history and says so', async () => {
    const run = await runMain(['check', ETCD_OK, '--format', 'porcupine-etcd']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^LINEARIZABLE .*etcd_002\.log \(register\): 77 operations; [\d,]+ configurations explored/);
  });

  it('exits 1 for an illegal history and prints a witness that names the blocked operation', async () => {
    const run = await runMain(['check', ETCD_BAD, '--format', 'porcupine-etcd']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NOT LINEARIZABLE');
    expect(run.stdout).toContain('Placed in this order before the checker got stuck: 38 of 85 operations');
    expect(run.stdout).toContain('State after it: 0');
    expect(run.stdout).toMatch(/#43 read\(\) -> 2 had returned by 86/);
    expect(run.stdout).toMatch(/etcd_000\.log:85 +impossible from state 0/);
  });

  it('checks key-value histories per key', async () => {
    const run = await runMain(['check', KV_OK, '--format', 'porcupine-kv']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/337 operations in \d+ partitions/);
  });

  it('prints JSON with the verdict and witness ids', async () => {
    const run = await runMain(['check', ETCD_BAD, '--format', 'porcupine-etcd', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ verdict: 'not-linearizable', model: 'register', operations: 85, partitions: 1 });
    expect(report.witness.blocked).toBe(43);
    expect(report.witness.prefix).toHaveLength(38);
    expect(report.witness.stuck[0]).toMatchObject({ operation: 43, legalNext: false });
  });

  it('answers unknown (exit 4) with the reason when the state budget runs out', async () => {
    const run = await runMain(['check', ETCD_OK, '--format', 'porcupine-etcd', '--max-states', '50']);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('UNKNOWN');
    expect(run.stdout).toContain('state budget of 50 configurations exceeded');
  });

  it('reads jepsen-edn register histories, where a failed op did not happen', async () => {
    const path = tempFile(
      'h.edn',
      [
        '{:process 0, :type :invoke, :f :write, :value 1}',
        '{:process 0, :type :ok, :f :write, :value 1}',
        '{:process 1, :type :invoke, :f :write, :value 2}',
        '{:process 1, :type :fail, :f :write, :value 2}',
        '{:process 0, :type :invoke, :f :read, :value nil}',
        '{:process 0, :type :ok, :f :read, :value 1}',
      ].join('\n'),
    );
    const run = await runMain(['check', path, '--format', 'jepsen-edn', '--model', 'register']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 operations');
  });

  describe('bad input: one line, exit 2', () => {
    const cases: [string, string[], RegExp][] = [
      ['a line that cannot be parsed', ['--format', 'porcupine-etcd'], /^faultline: .*bad\.log:2: cannot read this history line/],
      ['jepsen-edn without --model', ['--format', 'jepsen-edn'], /^faultline: --model is required with --format jepsen-edn/],
      ['an unknown format', ['--format', 'csv'], /^faultline: --format: "csv" is not one of porcupine-etcd, porcupine-kv, jepsen-edn/],
      ['a model the format cannot hold', ['--format', 'porcupine-etcd', '--model', 'kv'], /^faultline: --format porcupine-etcd holds register histories, not --model kv/],
      ['a bad budget', ['--format', 'porcupine-etcd', '--max-states', 'lots'], /^faultline: --max-states: "lots" is not a non-negative integer/],
      ['a bad timeout', ['--format', 'porcupine-etcd', '--timeout', 'soon'], /^faultline: --timeout/],
    ];
    const bad = tempFile('bad.log', 'INFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\tbanana\n');
    it.each(cases)('%s', async (_name, flags, message) => {
      const run = await runMain(['check', bad, ...flags]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('a return without an invoke names the line and the process', async () => {
      const path = tempFile('orphan.log', 'INFO  jepsen.util - 3\t:ok\t:write\t1\n');
      const run = await runMain(['check', path, '--format', 'porcupine-etcd']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/orphan\.log:1: process 3 completes \(ok\) an operation it never invoked/);
    });

    it('a missing file, from the real binary, without a stack trace', () => {
      const run = runCli(['check', 'missing.log', '--format', 'porcupine-etcd'], REPO_ROOT);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('faultline: cannot read history file missing.log: no such file\n');
    });
  });
});

describe('faultline check --format faultline-trace', () => {
  it('re-judges the client history a run recorded, with virtual times and trace lines in the witness', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-check-trace-'));
    const trace = join(dir, 'r.jsonl');
    const run = await runMain(['run', 'register', '--seed', '1', '--bug', 'read-any-replica', '--trace', trace]);
    expect(run.code).toBe(1);
    const check = await runMain(['check', trace, '--format', 'faultline-trace', '--model', 'register']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^NOT LINEARIZABLE .*r\.jsonl \(register\): 213 operations/);
    expect(check.stdout).toMatch(/#6 +p6 +read\(\) -> "4:1" +\[200\.771ms\.\.214\.848ms\]  r\.jsonl:69  impossible from state "3:2"/);
  });

  it('refuses a trace whose operations are not of the model, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-check-trace-'));
    const trace = join(dir, 'r.jsonl');
    await runMain(['run', 'register', '--seed', '2', '--trace', trace]);
    const check = await runMain(['check', trace, '--format', 'faultline-trace', '--model', 'kv']);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/r\.jsonl:\d+: the invocation \{"f":"read"\} is not a kv operation: "key" must be a string or a number\n$/);
  });

  it('refuses a trace without a client history', async () => {
    const check = await runMain(['check', join(REPO_ROOT, 'traces/ping-pong-chaos-seed3.jsonl'), '--format', 'faultline-trace', '--model', 'register']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('the trace holds no client history (no "op" events)');
  });
});
