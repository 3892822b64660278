/**
 * Keeps `npm run bench:viewer` from rotting: a small run must build its trace
 * from a real model run, write the page, open it in Chromium and print every
 * figure and the goal line. No timing is asserted here; the figures belong to
 * the benchmark's own output.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bench = fileURLToPath(new URL('./viewer.bench.ts', import.meta.url));

describe('npm run bench:viewer', () => {
  it('prints the trace and page sizes, the first-screen and jump times, the rows drawn and the goal verdict', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', bench, '--events', '2000', '--repeats', '1'], { encoding: 'utf8' });
    expect(output).toMatch(/^trace: \d{4,} events \(replicated-counter seed 1, pass\), [\d.]+ MB, run in [\d.]+ s$/m);
    expect(output).toMatch(/^page: +[\d.]+ MB, written in [\d.]+ s \(replay for node states included\); states: complete$/m);
    expect(output).toMatch(/^first screen \(load \+ draw\) +best \d+ ms, median \d+ ms \(\d+\)$/m);
    expect(output).toMatch(/^jump to the middle +best \d+ ms/m);
    const drawn = Number(/^marks drawn at the middle: (\d+) \(of (\d+) events\)/m.exec(output)?.[1]);
    expect(drawn).toBeGreaterThan(20);
    expect(drawn).toBeLessThan(200);
    expect(output).toMatch(/^goal: first screen < 2000 ms — median \d+ ms: (MET|NOT MET)$/m);
  });
});
