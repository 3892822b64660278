import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../../src/check/formats/index.ts';
import { expectInputError } from '../../support/expect-input-error.ts';

const parse = (text: string) => parseHistory(text, 'porcupine-etcd', 'register', 'etcd.log');
const util = (message: string) => `INFO  jepsen.util - ${message}`;

describe('porcupine-etcd', () => {
  it('maps invocations and completions the way Porcupine reads them', () => {
    const lines = [
      util('4\t:invoke\t:read\tnil'),
      util('1\t:invoke\t:write\t1'),
      util('2\t:invoke\t:cas\t[2 4]'),
      util('4\t:ok\t:read\tnil'),
      util('1\t:ok\t:write\t1'),
      util('2\t:ok\t:cas\t[2 4]'),
      util('4\t:invoke\t:read\tnil'),
      util('4\t:ok\t:read\t3'),
    ];
    expect(parse(lines.join('\n'))).toEqual([
      { type: 'invoke', process: 4, input: { f: 'read' }, time: 1, source: 'etcd.log:1' },
      { type: 'invoke', process: 1, input: { f: 'write', value: 1 }, time: 2, source: 'etcd.log:2' },
      { type: 'invoke', process: 2, input: { f: 'cas', from: 2, to: 4 }, time: 3, source: 'etcd.log:3' },
      { type: 'ok', process: 4, output: null, time: 4, source: 'etcd.log:4' },
      { type: 'ok', process: 1, time: 5, source: 'etcd.log:5' },
      { type: 'ok', process: 2, output: true, time: 6, source: 'etcd.log:6' },
      { type: 'invoke', process: 4, input: { f: 'read' }, time: 7, source: 'etcd.log:7' },
      { type: 'ok', process: 4, output: 3, time: 8, source: 'etcd.log:8' },
    ]);
  });

  it('reads a failed cas as an ok cas that returned false, and timeouts as info or fail', () => {
    const events = parse(
      [
        util('2 :fail :cas [2 4]'),
        util('3   :info   :cas    :timed-out'),
        util('5\t:info\t:write\t:timed-out'),
        util('9   :fail   :read   :timed-out'),
      ].join('\n'),
    );
    expect(events.map(({ type, process, output }) => ({ type, process, output }))).toEqual([
      { type: 'ok', process: 2, output: false },
      { type: 'info', process: 3, output: undefined },
      { type: 'info', process: 5, output: undefined },
      { type: 'fail', process: 9, output: undefined },
    ]);
  });

  it('skips other loggers and blank lines; line numbers still count them', () => {
    const text = ['INFO  jepsen.core - Worker 0 starting', '', util('0 :invoke :write -3'), '   ', 'WARN  jepsen.core - done'].join('\r\n');
    expect(parse(text)).toEqual([{ type: 'invoke', process: 0, input: { f: 'write', value: -3 }, time: 3, source: 'etcd.log:3' }]);
  });

  it.each([
    ['an unknown function', util('1 :invoke :frob nil'), 'unknown function :frob; expected'],
    ['an unknown type', util('1 :begin :read nil'), 'unknown type :begin; expected'],
    ['a missing value', util('1 :invoke :read'), 'found 3 fields'],
    ['a read invoked with a value', util('1 :invoke :read 3'), 'a read is invoked with nil'],
    ['a write of nil', util('1 :invoke :write nil'), 'expected an integer, found nil'],
    ['a cas with one value', util('1 :invoke :cas [1]'), 'a cas value is [from to]'],
    ['a cas of strings', util('1 :ok :cas ["a" "b"]'), 'a cas value is [from to]'],
    ['an ok read of a keyword', util('1 :ok :read :timed-out'), 'expected nil or an integer'],
    ['a keyword process', util(':nemesis :info :start nil'), 'the process must be an integer'],
    ['an unclosed vector', util('1 :invoke :cas [1 2'), "'[' is never closed"],
    ['a damaged log line', 'INFO jepsen.util 1 :invoke :read nil', 'expected "LEVEL jepsen.util - message"'],
  ])('refuses %s with file:line and the line quoted', (_name, line, reason) => {
    const text = `${util('0 :invoke :read nil')}\n${line}`;
    expectInputError(() => parse(text), 'cannot read this history line: "', reason);
    expect(() => parse(text)).toThrow(/^etcd\.log:2: cannot read this history line: "[^\n]*$/);
  });

  it('shortens a long line in the quote', () => {
    const text = util(`1 :invoke :write ${'9'.repeat(200)}`);
    expectInputError(() => parse(text), 'etcd.log:1: cannot read this history line: "INFO', '…"', 'too large');
  });

  it('refuses a file with no history lines and suggests checking --format', () => {
    expectInputError(() => parse('INFO  jepsen.core - nothing here\n\n'), 'etcd.log: no history lines found', '--format');
    expectInputError(() => parse('{:process 0, :type :invoke, :f :read, :value nil}'), 'no history lines', 'check that --format matches');
  });
});
