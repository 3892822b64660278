/**
 * `faultline run` on models with clients: the history and checker verdicts in
 * the report and the JSON, a checker's violation as a safety failure (exit 1),
 * and a broken history contract as a model crash (exit 3).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, linesOf, makeTempDir, readTrace, removeTempDir, reportField, runMain } from './helpers.ts';

interface JsonResult {
  outcome: string;
  failure: { kind: string; property: string | null; message: string } | null;
  history: { type: string; process: number; time: number; source: string; input?: unknown; output?: unknown }[];
  checks: { name: string; verdict: { verdict: string } | null }[];
  sometimes: { name: string; firstSeenEvent: number | null; firstSeenUs: number | null }[];
  tracePath: string | null;
}

describe('run register', () => {
  it('--json: the history (virtual times, processes, trace event numbers), checker verdicts and sometimes results', async () => {
    const dir = makeTempDir();
    try {
      const tracePath = join(dir, 'register.jsonl');
      const result = await runMain(['run', 'register', '--seed', '1', '--json', '--trace', tracePath]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const json = JSON.parse(result.stdout) as JsonResult;
      expect(json.outcome).toBe('pass');
      expect(json.checks).toEqual([{ name: 'linearizable (register)', verdict: { verdict: 'ok' } }]);
      expect(json.sometimes).toHaveLength(1);
      expect(json.sometimes[0]?.firstSeenEvent).toBeGreaterThan(0);
      const types = new Set(json.history.map((e) => e.type));
      expect([...types].sort()).toEqual(['fail', 'info', 'invoke', 'ok']);
      // Each history event is the op line its source names, at the same virtual time.
      const trace = readTrace(tracePath);
      for (const event of json.history) {
        const n = Number(/^event (\d+)$/.exec(event.source)?.[1]);
        const line = trace.events[n - 1] as Record<string, unknown>;
        expect(line).toMatchObject({ kind: 'op', type: event.type, process: event.process, timeUs: event.time });
      }
      // client0 and client1 are nodes 3 and 4: their first processes; fresh ones count up from 5.
      expect(json.history.find((e) => e.type === 'invoke')?.process).toBe(3);
      const processes = [...new Set(json.history.map((e) => e.process))];
      expect(processes.slice(0, 2).sort()).toEqual([3, 4]);
      expect(Math.max(...processes)).toBe(4 + processes.length - 2);
    } finally {
      removeTempDir(dir);
    }
  });

  it('the report summarises the history and names each checker verdict', async () => {
    const result = await runMain(['run', 'register', '--seed', '1', '--no-trace']);
    expect(result.code).toBe(0);
    expect(reportField(result.stdout, 'history')).toMatch(/^\d+ operations by \d+ processes: \d+ ok, \d+ fail, \d+ info/);
    expect(reportField(result.stdout, 'checks')).toBe('"linearizable (register)" ok');
  });

  it('--bug read-any-replica: the linearizability checker finds a stale read, a safety failure named by the checker, exit 1', async () => {
    const result = await runMain(['run', 'register', '--seed', '1', '--bug', 'read-any-replica', '--no-trace']);
    expect(result.code).toBe(1);
    expect(linesOf(result.stdout)[0]).toBe('FAIL register seed 1: safety property "linearizable (register)" failed');
    expect(reportField(result.stdout, 'kind')).toBe('safety');
    expect(reportField(result.stdout, 'checks')).toBe('"linearizable (register)" violated');
    // The witness spans several lines, each kept under the message column: seed 1's first stale read is
    // a read of "4:1" after write("3:2") had completed.
    const lines = linesOf(result.stdout);
    const at = lines.findIndex((line) => line.startsWith('  message   '));
    expect(lines[at]).toBe('  message   history checker "linearizable (register)" found a violation:');
    expect(lines[at + 1]).toMatch(/^ {12}the history of \d+ operations is not linearizable:$/);
    expect(lines[at + 2]).toBe('            Placed in this order before the checker got stuck: 3 of 213 operations:');
    expect(lines[at + 5]).toMatch(/^ {16}#2 +p3 +write\("3:2"\) +\[43\.265ms\.\.57\.344ms\]  event 28$/);
    expect(lines[at + 6]).toBe('            State after it: "3:2"');
    expect(lines[at + 8]).toMatch(/^ {16}#6 +p6 +read\(\) -> "4:1" +\[200\.771ms\.\.214\.848ms\]  event 68  impossible from state "3:2"$/);
  });
});

describe('run: a broken history contract', () => {
  it('invoking while an operation is in flight: a model crash, exit 3', async () => {
    const result = await runMain(['run', join(FIXTURES, 'history-model.ts'), '--seed', '1', '--bug', 'invoke-twice', '--no-trace']);
    expect(result.code).toBe(3);
    expect(reportField(result.stdout, 'kind')).toBe('model-crash');
    expect(reportField(result.stdout, 'node')).toBe('client0');
    expect(reportField(result.stdout, 'message')).toMatch(
      /^node client0 called ctx\.invoke\(\) while process 0 has an operation in flight \(invoked at event \d+\); a process runs one operation at a time: complete it first$/,
    );
  });

  it('without the bug the same model passes, with its history in the report', async () => {
    const result = await runMain(['run', join(FIXTURES, 'history-model.ts'), '--seed', '1', '--no-trace']);
    expect(result.code).toBe(0);
    expect(reportField(result.stdout, 'history')).toBe('10 operations by 1 process: 10 ok, 0 fail, 0 info');
  });
});

describe("register's liveness phase", () => {
  it('seed 4 passes with the default 1 s phase, and fails its eventually property without one (exit 1, liveness)', async () => {
    expect((await runMain(['run', 'register', '--seed', '4', '--no-trace'])).code).toBe(0);
    const without = await runMain(['run', 'register', '--seed', '4', '--settle', '0', '--no-trace']);
    expect(without.code).toBe(1);
    expect(linesOf(without.stdout)[0]).toBe('FAIL register seed 4: liveness property "every client is served once faults stop" failed');
    expect(reportField(without.stdout, 'message')).toBe(
      'eventually property "every client is served once faults stop" does not hold when the run ends (time-budget at 5s); random faults were still on (no liveness phase: see settleUs, --settle)',
    );
  });
});
