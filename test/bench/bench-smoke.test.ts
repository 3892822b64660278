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

const checkerBench = fileURLToPath(new URL('./checker.bench.ts', import.meta.url));

describe('npm run bench (checker)', () => {
  it('checks all 108 histories and prints the hardest files against Go, the total and the goal verdict', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', checkerBench, '--repeats', '1'], { encoding: 'utf8' });
    expect(output).toContain('108 Porcupine histories, all verdicts as expected');
    for (const file of ['jepsen/etcd_002.log', 'jepsen/etcd_007.log', 'jepsen/etcd_057.log', 'jepsen/etcd_099.log', 'kv/c50-ok.txt']) {
      expect(output).toMatch(new RegExp(`^${file.replace('.', '\\.')}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+x`, 'm'));
    }
    // Go's one-thread total from GO-BASELINE.tsv is the yardstick.
    expect(output).toMatch(/^all 108 \(sum\)\s+[\d.]+\s+791\.4\s+/m);
    expect(output).toMatch(/goal \(total at or under Go's 0\.79 s\): (met|NOT met)/);
  });
});
