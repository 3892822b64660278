/**
 * The 108 real Jepsen/Porcupine histories in ../shared/fixtures/porcupine:
 * every verdict must match EXPECTED.tsv (Porcupine's, for etcd registers and
 * key-value stores), and the witness of each illegal one must be consistent.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairOperations } from '../../src/check/history.ts';
import { readHistoryFile } from '../../src/check/formats/index.ts';
import { checkLinearizability } from '../../src/check/linearizability/check.ts';
import { registerSpec } from '../../src/check/linearizability/register.ts';
import { kvSpec } from '../../src/check/linearizability/kv.ts';
import { REPO_ROOT } from '../cli/helpers.ts';

const FIXTURES = resolve(REPO_ROOT, '../shared/fixtures/porcupine');

interface Expected {
  file: string;
  model: 'etcd' | 'kv';
  verdict: 'ok' | 'illegal';
}

const expected: Expected[] = readFileSync(join(FIXTURES, 'EXPECTED.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, model, verdict] = line.split('\t');
    return { file: file!, model: model as Expected['model'], verdict: verdict as Expected['verdict'] };
  });

function check(row: Expected) {
  const path = join(FIXTURES, row.file);
  if (row.model === 'etcd') return checkLinearizability(pairOperations(readHistoryFile(path, 'porcupine-etcd', 'register')), registerSpec);
  return checkLinearizability(pairOperations(readHistoryFile(path, 'porcupine-kv', 'kv')), kvSpec);
}

describe('Porcupine fixtures', () => {
  it('lists 108 histories, 82 illegal and 26 linearizable', () => {
    expect(expected).toHaveLength(108);
    expect(expected.filter((row) => row.verdict === 'illegal')).toHaveLength(82);
  });

  it.each(expected)('$file is $verdict', (row) => {
    const result = check(row);
    expect(result.verdict).toBe(row.verdict === 'ok' ? 'linearizable' : 'not-linearizable');
    if (row.verdict === 'ok') {
      expect(result.witness).toBeNull();
      return;
    }
    // The witness: a blocked operation outside the placed prefix, listed first among the stuck ones.
    const witness = result.witness!;
    const placed = new Set(witness.prefix.map((operation) => operation.id));
    expect(placed.has(witness.blocked.id)).toBe(false);
    expect(witness.stuck[0]!.operation).toBe(witness.blocked);
    expect(witness.blocked.status).toBe('ok');
    // Every operation of the prefix was called before the blocked one returned.
    for (const operation of witness.prefix) expect(operation.call).toBeLessThan(witness.blocked.ret);
  });
});
