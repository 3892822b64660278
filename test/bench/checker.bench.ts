/**
 * Linearizability checker benchmark (`npm run bench`, or `npm run bench:checker`).
 *
 * Checks the 108 Porcupine fixtures (../shared/fixtures/porcupine) several
 * times in this process and compares the time per file with the reference Go
 * checker's, measured on one thread on this kind of machine
 * (GO-BASELINE.tsv, columns check_*_ms_P1). Parsing is timed separately and
 * is not part of the check time, as in the Go figures. Goal: the total check
 * time at or under Go's 0.79 s.
 *
 * Options: --repeats N (timed passes over all files, default 5). The first,
 * cold pass (JIT warm-up included) is reported on its own line.
 */
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairOperations, type Operation } from '../../src/check/history.ts';
import { readHistoryFile } from '../../src/check/formats/index.ts';
import { checkLinearizability } from '../../src/check/linearizability/check.ts';
import { registerSpec } from '../../src/check/linearizability/register.ts';
import { kvSpec } from '../../src/check/linearizability/kv.ts';
import type { SequentialSpec } from '../../src/check/linearizability/spec.ts';

const hrtime = process.hrtime.bigint;
const elapsedMs = (startNs: bigint): number => Number(hrtime() - startNs) / 1e6;

const argv = process.argv.slice(2);
const repeatsAt = argv.indexOf('--repeats');
const REPEATS = repeatsAt < 0 ? 5 : Number(argv[repeatsAt + 1]);
if (!Number.isSafeInteger(REPEATS) || REPEATS < 1) throw new Error('--repeats needs a positive integer');

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/porcupine');
/** The files whose figures the issue asks for. */
const HARDEST = ['jepsen/etcd_002.log', 'jepsen/etcd_007.log', 'jepsen/etcd_057.log', 'jepsen/etcd_099.log', 'kv/c50-ok.txt', 'kv/c50-bad.txt'];

interface Fixture {
  file: string;
  expected: 'linearizable' | 'not-linearizable';
  operations: Operation[];
  spec: SequentialSpec<unknown, unknown, unknown>;
  goMinMs: number;
  goMedianMs: number;
  timesMs: number[];
}

function tsv(name: string): string[][] {
  return readFileSync(join(FIXTURES, name), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
}

const go = new Map(tsv('GO-BASELINE.tsv').filter((row) => row[1] !== 'kv-nopartition').map((row) => [`${row[1]}/${row[0]}`, row]));
const parseStart = hrtime();
const fixtures: Fixture[] = tsv('EXPECTED.tsv').map(([file, model, expected]) => {
  const path = join(FIXTURES, file!);
  const etcd = model === 'etcd';
  const events = etcd ? readHistoryFile(path, 'porcupine-etcd', 'register') : readHistoryFile(path, 'porcupine-kv', 'kv');
  const goRow = go.get(`${model}/${file!.split('/').pop()}`);
  if (goRow === undefined) throw new Error(`no Go baseline for ${file}`);
  return {
    file: file!,
    expected: expected === 'ok' ? 'linearizable' : 'not-linearizable',
    operations: pairOperations(events as never),
    spec: (etcd ? registerSpec : kvSpec) as SequentialSpec<unknown, unknown, unknown>,
    goMinMs: Number(goRow[7]),
    goMedianMs: Number(goRow[8]),
    timesMs: [],
  };
});
const parseMs = elapsedMs(parseStart);

function pass(): number {
  let totalMs = 0;
  for (const fixture of fixtures) {
    const start = hrtime();
    const result = checkLinearizability(fixture.operations, fixture.spec);
    const ms = elapsedMs(start);
    if (result.verdict !== fixture.expected) throw new Error(`${fixture.file}: expected ${fixture.expected}, got ${result.verdict}`);
    fixture.timesMs.push(ms);
    totalMs += ms;
  }
  return totalMs;
}

const min = (values: number[]): number => Math.min(...values);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number): string => ms.toFixed(ms < 10 ? 2 : 1).padStart(8);
const ratio = (ours: number, theirs: number): string => `${(ours / theirs).toFixed(2)}x`.padStart(7);

const coldMs = pass();
for (const fixture of fixtures) fixture.timesMs.length = 0;
const passesMs: number[] = [];
for (let i = 0; i < REPEATS; i++) passesMs.push(pass());

const goMinTotal = fixtures.reduce((sum, f) => sum + f.goMinMs, 0);
const goMedianTotal = fixtures.reduce((sum, f) => sum + f.goMedianMs, 0);
const oursMinTotal = fixtures.reduce((sum, f) => sum + min(f.timesMs), 0);
const oursMedianTotal = fixtures.reduce((sum, f) => sum + median(f.timesMs), 0);

console.log(`Linearizability checker, ${fixtures.length} Porcupine histories, all verdicts as expected; ${REPEATS} timed passes after a cold one`);
console.log(`Node ${process.version}; Go reference: Porcupine, one thread (GO-BASELINE.tsv, P1); ratio = ours / Go (below 1 is faster)`);
console.log(`parsing (all files, once):   ${fmt(parseMs)} ms`);
console.log(`cold first pass (JIT warm-up): ${fmt(coldMs)} ms   ${ratio(coldMs, goMinTotal)} of Go's min total`);
console.log('');
console.log(`${'file'.padEnd(22)} ${'ours min'.padStart(8)} ${'Go min'.padStart(8)} ${'ratio'.padStart(7)}   ${'ours med'.padStart(8)} ${'Go med'.padStart(8)} ${'ratio'.padStart(7)}`);
for (const file of HARDEST) {
  const f = fixtures.find((fixture) => fixture.file === file)!;
  console.log(`${file.padEnd(22)} ${fmt(min(f.timesMs))} ${fmt(f.goMinMs)} ${ratio(min(f.timesMs), f.goMinMs)}   ${fmt(median(f.timesMs))} ${fmt(f.goMedianMs)} ${ratio(median(f.timesMs), f.goMedianMs)}`);
}
console.log(`${'all 108 (sum)'.padEnd(22)} ${fmt(oursMinTotal)} ${fmt(goMinTotal)} ${ratio(oursMinTotal, goMinTotal)}   ${fmt(oursMedianTotal)} ${fmt(goMedianTotal)} ${ratio(oursMedianTotal, goMedianTotal)}`);
console.log(`whole passes: ${passesMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
console.log(`goal (total at or under Go's ${(goMinTotal / 1000).toFixed(2)} s): ${oursMedianTotal <= goMinTotal ? 'met' : 'NOT met'} (median total ${(oursMedianTotal / 1000).toFixed(3)} s)`);
