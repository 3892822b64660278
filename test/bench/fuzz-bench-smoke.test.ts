/**
 * Keeps `npm run bench:fuzz` from rotting: a tiny run prints a row per worker
 * count with seeds/s, the ratio to one worker and virtual/real, and the 2-vs-1
 * line. No timing is asserted (speed belongs to the benchmark's output).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bench = fileURLToPath(new URL('./fuzz.bench.ts', import.meta.url));

describe('npm run bench:fuzz', () => {
  it('fuzzes the model it is given with 1 and 2 workers and prints both rows and the ratio', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', bench, '--model', 'ping-pong', '--seeds', '6'], { encoding: 'utf8' });
    expect(output).toMatch(/^fuzz benchmark: model ping-pong, seeds 0\.\.5, \d+ cores/m);
    for (const workers of [1, 2]) {
      // workers, seeds, wall s, seeds/s, ratio, steady/s, ratio, cores, virtual s, virtual/real, failures
      expect(output).toMatch(new RegExp(`^${workers} +6 +[\\d.]+ +[\\d.]+ +[\\d.]+x +[\\d.]+ +[\\d.]+x +[\\d.]+ +12\\.0 +[\\d.]+x +0$`, 'm'));
    }
    expect(output).toMatch(/^2-vs-1 workers: [\d.]+x seeds\/s \([\d.]+x after start-up\)$/m);
  }, 60_000);
});
