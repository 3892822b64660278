/**
 * `faultline demo`: runs both models, catches a bug flag and replays its trace.
 * Run in-process inside a temporary working directory (it writes traces/out).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo-command.ts';
import { makeTempDir, removeTempDir } from './helpers.ts';

describe('faultline demo', () => {
  const previousCwd = process.cwd();
  let dir: string;
  let exitCode: number;
  let output = '';

  beforeAll(async () => {
    dir = makeTempDir();
    process.chdir(dir);
    try {
      exitCode = await runDemo(false, (text) => {
        output += text;
      });
    } finally {
      process.chdir(previousCwd);
    }
  }, 30_000);
  afterAll(() => removeTempDir(dir));

  it('returns 0 and reports PASS twice, FAIL once and IDENTICAL once', () => {
    expect(exitCode).toBe(0);
    expect(output.match(/^PASS /gm)).toHaveLength(2);
    expect(output.match(/^FAIL /gm)).toHaveLength(1);
    expect(output.match(/^IDENTICAL /gm)).toHaveLength(1);
    expect(output).toMatch(/^PASS ping-pong seed 7: /m);
    expect(output).toMatch(/^PASS replicated-counter seed 7: /m);
    expect(output).toMatch(/^FAIL replicated-counter seed 7: safety property "acknowledged increments survive crashes" failed$/m);
    expect(output).toContain('Demo finished as expected.');
  });

  it('writes its three traces under the working directory and replays the failing one', () => {
    const out = join(dir, 'traces', 'out');
    expect(existsSync(out)).toBe(true);
    expect(readdirSync(out).sort()).toEqual([
      'ping-pong-seed7.jsonl',
      'replicated-counter-ack-before-sync-seed7.jsonl',
      'replicated-counter-seed7.jsonl',
    ]);
    expect(output).toMatch(/^IDENTICAL traces\/out\/replicated-counter-ack-before-sync-seed7\.jsonl: \d+ events replayed exactly/m);
  });

  it('shows the failure with a 12-event timeline and no colour codes when colour is off', () => {
    expect(output).toContain('  last 12 events:');
    expect(output).not.toMatch(/\u001b\[/);
  });
});
