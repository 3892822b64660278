/**
 * `faultline models`, the help of every command, and `npx faultline --version`
 * from the repository root.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModels } from '../../src/cli/models-command.ts';
import { VERSION } from '../../src/version.ts';
import pingPong from '../../models/ping-pong/model.ts';
import replicatedCounter from '../../models/replicated-counter/model.ts';
import register from '../../models/register/model.ts';
import { REPO_ROOT, linesOf, runCli } from './helpers.ts';

describe('faultline models', () => {
  it('lists every bundled model with their descriptions and every bug flag (spawned)', () => {
    const result = runCli(['models'], REPO_ROOT);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = linesOf(result.stdout);
    for (const model of [pingPong, register, replicatedCounter]) {
      const at = lines.findIndex((line) => line.startsWith(`${model.name} `));
      expect(at, `${model.name} in:\n${result.stdout}`).toBeGreaterThanOrEqual(0);
      expect(lines[at]).toContain(model.description);
      const flags = Object.entries(model.bugs ?? {});
      expect(flags.length).toBeGreaterThan(0);
      // The model's flags follow its own line, before the next model.
      flags.forEach(([flag, about], i) => {
        expect((lines[at + 1 + i] as string).trim()).toBe(`--bug ${flag}: ${about}`);
      });
    }
    expect(result.stdout).toContain('--bug echo-wrong-seq');
    expect(result.stdout).toContain('--bug ack-before-sync');
    expect(result.stdout).toContain('--bug read-any-replica');
  });

  it('listModels aligns the descriptions in one column, models sorted by name', async () => {
    const lines = await listModels();
    const modelLines = lines.filter((line) => !line.startsWith(' '));
    expect(modelLines.map((line) => line.split(' ')[0])).toEqual(['ping-pong', 'raft', 'register', 'replicated-counter']);
    const column = (line: string): number => /^\S+\s+/.exec(line)?.[0].length ?? -1;
    expect(new Set(modelLines.map(column)).size).toBe(1);
    expect(column(modelLines[0] as string)).toBe('replicated-counter'.length + 2);
  });
});

describe('help and version', () => {
  it('run --help exits 0 and documents the main flags', () => {
    const result = runCli(['run', '--help'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: faultline run \[options\] <model>/);
    for (const flag of ['--seed <n>', '--time <duration>', '--trace <file>', '--no-trace', '--bug <flag>', '--json', '--loss <p>', '--latency <range>', '--timeline <n>']) {
      expect(result.stdout).toContain(flag);
    }
  });

  it('replay --help exits 0 and documents its argument and flags', () => {
    const result = runCli(['replay', '--help'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: faultline replay \[options\] <trace>/);
    expect(result.stdout).toContain('--timeline <n>');
    expect(result.stdout).toContain('exit 3');
  });

  it('models --help exits 0 and says what it lists', () => {
    const result = runCli(['models', '--help'], REPO_ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: faultline models/);
    expect(result.stdout).toContain('bug flags');
  });

  it('npx faultline --version prints the package version from the repository root', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const child = spawnSync('npx', ['--no-install', 'faultline', '--version'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe(pkg.version);
    expect(VERSION).toBe(pkg.version);
  });
});
