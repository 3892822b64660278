import { describe, expect, it } from 'vitest';
import { parseHistory, type HistoryFormat, type HistoryModel } from '../../../src/check/formats/index.ts';
import { expectInputError } from '../../support/expect-input-error.ts';

const parse = (text: string, model: HistoryModel, format: HistoryFormat = 'jepsen-edn') => parseHistory(text, format, model, 'h.edn');
const shape = (text: string, model: HistoryModel) => parse(text, model).map(({ type, process, input, output }) => ({ type, process, input, output }));

describe('jepsen-edn, register model', () => {
  it('maps read, write and cas; cas takes [from to]; values are integers, strings or nil', () => {
    const text = [
      '{:process 0, :type :invoke, :f :read, :value nil, :time 12}',
      '{:process 0, :type :ok, :f :read, :value nil}',
      '{:process 1, :type :invoke, :f :write, :value "v"}',
      '{:process 1, :type :ok, :f :write, :value "v"}',
      '{:process 2, :type :invoke, :f :cas, :value [-1 2]}',
      '{:process 2, :type :ok, :f :cas, :value [-1 2]}',
      '{:process 0, :type :invoke, :f :read}',
      '{:process 0, :type :ok, :f :read, :value 7}',
    ].join('\n');
    expect(shape(text, 'register')).toEqual([
      { type: 'invoke', process: 0, input: { f: 'read' }, output: undefined },
      { type: 'ok', process: 0, input: undefined, output: null },
      { type: 'invoke', process: 1, input: { f: 'write', value: 'v' }, output: undefined },
      { type: 'ok', process: 1, input: undefined, output: undefined },
      { type: 'invoke', process: 2, input: { f: 'cas', from: -1, to: 2 }, output: undefined },
      { type: 'ok', process: 2, input: undefined, output: true },
      { type: 'invoke', process: 0, input: { f: 'read' }, output: undefined },
      { type: 'ok', process: 0, input: undefined, output: 7 },
    ]);
    expect(parse(text, 'register')[4]).toMatchObject({ time: 5, source: 'h.edn:5' });
  });

  it('keeps a failed cas as fail (Jepsen: it did not happen), and info as info', () => {
    const text = ['{:process 3, :type :fail, :f :cas, :value [1 2]}', '{:process 4, :type :info, :f :write, :value 1, :error :timeout}'].join('\n');
    expect(shape(text, 'register')).toEqual([
      { type: 'fail', process: 3, input: undefined, output: undefined },
      { type: 'info', process: 4, input: undefined, output: undefined },
    ]);
  });

  it('skips nemesis lines, blank lines and comments; times stay line numbers', () => {
    const text = ['; a history', '{:process :nemesis, :type :info, :f :start, :value nil}', '', '{:process 5, :type :invoke, :f :read, :value nil}'].join('\n');
    expect(parse(text, 'register')).toEqual([{ type: 'invoke', process: 5, input: { f: 'read' }, time: 4, source: 'h.edn:4' }]);
  });
});

describe('jepsen-edn and porcupine-kv, kv model', () => {
  const text = [
    '{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}',
    '{:process 9, :type :ok, :f :append, :key "0", :value "x 9 0 y"}',
    '{:process 1, :type :invoke, :f :get, :key 7, :value nil}',
    '{:process 1, :type :ok, :f :get, :key 7, :value nil}',
    '{:process 2, :type :invoke, :f :put, :key "k", :value "v"}',
    '{:process 2, :type :ok, :f :put, :key "k", :value "v"}',
    '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
    '{:process 1, :type :ok, :f :get, :key "0", :value "x 9 0 y"}',
  ].join('\n');

  it('maps get, put and append; integer keys stay integers (1 and "1" are different keys); a nil get reads ""', () => {
    expect(shape(text, 'kv')).toEqual([
      { type: 'invoke', process: 9, input: { f: 'append', key: '0', value: 'x 9 0 y' }, output: undefined },
      { type: 'ok', process: 9, input: undefined, output: undefined },
      { type: 'invoke', process: 1, input: { f: 'get', key: 7 }, output: undefined },
      { type: 'ok', process: 1, input: undefined, output: '' },
      { type: 'invoke', process: 2, input: { f: 'put', key: 'k', value: 'v' }, output: undefined },
      { type: 'ok', process: 2, input: undefined, output: undefined },
      { type: 'invoke', process: 1, input: { f: 'get', key: '0' }, output: undefined },
      { type: 'ok', process: 1, input: undefined, output: 'x 9 0 y' },
    ]);
  });

  it('porcupine-kv reads the same lines the same way', () => {
    expect(parse(text, 'kv', 'porcupine-kv')).toEqual(parse(text, 'kv'));
  });
});

describe('jepsen-edn errors', () => {
  const invoke = '{:process 0, :type :invoke, :f :read, :value nil}';
  it.each([
    ['a line that is not a map', 'register', '[:process 0]', '2:1', 'expected a map like {:process 0'],
    ['two maps on a line', 'register', `${invoke} {}`, '2:51', 'expected one map a line'],
    ['a missing :process', 'register', '{:type :invoke, :f :read}', '2:1', 'missing :process'],
    ['a missing :type', 'register', '{:process 1, :f :read}', '2:1', 'missing :type'],
    ['an unknown :type', 'register', '{:process 1, :type :begin, :f :read}', '2:20', 'unknown :type :begin; expected :invoke, :ok, :fail, :info'],
    ['a :type that is a string', 'register', '{:process 1, :type "ok", :f :read}', '2:20', 'unknown :type the string "ok"'],
    ['an unknown register :f', 'register', '{:process 1, :type :invoke, :f :get, :key "a"}', '2:32', 'unknown :f :get; expected :read, :write, :cas'],
    ['an unknown kv :f', 'kv', '{:process 1, :type :invoke, :f :cas, :value [1 2]}', '2:32', 'unknown :f :cas; expected :get, :put, :append'],
    ['a write with no :value', 'register', '{:process 1, :type :invoke, :f :write}', '2:1', 'missing :value'],
    ['a cas of one value', 'register', '{:process 1, :type :invoke, :f :cas, :value [1]}', '2:45', 'a :cas :value is a vector [from to], not a vector of 1 item'],
    ['a float register value', 'register', '{:process 1, :type :invoke, :f :write, :value 1.5}', '2:47', 'a register value is an integer, a string or nil'],
    ['an ok read of a keyword', 'register', '{:process 0, :type :ok, :f :read, :value :x}', '2:42', 'a register value is an integer, a string or nil, not :x'],
    ['a get with no :key', 'kv', '{:process 1, :type :invoke, :f :get}', '2:1', 'missing :key'],
    ['a keyword :key', 'kv', '{:process 1, :type :invoke, :f :get, :key :a}', '2:43', ':key must be a string or an integer'],
    ['an integer append', 'kv', '{:process 1, :type :invoke, :f :append, :key "a", :value 5}', '2:58', 'the :value of :append must be a string'],
    ['an ok get of an integer', 'kv', '{:process 0, :type :ok, :f :get, :key "a", :value 3}', '2:51', 'the :value of an :ok :get must be a string or nil'],
    ['an EDN syntax error', 'register', '{:process 1, :type :invoke, :f :write, :value "x}', '2:47', 'string is never closed'],
  ] as const)('refuses %s with file:line:column', (_name, model, line, position, reason) => {
    const first = model === 'kv' ? '{:process 0, :type :invoke, :f :get, :key "a"}' : invoke;
    const text = `${first}\n${line}`;
    expectInputError(() => parse(text, model), `h.edn:${position}: ${reason}`);
    expect(() => parse(text, model)).toThrow(/^h\.edn:2:\d+: [^\n]*$/);
  });

  it('refuses a file with no client operations and suggests checking --format', () => {
    expectInputError(() => parse('{:process :nemesis, :type :info, :f :start}\n; nothing\n', 'register'), 'h.edn: no history lines found', '--format jepsen-edn');
    expectInputError(() => parse('INFO  jepsen.util - 1 :invoke :read nil', 'kv', 'porcupine-kv'), "unsupported symbol 'INFO'");
  });
});
