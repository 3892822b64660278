/**
 * A small reader for the part of EDN that Jepsen histories use: maps,
 * vectors, lists, keywords, strings, integers, floats, `nil`, `true`,
 * `false`; commas are whitespace and `;` starts a comment. Symbols, sets,
 * characters and `#` tags are refused with a clear message rather than
 * half-read. Every error names `path:line:column`.
 */
import { InputError } from '../../sim/errors.ts';

/** A value read from EDN. Integers and floats are both `number`. */
export type EdnValue = null | boolean | number | string | EdnKeyword | EdnVector | EdnList | EdnMap;

/** `:name` (the colon is not part of `name`). */
export interface EdnKeyword {
  readonly kind: 'keyword';
  readonly name: string;
}

/** `[a b c]`. */
export interface EdnVector {
  readonly kind: 'vector';
  readonly items: EdnValue[];
}

/** `(a b c)`. */
export interface EdnList {
  readonly kind: 'list';
  readonly items: EdnValue[];
}

/** `{k v, ...}`, in the order written; each entry keeps where its value starts, for messages. */
export interface EdnMap {
  readonly kind: 'map';
  readonly entries: EdnMapEntry[];
}

/** One key and value of a map. */
export interface EdnMapEntry {
  key: EdnValue;
  value: EdnValue;
  /** 1-based position of the value. */
  line: number;
  column: number;
}

/** A top-level value and where it starts (1-based). */
export interface EdnForm {
  value: EdnValue;
  line: number;
  column: number;
}

/** Where the text came from: `path` for messages, `firstLine` when the text is one line of a bigger file. */
export interface EdnOrigin {
  path: string;
  firstLine?: number;
}

/** Deeper nesting than this is refused: the reader recurses, and no history needs more. */
const DEPTH_MAX = 64;
const DELIMITER = /[\s,()[\]{}";]/;
const INTEGER = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/;
const CLOSER: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')' };
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

/**
 * Reads every top-level value in `text`.
 *
 * @throws InputError `path:line:column: ...` on anything outside the subset.
 */
export function readEdnForms(text: string, origin: EdnOrigin): EdnForm[] {
  return new EdnReader(text, origin).readAll();
}

/** The value of the entry whose key is the keyword `:name`, or undefined when there is none. */
export function ednMapEntry(map: EdnMap, name: string): EdnMapEntry | undefined {
  return map.entries.find((entry) => isKeyword(entry.key) && entry.key.name === name);
}

/** Whether `value` is a keyword (optionally a given one). */
export function isKeyword(value: EdnValue, name?: string): value is EdnKeyword {
  return typeof value === 'object' && value !== null && value.kind === 'keyword' && (name === undefined || value.name === name);
}

/** A short description of a value for messages: `nil`, `:x`, `the string "x"`, `a vector of 3 items`, ... */
export function describeEdn(value: EdnValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)}`;
  if (value.kind === 'keyword') return `:${value.name}`;
  if (value.kind === 'map') return 'a map';
  return `a ${value.kind} of ${value.items.length} item${value.items.length === 1 ? '' : 's'}`;
}

class EdnReader {
  private offset = 0;
  /** Offsets where each line starts, to turn an offset into line:column only when needed. */
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly origin: EdnOrigin,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  readAll(): EdnForm[] {
    const forms: EdnForm[] = [];
    for (this.skipBlank(); this.offset < this.text.length; this.skipBlank()) {
      const start = this.offset;
      forms.push({ value: this.readValue(0), ...this.position(start) });
    }
    return forms;
  }

  private readValue(depth: number): EdnValue {
    const start = this.offset;
    const char = this.text[start];
    if (char === '"') return this.readString();
    if (char === '{' || char === '[' || char === '(') return this.readCollection(char, depth);
    if (char === ')' || char === ']' || char === '}') throw this.error(start, `unexpected '${char}' with nothing open`);
    if (char === '#') throw this.error(start, "'#' forms (sets, tags, discards) are not supported");
    if (char === '\\') throw this.error(start, 'EDN characters (\\c) are not supported; use a string');
    return this.readAtom();
  }

  private readCollection(opener: string, depth: number): EdnValue {
    const start = this.offset;
    if (depth >= DEPTH_MAX) throw this.error(start, `nested more than ${DEPTH_MAX} deep`);
    const closer = CLOSER[opener] as string;
    const items: EdnValue[] = [];
    const positions: { line: number; column: number }[] = [];
    this.offset++;
    for (this.skipBlank(); this.text[this.offset] !== closer; this.skipBlank()) {
      const char = this.text[this.offset];
      if (char === undefined) throw this.error(start, `'${opener}' is never closed`);
      if (char === ')' || char === ']' || char === '}') {
        throw this.error(this.offset, `expected '${closer}' to close the '${opener}' at column ${this.position(start).column}, found '${char}'`);
      }
      positions.push(this.position(this.offset));
      items.push(this.readValue(depth + 1));
    }
    const end = this.offset;
    this.offset++;
    if (opener === '[') return { kind: 'vector', items };
    if (opener === '(') return { kind: 'list', items };
    return this.makeMap(items, positions, end);
  }

  private makeMap(items: EdnValue[], positions: { line: number; column: number }[], end: number): EdnMap {
    if (items.length % 2 === 1) throw this.error(end, `map has a key with no value (${describeEdn(items[items.length - 1] ?? null)})`);
    const entries: EdnMapEntry[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i] as EdnValue;
      const signature = scalarSignature(key);
      if (signature !== null && seen.has(signature)) {
        const at = positions[i] as { line: number; column: number };
        throw new InputError(`${this.origin.path}:${at.line}:${at.column}: duplicate map key ${describeEdn(key)}`);
      }
      if (signature !== null) seen.add(signature);
      entries.push({ key, value: items[i + 1] as EdnValue, ...(positions[i + 1] as { line: number; column: number }) });
    }
    return { kind: 'map', entries };
  }

  private readString(): string {
    const start = this.offset;
    let result = '';
    let i = start + 1;
    for (;;) {
      const char = this.text[i];
      if (char === undefined) throw this.error(start, 'string is never closed');
      if (char === '"') break;
      if (char !== '\\') {
        result += char;
        i++;
        continue;
      }
      const code = this.text[i + 1];
      if (code === 'u') {
        const hex = this.text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(i, `bad unicode escape '\\u${hex}' (expected 4 hex digits)`);
        result += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const escaped = code === undefined ? undefined : ESCAPES[code];
      if (escaped === undefined) throw this.error(i, `unknown escape '\\${code ?? ''}' in string`);
      result += escaped;
      i += 2;
    }
    this.offset = i + 1;
    return result;
  }

  private readAtom(): EdnValue {
    const start = this.offset;
    let end = start;
    while (end < this.text.length && !DELIMITER.test(this.text[end] as string)) end++;
    const token = this.text.slice(start, end);
    const shown = token.length > 30 ? `${token.slice(0, 30)}…` : token;
    this.offset = end;
    if (token.startsWith(':')) {
      if (token.length === 1 || token.startsWith('::')) throw this.error(start, `bad keyword '${shown}'`);
      return { kind: 'keyword', name: token.slice(1) };
    }
    if (token === 'nil') return null;
    if (token === 'true' || token === 'false') return token === 'true';
    if (INTEGER.test(token)) {
      const value = Number(token.replace(/N$/, ''));
      if (!Number.isSafeInteger(value)) throw this.error(start, `integer ${shown} is too large to hold exactly`);
      return value;
    }
    if (FLOAT.test(token)) return Number(token.replace(/M$/, ''));
    if (/^[+-]?\d/.test(token)) throw this.error(start, `malformed number '${shown}'`);
    throw this.error(start, `unsupported symbol '${shown}' (only nil, true and false are read)`);
  }

  /** Skips whitespace, commas and `;` comments. */
  private skipBlank(): void {
    while (this.offset < this.text.length) {
      const char = this.text[this.offset] as string;
      if (char === ';') {
        const newline = this.text.indexOf('\n', this.offset);
        this.offset = newline === -1 ? this.text.length : newline + 1;
      } else if (char === ',' || /\s/.test(char)) {
        this.offset++;
      } else {
        return;
      }
    }
  }

  private position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] as number) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: (this.origin.firstLine ?? 1) + low, column: offset - (this.lineStarts[low] as number) + 1 };
  }

  private error(offset: number, message: string): InputError {
    const { line, column } = this.position(offset);
    return new InputError(`${this.origin.path}:${line}:${column}: ${message}`);
  }
}

/** A string that is equal for equal scalar keys, or null for collections (not checked for duplicates). */
function scalarSignature(key: EdnValue): string | null {
  if (typeof key === 'object' && key !== null) return key.kind === 'keyword' ? `:${key.name}` : null;
  return `${typeof key}:${String(key)}`;
}
