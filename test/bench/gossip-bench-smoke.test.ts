/**
 * Keeps `npm run bench:gossip` from rotting: a small run (50 peers) must pass
 * and print every figure line with a number, and bad input is one line, exit 2.
 * No timing is asserted: speed figures live in the benchmark's own output.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bench = fileURLToPath(new URL('./gossip.bench.ts', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', bench, ...args], { encoding: 'utf8' });

describe('npm run bench:gossip', () => {
  it('prints the outcome, events, time, rates, memory and the ratio to the bare loop', () => {
    const { status, stdout } = run(['--nodes', '50', '--seed', '1']);
    expect(status).toBe(0);
    expect(stdout).toContain('50 peers, seed 1');
    expect(stdout).toMatch(/^outcome\s+pass \(time-budget\)$/m);
    expect(stdout).toMatch(/^virtual time\s+3\.000 s$/m);
    for (const label of ['trace events', 'scheduler steps', 'wall time', 'events/s', 'steps/s', 'heap', 'peak memory \\(RSS\\)', 'bare loop']) {
      expect(stdout).toMatch(new RegExp(`^${label}\\s+\\d`, 'm'));
    }
    expect(stdout).toMatch(/^ratio\s+simulator steps\/s ÷ bare pops\/s = \d+\.\d{4}$/m);
  });

  it('--nodes 1: one line on stderr, exit 2', () => {
    const { status, stderr, stdout } = run(['--nodes', '1']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['gossip.bench: --nodes needs an integer of at least 2, got 1']);
  });
});
