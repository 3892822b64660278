/**
 * `faultline replay` of a failing run of a model whose defaults carry a
 * scenario (primary-backup's failover drill): the report's baseline options
 * are resolved like `run` resolves them. It used to call resolveOptions on the
 * model's defaults, which refuses a scenario, so the replay of a failing run
 * ended with exit 2 and an options error instead of the report.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, runMain } from './helpers.ts';

describe('faultline replay of a model with a scenario in its defaults', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('faultline-replay-scenario-');
  });
  afterAll(() => removeTempDir(dir));

  it('reproduces a failing run and prints its report (exit 0)', async () => {
    const tracePath = join(dir, 'primary-backup.jsonl');
    const run = await runMain(['run', 'primary-backup', '--seed', '1', '--bug', 'read-from-backup', '--trace', tracePath]);
    expect(run.code).toBe(1);
    const replay = await runMain(['replay', tracePath]);
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toMatch(/^IDENTICAL /);
    expect(replay.stdout).toContain('The recorded run fails, and the replay reproduces it:');
    expect(replay.stdout).toContain('property  linearizable (kv)');
    expect(replay.code).toBe(0);
  });
});
