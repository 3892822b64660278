/**
 * DESIGN rule 1 across processes with pauses and clocks on: the same seed
 * gives a byte-identical trace in two separate OS processes and in this one,
 * and that trace replays identically.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeTimeTraceText } from '../fixtures/print-node-time-trace.ts';
import { MODELS } from '../fixtures/print-trace.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

const SCRIPT = fileURLToPath(new URL('../fixtures/print-node-time-trace.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function traceInChildProcess(model: string, seed: number): string {
  return execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, model, String(seed)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TZ: 'Asia/Kathmandu', LANG: 'de_DE.UTF-8', FAULTLINE_PROBE: String(Math.random()) },
  });
}

describe('determinism across processes, with pauses and clocks', () => {
  it.each([
    ['ping-pong', 1],
    ['replicated-counter', 1],
    ['register', 2],
  ])('%s seed %i: two child processes and this one print the same trace, and it replays', (model, seed) => {
    const first = traceInChildProcess(model, seed);
    const second = traceInChildProcess(model, seed);
    const here = nodeTimeTraceText(model, seed);
    expect(first.length).toBeGreaterThan(10_000);
    expect(first).toBe(second);
    expect(first).toBe(here);
    // The node-and-time faults really happened, next to the others, so the comparison covers them.
    for (const kind of ['pause', 'resume', 'clock-skew', 'clock-jump', 'crash', 'partition']) expect(here, kind).toContain(`"kind":"${kind}"`);
    expect(here).toMatch(/"clockUs":-?\d+,"kind":"deliver"/);
    const replay = replayTrace(parseTrace(here, 'memory'), MODELS[model] as NonNullable<(typeof MODELS)[string]>);
    expect(replay.divergence).toBeNull();
    expect(nodeTimeTraceText(model, seed + 1)).not.toBe(here);
  });
});
