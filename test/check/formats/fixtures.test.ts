/**
 * Every Porcupine fixture parses, the invocation count of each agrees with the
 * `ops` column of EXPECTED.tsv (which counts invocations, failed ones
 * included), and the events pair into operations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHistoryFile } from '../../../src/check/formats/index.ts';
import { pairOperations, type HistoryEvent } from '../../../src/check/history.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = resolve(REPO_ROOT, '../shared/fixtures/porcupine');

interface Row {
  file: string;
  model: 'etcd' | 'kv';
  opsCount: number;
}

const rows: Row[] = readFileSync(resolve(FIXTURES, 'EXPECTED.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, model, , ops] = line.split('\t');
    return { file: file as string, model: model as 'etcd' | 'kv', opsCount: Number(ops) };
  });

function read(row: Row): HistoryEvent[] {
  const path = resolve(FIXTURES, row.file);
  return row.model === 'etcd' ? readHistoryFile(path, 'porcupine-etcd', 'register') : readHistoryFile(path, 'porcupine-kv', 'kv');
}

describe('Porcupine fixtures', () => {
  it('EXPECTED.tsv lists every fixture file: 102 etcd logs and 6 kv histories', () => {
    const listed = rows.map((row) => row.file).sort();
    const onDisk = [...readdirSync(resolve(FIXTURES, 'jepsen')).map((name) => `jepsen/${name}`), ...readdirSync(resolve(FIXTURES, 'kv')).map((name) => `kv/${name}`)].sort();
    expect(listed).toEqual(onDisk);
    expect(rows.filter((row) => row.model === 'etcd')).toHaveLength(102);
    expect(rows.filter((row) => row.model === 'kv')).toHaveLength(6);
  });

  it.each(rows)('$file parses into $opsCount invocations that pair', (row) => {
    const events = read(row);
    const text = readFileSync(resolve(FIXTURES, row.file), 'utf8');
    // Every fixture line is a client operation: none is skipped.
    expect(events).toHaveLength(text.split('\n').filter((line) => line.trim() !== '').length);
    expect(events.filter((event) => event.type === 'invoke')).toHaveLength(row.opsCount);
    const operations = pairOperations(events);
    const failed = events.filter((event) => event.type === 'fail').length;
    expect(operations).toHaveLength(row.opsCount - failed);
  });
});
