/**
 * Every trace committed under traces/ must replay identically: they pin the
 * trace format and the simulator's decisions across versions and machines.
 * A change that alters them is either a bug or a deliberate format change
 * (then re-record the traces in the same commit and say why).
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { readTraceFile } from '../../src/trace/file.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { loadModel } from '../../src/cli/load-model.ts';

const tracesDir = resolve(fileURLToPath(import.meta.url), '../../../traces');
const committed = readdirSync(tracesDir).filter((name) => name.endsWith('.jsonl')).sort();

describe('committed regression traces', () => {
  test('there are some to replay', () => {
    expect(committed.length).toBeGreaterThanOrEqual(2);
  });

  test.each(committed)('%s replays identically', async (name) => {
    const trace = readTraceFile(join(tracesDir, name));
    const { model } = await loadModel(trace.header.model, tracesDir);
    const replay = replayTrace(trace, model);
    expect(replay.divergence).toBeNull();
    expect(replay.result.events).toBe(trace.events.length);
    const end = trace.events.at(-1);
    expect(end?.kind === 'end' ? end.hash : null).toBe(replay.result.traceHash);
  });
});
