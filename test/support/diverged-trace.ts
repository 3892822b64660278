/**
 * A trace whose replay diverges at a known place, for the viewer's tests of
 * where node states stop.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readTraceFile } from '../../src/trace/file.ts';
import type { ParsedTrace } from '../../src/trace/codec.ts';
import { REPO_ROOT } from '../cli/helpers.ts';

/** The committed ping-pong chaos trace (seed 3, 418 events). */
export const PING_PONG = join(REPO_ROOT, 'traces/ping-pong-chaos-seed3.jsonl');

/**
 * The committed trace with event #202 (client0's ping seq 16 to server1) edited
 * to seq 99: a replay of the unchanged model diverges there. Event #202 belongs
 * to the step that began at #199 (client0's tick timer), which changed client0.
 */
export function divergedTrace(dir: string): { trace: ParsedTrace; path: string } {
  const path = join(dir, 'diverged.jsonl');
  // Line 0 is the header, so event #202 is line 202.
  const lines = readFileSync(PING_PONG, 'utf8').split('\n');
  const edited = lines.map((line, i) => (i === 202 ? line.replace('"seq":16', '"seq":99') : line));
  expect(edited[202]).toContain('"n":202,');
  expect(edited[202]).toContain('"seq":99');
  writeFileSync(path, edited.join('\n'));
  return { trace: readTraceFile(path), path };
}

