/**
 * A user model file that is malformed, does not compile, or throws with its
 * frames in its own src/ folder: `faultline run` answers with one line and
 * exit 3 (ModelDefinitionError), or a report whose `where` line points into
 * the user's file — never an internal error (exit 70) or a lost location.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFailureReason } from '../../src/cli/load-model.ts';
import { linesOf, makeTempDir, removeTempDir, REPO_ROOT, reportField, runCli, runMain, type CliResult } from './helpers.ts';

/** faultline's entry module as an import specifier usable from any folder. */
const FAULTLINE = pathToFileURL(join(REPO_ROOT, 'src/index.ts')).href;

/** Asserts a model-definition answer: exit 3, one stderr line without stack frames, nothing on stdout. Returns the line. */
function modelErrorLine(result: CliResult): string {
  expect(result.stderr, 'stack frames on stderr').not.toMatch(/^\s+at /m);
  const lines = linesOf(result.stderr);
  expect(lines, `stderr: ${result.stderr}`).toHaveLength(1);
  expect(result.stdout).toBe('');
  expect(result.code).toBe(3);
  return lines[0] as string;
}

let dir = '';
beforeAll(() => {
  dir = makeTempDir('faultline-bad-model-');
});
afterAll(() => removeTempDir(dir));

/** Writes a model file into the temp folder and returns its path. */
function modelFile(name: string, body: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, body);
  return path;
}

const NODE = `import { always, defineModel, defineNode } from '${FAULTLINE}';\nconst node = defineNode({ start: () => null });\n`;

describe('run: a malformed model definition is one line, exit 3', () => {
  it.each<[string, string, string[], RegExp]>([
    ['a null role', `export default { name: 'br', description: 'x', roles: { a: null } };`, [], /model br: roles\.a must be an object \{ count, node \}, got null/],
    ['properties: [undefined]', `export default { name: 'bp', description: 'x', roles: { a: { count: 1, node } }, properties: [undefined] };`, [], /model bp: properties\[0\] must be a property made by always/],
    ["bugs: 'oops' with --bug 0", `export default { name: 'bb', description: 'x', roles: { a: { count: 1, node } }, bugs: 'oops' };`, ['--bug', '0'], /model bb: "bugs" must be an object/],
    ['a role name ending in a digit', `export default { name: 'rc', description: 'x', roles: { server: { count: 11, node }, server1: { count: 2, node } } };`, [], /model rc: role name "server1" must not end in a digit/],
    ['a description that is not a string', `export default { name: 'nd', description: 7, roles: { a: { count: 1, node } } };`, [], /model nd: "description" must be a string/],
  ])('%s', async (_what, body, extra, message) => {
    const path = modelFile(`${_what.replace(/\W+/g, '-')}.mts`, NODE + body);
    const line = modelErrorLine(await runMain(['run', path, '--seed', '1', '--no-trace', ...extra]));
    expect(line).toMatch(/^faultline: /);
    expect(line).toMatch(message);
  });

  it('a null role through the real binary: exit 3, not an internal error', () => {
    const path = modelFile('null-role.mts', NODE + `export default { name: 'br', description: 'x', roles: { a: null } };`);
    expect(modelErrorLine(runCli(['run', path, '--seed', '1', '--no-trace'], dir))).toBe(
      'faultline: model br: roles.a must be an object { count, node }, got null',
    );
  });
});

describe('run: a model file that does not compile names the file, line and column', () => {
  it('a TypeScript syntax error (real binary)', () => {
    const path = modelFile('syntax.ts', `import { defineModel } from '${FAULTLINE}';\nconst x: number = ;\nexport default x;\n`);
    const line = modelErrorLine(runCli(['run', path, '--seed', '1', '--no-trace'], dir));
    expect(line).toContain(`model "${path}" could not be loaded: Transform failed with 1 error: `);
    expect(line).toContain(`${path}:2:18: ERROR: Unexpected ";"`);
  });

  it('a JavaScript syntax error (in-process)', async () => {
    const path = modelFile('syntax-js.mts', 'export default {{{;\n');
    const line = modelErrorLine(await runMain(['run', path, '--seed', '1', '--no-trace']));
    // In-process the test runner's own transformer compiles the file; it also names file:line:column.
    expect(line).toContain(`model "${path}" could not be loaded: `);
    expect(line).toMatch(/syntax-js\.mts:1:\d+/);
    expect(line).not.toContain('\u001b');
  });

  it('a model that throws while being imported keeps its whole message on one line', async () => {
    const path = modelFile('throws.mts', `throw new Error('cannot start:\\n  config missing\\n  (see docs)');\n`);
    const line = modelErrorLine(await runMain(['run', path, '--seed', '1', '--no-trace']));
    expect(line).toBe(`faultline: model "${path}" could not be loaded: cannot start: config missing (see docs)`);
  });
});

describe('loadFailureReason', () => {
  it('collapses whitespace and newlines into one line', () => {
    expect(loadFailureReason(new Error('Transform failed with 1 error:\n/x/m.ts:2:18: ERROR:   Unexpected ";"\n'))).toBe(
      'Transform failed with 1 error: /x/m.ts:2:18: ERROR: Unexpected ";"',
    );
  });

  it('clips a long message to about 300 characters', () => {
    const reason = loadFailureReason(new Error(`start ${'x'.repeat(1000)}\nend`));
    expect(reason.length).toBeLessThanOrEqual(300);
    expect(reason.startsWith('start xxx')).toBe(true);
    expect(reason.endsWith('...')).toBe(true);
  });

  it('removes colour escape codes', () => {
    expect(loadFailureReason(new Error('\u001b[31m[PARSE_ERROR] \u001b[0mUnexpected token\n \u001b[38;5;246mm.ts:1:17\u001b[0m'))).toBe(
      '[PARSE_ERROR] Unexpected token m.ts:1:17',
    );
  });

  it('handles thrown non-errors and empty messages', () => {
    expect(loadFailureReason('plain\nstring')).toBe('plain string');
    expect(loadFailureReason(new TypeError(''))).toBe('TypeError');
  });
});

describe("run: a model crash report's `where` line", () => {
  it("points into a user model that lives in its own src/ folder", async () => {
    const path = modelFile(
      join('proj', 'src', 'raft.mts'),
      `import { defineModel, defineNode } from '${FAULTLINE}';\n` +
        `const node = defineNode({ start() { throw new Error('boom'); } });\n` +
        `export default defineModel({ name: 'raft', description: 'x', roles: { a: { count: 1, node } } });\n`,
    );
    const result = await runMain(['run', path, '--seed', '1', '--no-trace']);
    expect(result.code).toBe(3);
    const where = reportField(result.stdout, 'where');
    expect(where).toMatch(/^at /);
    expect(where).toContain(`${path}:2:`);
  });
});
