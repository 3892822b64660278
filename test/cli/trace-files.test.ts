/**
 * Trace files at the command line: a `--trace` path that cannot be written is
 * bad input (one line, exit 2, no `.tmp` left behind); a trace edited on
 * Windows (CRLF, BOM) still replays IDENTICAL; a header whose options hold a
 * null group is refused; and the example lines in the README are real.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../src/cli/run-command.ts';
import { InputError } from '../../src/sim/errors.ts';
import { badInputLine, linesOf, makeTempDir, removeTempDir, REPO_ROOT, runCli, runMain } from './helpers.ts';

let dir = '';
beforeAll(() => {
  dir = makeTempDir('faultline-trace-files-');
  mkdirSync(join(dir, 'existingdir'));
  writeFileSync(join(dir, 'afile'), '');
});
afterAll(() => removeTempDir(dir));

/** Every entry under the temp folder, recursively, so a stray .tmp anywhere shows up. */
function allEntries(): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

describe('run --trace: a path that cannot be written is bad input', () => {
  it.each<[string, string, RegExp]>([
    ['an existing directory', 'existingdir', /^faultline: cannot write the trace file existingdir: it is a directory$/],
    ['an existing directory with a slash', 'existingdir/', /^faultline: cannot write the trace file existingdir\/: it is a directory$/],
    ['a path under a regular file', 'afile/x.jsonl', /^faultline: cannot write the trace file afile\/x\.jsonl: a parent of it (exists and )?is (a file, )?not a directory$/],
    ['a path two levels under a regular file', 'afile/sub/x.jsonl', /^faultline: cannot write the trace file afile\/sub\/x\.jsonl: /],
    ['an empty path', '', /^faultline: --trace: the path is empty \(give a file name, or --no-trace\)$/],
  ])('%s (real binary): one line, exit 2, nothing left behind', (_what, path, message) => {
    const before = allEntries();
    expect(badInputLine(runCli(['run', 'ping-pong', '--seed', '1', '--trace', path], dir))).toMatch(message);
    expect(allEntries()).toEqual(before);
  });

  it('an existing directory, in-process through main', async () => {
    const before = allEntries();
    const path = join(dir, 'existingdir');
    expect(badInputLine(await runMain(['run', 'ping-pong', '--seed', '1', '--trace', path]))).toBe(
      `faultline: cannot write the trace file ${path}: it is a directory`,
    );
    expect(allEntries()).toEqual(before);
  });

  it('executeRun with an empty trace path throws an InputError, not an internal error, and writes no ".tmp"', async () => {
    // (The real-binary case above checks, in a folder of its own, that nothing at all is written.)
    const stray = join(process.cwd(), '.tmp');
    const before = existsSync(stray) ? statSync(stray).mtimeMs : null;
    await expect(executeRun({ modelRef: 'ping-pong', options: { seed: 1 }, tracePath: '' }, false)).rejects.toBeInstanceOf(InputError);
    expect(existsSync(stray) ? statSync(stray).mtimeMs : null).toBe(before);
  });

  it('a good path still works and leaves only the trace', async () => {
    const path = join(dir, 'ok', 'deeper', 'run.jsonl');
    const result = await runMain(['run', 'ping-pong', '--seed', '1', '--trace', path]);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'ok', 'deeper'))).toEqual(['run.jsonl']);
  });
});

describe('replay: traces edited on Windows', () => {
  let good = '';
  beforeAll(async () => {
    good = join(dir, 'good.jsonl');
    await executeRun({ modelRef: 'ping-pong', options: { seed: 3 }, tracePath: good }, false);
  });

  it('CRLF line endings replay IDENTICAL', async () => {
    const path = join(dir, 'crlf.jsonl');
    writeFileSync(path, readFileSync(good, 'utf8').replaceAll('\n', '\r\n'));
    const result = await runMain(['replay', path]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^IDENTICAL /);
    expect(result.code).toBe(0);
  });

  it('a UTF-8 byte order mark (and CRLF) replays IDENTICAL through the real binary', () => {
    writeFileSync(join(dir, 'bom.jsonl'), `\ufeff${readFileSync(good, 'utf8').replaceAll('\n', '\r\n')}`);
    const result = runCli(['replay', 'bom.jsonl'], dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^IDENTICAL bom\.jsonl: /);
    expect(result.code).toBe(0);
  });

  it('an edit in a CRLF trace still diverges at that event', async () => {
    const lines = linesOf(readFileSync(good, 'utf8'));
    lines[20] = (lines[20] as string).replace('"timeUs":', '"timeUs":1');
    const path = join(dir, 'crlf-edited.jsonl');
    writeFileSync(path, `${lines.join('\r\n')}\r\n`);
    const result = await runMain(['replay', path]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^DIVERGED .*first difference at event #20,/);
  });

  it.each(['network', 'faults'])('a header with "%s": null is bad input, not the defaults', async (group) => {
    const [head, ...rest] = linesOf(readFileSync(good, 'utf8'));
    const header = JSON.parse(head as string) as { options: Record<string, unknown> };
    header.options[group] = null;
    const path = join(dir, `${group}-null.jsonl`);
    writeFileSync(path, `${[JSON.stringify(header), ...rest].join('\n')}\n`);
    expect(badInputLine(await runMain(['replay', path]))).toBe(`faultline: ${group} must be an object, got null`);
  });
});

describe('README', () => {
  it('shows trace lines exactly as `run ping-pong --seed 7 --no-faults` writes them', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Traces'));
    expect(section).toContain('`faultline run ping-pong --seed 7 --no-faults`');
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const shown = linesOf(block);
    expect(shown).toHaveLength(3);
    const path = join(dir, 'readme.jsonl');
    const result = await runMain(['run', 'ping-pong', '--seed', '7', '--no-faults', '--trace', path]);
    expect(result.code).toBe(0);
    const written = linesOf(readFileSync(path, 'utf8'));
    expect(shown[0]).toBe(written[0]);
    for (const line of shown.slice(1)) expect(written).toContain(line);
    expect(JSON.parse(shown[1] as string)).toMatchObject({ kind: 'send' });
    expect(JSON.parse(shown[2] as string)).toMatchObject({ kind: 'deliver' });
  });
});
