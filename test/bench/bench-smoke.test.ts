/**
 * Keeps `npm run bench` from rotting: a tiny run must print every row of the
 * table with a ratio, and the goal line. No timing is asserted here: speed
 * targets live in the benchmark's own output, never in unit tests.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bench = fileURLToPath(new URL('./core.bench.ts', import.meta.url));

describe('npm run bench', () => {
  it('prints the bare loops, the four simulator variants with ratios, and the goal verdict', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', bench, '--events', '5000', '--repeats', '1'], {
      encoding: 'utf8',
    });
    const rows = [
      'bare loop, typed-array heap',
      'bare loop, array-of-objects heap',
      'simulator, stateless, recording off',
      'simulator, stateless, recording on',
      'simulator, counting (immer), recording off',
      'simulator, counting (immer), recording on',
    ];
    for (const row of rows) {
      const line = output.split('\n').find((l) => l.startsWith(row));
      expect(line, row).toBeDefined();
      // events, best s, median s, best ev/s, median ev/s, ratio
      expect(line).toMatch(/M\/s\s+\d+\.\d{3}$/);
    }
    expect(output).toMatch(/goal: simulator \(recording off\) >= 0\.5 x typed-array bare loop — stateless \d\.\d{3}x: (MET|NOT MET)/);
  });
});
