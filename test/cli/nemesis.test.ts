/**
 * `--nemesis <name>` on the command line: a run under the fixture's nemesis
 * records its crashes as scripted steps and `faultline replay` reproduces it
 * exactly (the nemesis does not act again); an unknown name is bad input; the
 * re-run command, `faultline models` and `run <model> --help` name nemeses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, makeTempDir, removeTempDir, runMain } from './helpers.ts';

const MODEL = join(FIXTURES, 'nemesis-model.ts');

describe('faultline run --nemesis', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('faultline-nemesis-');
  });
  afterAll(() => removeTempDir(dir));

  it('records the nemesis in the header and its crashes as scripted steps; replay is IDENTICAL', async () => {
    const tracePath = join(dir, 'nemesis.jsonl');
    const run = await runMain(['run', MODEL, '--seed', '9', '--nemesis', 'crash-every-other-look', '--trace', tracePath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nemeses=crash-every-other-look');
    expect(run.stdout).toContain('faults    crashes 4, restarts 4, partitions 0');
    const lines = readFileSync(tracePath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect((lines[0]?.['options'] as Record<string, unknown>)['nemeses']).toEqual(['crash-every-other-look']);
    expect(lines.filter((e) => e['kind'] === 'crash' && e['by'] === 'script')).toHaveLength(4);
    const replay = await runMain(['replay', tracePath]);
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toMatch(/^IDENTICAL .*: \d+ events replayed exactly/);
    expect(replay.code).toBe(0);
  });

  it('an unknown nemesis is bad input: one line naming the known ones, exit 2', async () => {
    const result = await runMain(['run', MODEL, '--nemesis', 'nope', '--no-trace']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('faultline: unknown nemesis "nope" for model nemesis-model (known: crash-every-other-look)\n');
  });

  it('the models list and run <model> --help name each nemesis with its description', async () => {
    const models = await runMain(['models']);
    expect(models.stdout).toMatch(/^ +--nemesis voter-crashes: crash a third of the servers that just granted a vote/m);
    expect(models.stdout).toMatch(/^ +--nemesis leader-crashes: crash a leader holding entries of its term/m);
    const help = await runMain(['run', 'raft', '--help']);
    expect(help.stdout).toContain('Nemeses of raft (--nemesis <name>):');
    expect(help.stdout).toMatch(/^ {2}voter-crashes {3}crash a third/m);
    const all = await runMain(['run', '--help']);
    expect(all.stdout).toMatch(/^ {4}--nemesis leader-crashes {2}crash a leader/m);
  });
});
