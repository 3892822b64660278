import { describe, expect, it } from 'vitest';
import { describeEdn, ednMapEntry, readEdnForms, type EdnValue } from '../../../src/check/formats/edn.ts';
import { expectInputError } from '../../support/expect-input-error.ts';

const read = (text: string): EdnValue[] => readEdnForms(text, { path: 'h.edn' }).map((form) => form.value);
const keyword = (name: string) => ({ kind: 'keyword', name });

describe('readEdnForms', () => {
  it('reads scalars: nil, booleans, integers (signed, N), floats, keywords', () => {
    expect(read('nil true false 0 -17 +4 12N 1.5 -2e3 3.25M :a :jepsen.util/x :timed-out')).toEqual([
      null, true, false, 0, -17, 4, 12, 1.5, -2000, 3.25, keyword('a'), keyword('jepsen.util/x'), keyword('timed-out'),
    ]);
  });

  it('reads string escapes, including \\u and escaped quotes and backslashes', () => {
    expect(read(String.raw`"a\"b" "back\\slash" "tab\there" "nl\n" "\u00e9t\u00C9" "" "semi;colon, comma"`)).toEqual([
      'a"b', 'back\\slash', 'tab\there', 'nl\n', 'étÉ', '', 'semi;colon, comma',
    ]);
  });

  it('reads nested vectors, lists and maps; commas are whitespace; ; starts a comment', () => {
    const [value] = read('{:v [[1 -2] ([3]) []], :m {"k" nil},,, :s "x"} ; {:not "read"}');
    expect(value).toEqual({
      kind: 'map',
      entries: [
        {
          key: keyword('v'),
          value: { kind: 'vector', items: [{ kind: 'vector', items: [1, -2] }, { kind: 'list', items: [{ kind: 'vector', items: [3] }] }, { kind: 'vector', items: [] }] },
          line: 1,
          column: 5,
        },
        { key: keyword('m'), value: { kind: 'map', entries: [{ key: 'k', value: null, line: 1, column: 32 }] }, line: 1, column: 27 },
        { key: keyword('s'), value: 'x', line: 1, column: 43 },
      ],
    });
  });

  it('gives each top-level form its line and column, counting from firstLine', () => {
    const forms = readEdnForms('; header\n  {:a 1}\n\t[2] :k', { path: 'h.edn', firstLine: 10 });
    expect(forms.map(({ line, column }) => [line, column])).toEqual([[11, 3], [12, 2], [12, 6]]);
    expect(readEdnForms('  ; only a comment', { path: 'h.edn' })).toEqual([]);
  });

  it('finds map entries by keyword and describes values for messages', () => {
    const [map] = read('{"a" 1, :a 2}');
    if (typeof map !== 'object' || map === null || map.kind !== 'map') throw new Error('not a map');
    expect(ednMapEntry(map, 'a')?.value).toBe(2);
    expect(ednMapEntry(map, 'b')).toBeUndefined();
    expect(read('nil :x "s" 5 [1] (1 2) {}').map(describeEdn)).toEqual(['nil', ':x', 'the string "s"', 'the number 5', 'a vector of 1 item', 'a list of 2 items', 'a map']);
  });

  it.each([
    ['an unclosed string', '{:a "abc}', '1:5', 'string is never closed'],
    ['an unknown escape', '"a\\qb"', '1:3', "unknown escape '\\q'"],
    ['a short unicode escape', '"\\u12"', '1:2', 'bad unicode escape'],
    ['an unclosed map', '\n  {:a [1 2]', '2:3', "'{' is never closed"],
    ['a mismatched closer', '[1 2}', '1:5', "expected ']' to close the '[' at column 1, found '}'"],
    ['a stray closer', ':a ]', '1:4', "unexpected ']'"],
    ['a map with an odd count', '{:a 1 :b}', '1:9', 'map has a key with no value (:b)'],
    ['a duplicate key', '{:a 1, :a 2}', '1:8', 'duplicate map key :a'],
    ['a set', '#{1 2}', '1:1', "'#' forms"],
    ['a character', '\\c', '1:1', 'EDN characters'],
    ['a symbol', '{:f read}', '1:5', "unsupported symbol 'read'"],
    ['a malformed number', '1.2.3', '1:1', "malformed number '1.2.3'"],
    ['an integer too large', '12345678901234567890', '1:1', 'integer 12345678901234567890 is too large to hold exactly'],
    ['an auto-resolved keyword', '::a', '1:1', "bad keyword '::a'"],
    ['deep nesting', '['.repeat(70), '1:65', 'nested more than 64 deep'],
  ])('refuses %s with path:line:column', (_name, text, position, reason) => {
    expectInputError(() => readEdnForms(text, { path: 'h.edn' }), `h.edn:${position}: ${reason}`);
    expect(() => readEdnForms(text, { path: 'h.edn' })).toThrow(new RegExp(`^h\\.edn:${position}: `));
  });
});
