/**
 * `faultline run <model> --help` lists that model's bug flags, `run --help`
 * lists every bundled model's, and help piped into a reader that stops early
 * ends quietly (no EPIPE stack).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundledModelNames, loadModel } from '../../src/cli/load-model.ts';
import { BIN, REPO_ROOT, runMain } from './helpers.ts';

describe('faultline run --help: bug flags', () => {
  it('run <model> --help names that model and each of its flags with what it does', async () => {
    const result = await runMain(['run', 'register', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Bug flags of register (--bug <flag>):');
    expect(result.stdout).toMatch(/^ {2}read-any-replica {2}clients read from a random replica/m);
    expect(result.stdout).not.toContain('Bug flags of the bundled models');
  });

  it('run --help lists every bundled model that has bug flags, with each flag', async () => {
    const result = await runMain(['run', '--seed', '3', '--help']);
    expect(result.code).toBe(0);
    const section = result.stdout.slice(result.stdout.indexOf('Bug flags of the bundled models'));
    expect(section.length).toBeGreaterThan(0);
    for (const name of bundledModelNames()) {
      const { model } = await loadModel(name);
      for (const flag of Object.keys(model.bugs ?? {})) {
        expect(section, `${name} --bug ${flag}`).toMatch(new RegExp(`^ {4}${flag} `, 'm'));
      }
    }
  });

  it('a run without --help loads no model for help (the section is absent from a normal run)', async () => {
    const result = await runMain(['run', 'ping-pong', '--seed', '1', '--no-trace']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Bug flags');
  });

  it('help read by a consumer that closes early exits 0 without a stack trace', () => {
    // `head -c 10` closes the pipe after ten bytes, while help is still being written.
    const child = spawnSync('bash', ['-c', `node ${JSON.stringify(BIN)} run --help | head -c 10 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(child.stderr).not.toContain('EPIPE');
    expect(child.stdout.trim()).toBe('rc=0');
  });
});
