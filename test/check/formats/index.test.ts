import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HISTORY_FORMATS, parseHistory, readHistoryFile, type HistoryFormat, type HistoryModel } from '../../../src/check/formats/index.ts';
import { expectInputError } from '../../support/expect-input-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ETCD = 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\r\nINFO  jepsen.util - 0\t:ok\t:read\t2\r\n';

describe('history formats', () => {
  it('lists every format', () => {
    expect(HISTORY_FORMATS).toEqual(['porcupine-etcd', 'porcupine-kv', 'jepsen-edn', 'faultline-trace']);
  });

  it.each([
    ['porcupine-etcd', 'kv', '--format porcupine-etcd holds register histories, not --model kv; use --model register'],
    ['porcupine-kv', 'register', '--format porcupine-kv holds kv histories, not --model register; use --model kv'],
  ] as const)('refuses --format %s with --model %s in one line', (format, model, message) => {
    expectInputError(() => parseHistory(ETCD, format, model, 'h'), message);
    expectInputError(() => readHistoryFile(join(dir, 'absent'), format, model), message);
  });

  it('refuses an unknown format or model coming from a flag', () => {
    expectInputError(() => parseHistory(ETCD, 'edn' as HistoryFormat, 'kv', 'h'), 'unknown --format edn; expected one of porcupine-etcd, porcupine-kv, jepsen-edn');
    expectInputError(() => parseHistory(ETCD, 'jepsen-edn', 'set' as HistoryModel, 'h'), 'unknown --model set');
  });

  it('reads a file with a byte-order mark and CRLF line ends, naming it in sources', () => {
    const path = join(dir, 'bom.log');
    writeFileSync(path, `\uFEFF${ETCD}`);
    expect(readHistoryFile(path, 'porcupine-etcd', 'register')).toEqual([
      { type: 'invoke', process: 0, input: { f: 'read' }, time: 1, source: `${path}:1` },
      { type: 'ok', process: 0, output: 2, time: 2, source: `${path}:2` },
    ]);
    const kvPath = join(dir, 'kv.txt');
    writeFileSync(kvPath, '\uFEFF{:process 0, :type :invoke, :f :get, :key "a"}\r\n{:process 0, :type :ok, :f :get, :key "a", :value "x"}\r\n');
    expect(readHistoryFile(kvPath, 'porcupine-kv', 'kv').map((event) => event.output)).toEqual([undefined, 'x']);
  });

  it('names the path of a file it cannot read, in one line', () => {
    const missing = join(dir, 'missing.log');
    expectInputError(() => readHistoryFile(missing, 'porcupine-etcd', 'register'), `cannot read history file ${missing}: no such file`);
    expectInputError(() => readHistoryFile(dir, 'jepsen-edn', 'kv'), `cannot read history file ${dir}: it is a directory`);
  });

  it('reports a bad line with the path as given', () => {
    const path = join(dir, 'bad.log');
    writeFileSync(path, 'INFO  jepsen.util - 0 :invoke :read nil\nINFO  jepsen.util - 0 :ok :read x\n');
    expect(() => readHistoryFile(path, 'porcupine-etcd', 'register')).toThrow(`${path}:2: cannot read this history line:`);
  });
});
