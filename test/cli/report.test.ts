/**
 * The `where` line of a model-crash report: the first stack frame outside
 * faultline's own source folder, node_modules and Node's internals — found by
 * the real folder, so a user's own src/ folder is not mistaken for faultline's.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULTLINE_SRC_DIR, modelFrame } from '../../src/cli/report.ts';
import { REPO_ROOT } from './helpers.ts';

const own = (file: string, line = 10): string => `    at Runtime.call (${join(FAULTLINE_SRC_DIR, file)}:${line}:5)`;

describe('modelFrame', () => {
  it("faultline's source folder is the repository's src/", () => {
    expect(FAULTLINE_SRC_DIR).toBe(resolve(REPO_ROOT, 'src'));
  });

  it("skips faultline's own frames and returns the user's, even in the user's own src/ folder", () => {
    const stack = [
      'Error: boom',
      '    at Object.start (/home/me/raft/src/node.ts:12:11)',
      own('node/runtime.ts'),
      own('sim/simulation.ts', 200),
    ].join('\n');
    expect(modelFrame(stack)).toBe('at Object.start (/home/me/raft/src/node.ts:12:11)');
  });

  it('skips faultline, node_modules, node: internals and native frames before the model frame', () => {
    const stack = [
      'TypeError: bad',
      '    at JSON.parse (<anonymous>)',
      '    at Array.map (native)',
      '    at immerProduce (/home/me/raft/node_modules/immer/dist/immer.mjs:1:2)',
      '    at node:internal/process/task_queues:95:5',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      own('node/runtime.ts'),
      '    at onMessage (/home/me/raft/src/replica.ts:40:3)',
    ].join('\n');
    expect(modelFrame(stack)).toBe('at onMessage (/home/me/raft/src/replica.ts:40:3)');
  });

  it("skips faultline frames written as file:// URLs", () => {
    const url = `${pathToFileURL(FAULTLINE_SRC_DIR).href}/node/runtime.ts`;
    const stack = ['Error: x', `    at run (${url}:3:4)`, '    at <anonymous> (file:///home/me/src/model.ts:1:1)'].join('\n');
    expect(modelFrame(stack)).toBe('at <anonymous> (file:///home/me/src/model.ts:1:1)');
  });

  it('does not skip a folder that merely starts like faultline\'s src', () => {
    const stack = ['Error: x', `    at f (${FAULTLINE_SRC_DIR}-user/model.ts:1:1)`].join('\n');
    expect(modelFrame(stack)).toBe(`at f (${FAULTLINE_SRC_DIR}-user/model.ts:1:1)`);
  });

  it('returns null when there is no stack or no model frame', () => {
    expect(modelFrame(null)).toBeNull();
    expect(modelFrame(undefined)).toBeNull();
    expect(modelFrame(['Error: x', own('sim/effects.ts')].join('\n'))).toBeNull();
  });
});
