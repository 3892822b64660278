/**
 * Shared helpers of the CLI tests: spawning the real `faultline` binary, running
 * `main(argv)` in-process with stdout/stderr captured, and temporary folders.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

/** The repository root, wherever this clone lives. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Absolute path of the CLI entry point. */
export const BIN = join(REPO_ROOT, 'src/cli/bin.js');
/** Folder of the fixture user models. */
export const FIXTURES = join(REPO_ROOT, 'test/fixtures/cli');

/** What a finished command produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node src/cli/bin.js ...args` as a child process in `cwd`, without colour. */
export function runCli(args: readonly string[], cwd: string): CliResult {
  const child = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 30_000,
  });
  if (child.error !== undefined) throw child.error;
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** Runs `main(['node', 'faultline', ...args])` in this process and captures what it writes. */
export async function runMain(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const capture = (sink: (text: string) => void) =>
    ((chunk: string | Uint8Array): boolean => {
      sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
  vi.stubEnv('NO_COLOR', '1');
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((t) => (stdout += t)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((t) => (stderr += t)));
  try {
    const code = await main(['node', 'faultline', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** A fresh temporary folder; remove it with `removeTempDir`. */
export function makeTempDir(prefix = 'faultline-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a folder made by `makeTempDir`. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Lines of `text` without the trailing empty one. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The value of a report field such as `  trace     traces/out/x.jsonl`. */
export function reportField(report: string, name: string): string {
  const match = new RegExp(`^  ${name}\\s+(.*)$`, 'm').exec(report);
  if (match === null) throw new Error(`report has no "${name}" field:\n${report}`);
  return match[1] as string;
}

/** Asserts the shape of a bad-input answer (exit 2, nothing on stdout, one stderr line, no stack frames) and returns that line. */
export function badInputLine(result: CliResult): string {
  expect(result.stderr, 'stack frames on stderr').not.toMatch(/^\s+at /m);
  const lines = linesOf(result.stderr);
  expect(lines, `stderr: ${result.stderr}`).toHaveLength(1);
  expect(result.stdout).toBe('');
  expect(result.code).toBe(2);
  const line = lines[0] as string;
  expect(line).toMatch(/^faultline: /);
  return line;
}

/** The timeline block of a failure report: the count it announces, its header line and its event lines (indent removed). */
export function reportTimeline(report: string): { announced: number; header: string; rows: string[] } {
  const lines = linesOf(report);
  const start = lines.findIndex((line) => /^  last \d+ events:$/.test(line));
  expect(start, `no timeline in:\n${report}`).toBeGreaterThanOrEqual(0);
  const announced = Number(/\d+/.exec(lines[start] as string)?.[0]);
  const block: string[] = [];
  for (let i = start + 1; i < lines.length && (lines[i] as string).startsWith('    '); i++) block.push((lines[i] as string).slice(4));
  return { announced, header: block[0] ?? '', rows: block.slice(1) };
}

/** Parses a trace file into its header and event objects. */
export function readTrace(path: string): { header: Record<string, unknown>; events: Array<Record<string, unknown>>; lines: string[] } {
  const lines = linesOf(readFileSync(path, 'utf8'));
  const [head, ...rest] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { header: head ?? {}, events: rest, lines };
}

/** Turns a printed `npx faultline ...` command into the arguments after `faultline`. */
export function argsOfCommand(command: string): string[] {
  expect(command).toMatch(/^npx faultline /);
  // The report quotes only paths with unusual characters; the tests use plain ones.
  return command.replace(/^npx faultline /, '').split(' ');
}
