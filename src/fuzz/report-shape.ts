/**
 * The shape of a fuzz report read back from a file, checked field by field
 * (nested ones too) so that `faultline merge` refuses a damaged or hand-edited
 * report with a message naming the file and the field, instead of failing
 * deep inside the merge on a value of the wrong type.
 */
import { InputError } from '../sim/errors.ts';

/** A field that does not fit: where it is (`models[0].abandoned`) and what it should be. */
class Misfit {
  constructor(
    readonly field: string,
    readonly wanted: string,
  ) {}
}

/** Checks the value at `at`; throws a Misfit when it does not fit. */
type Check = (value: unknown, at: string) => void;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const is = (wanted: string, test: (value: unknown) => boolean): Check => (value, at) => {
  if (!test(value)) throw new Misfit(at, wanted);
};
const string = is('a string', (v) => typeof v === 'string');
const count = is('a non-negative integer', (v) => Number.isSafeInteger(v) && (v as number) >= 0);
const number = is('a number', (v) => typeof v === 'number' && Number.isFinite(v));
const boolean = is('true or false', (v) => typeof v === 'boolean');
const object = is('an object', isRecord);
const stopReason = is('null, "interrupted" or "fail-fast"', (v) => v === null || v === 'interrupted' || v === 'fail-fast');
const orNull = (check: Check): Check => (value, at) => {
  if (value !== null) check(value, at);
};
/** A field that may be missing: added after the first reports of this version were written. */
const optional = (check: Check): Check => (value, at) => {
  if (value !== undefined) check(value, at);
};
const arrayOf = (check: Check): Check => (value, at) => {
  if (!Array.isArray(value)) throw new Misfit(at, 'an array');
  value.forEach((item, i) => check(item, `${at}[${i}]`));
};
const recordOf = (check: Check): Check => (value, at) => {
  object(value, at);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) check(item, `${at}.${key}`);
};
const shape = (fields: Record<string, Check>): Check => (value, at) => {
  object(value, at);
  for (const [name, check] of Object.entries(fields)) check((value as Record<string, unknown>)[name], at === '' ? name : `${at}.${name}`);
};

const REPORT = shape({
  faultline: string,
  command: string,
  campaign: shape({
    models: arrayOf(string), options: object, startSeed: count, shardCount: count,
    seeds: orNull(count), durationMs: orNull(number), checkDeterminism: boolean,
  }),
  shards: arrayOf(count),
  interrupted: boolean,
  stoppedBy: stopReason,
  wallMs: number,
  models: arrayOf(shape({ model: string, seedsRun: count, abandoned: arrayOf(count), virtualUs: number, sometimesSeen: recordOf(count) })),
  failures: arrayOf(shape({
    model: string, seed: count, kind: string, property: orNull(string), signature: string, message: string,
    eventNumber: orNull(count), timeUs: orNull(number), tracePath: orNull(string), replay: string, view: optional(orNull(string)),
  })),
});

/** Throws an InputError naming `path` and the first field of `report` that does not fit (format and version are checked before). */
export function checkReportShape(report: unknown, path: string): void {
  try {
    REPORT(report, '');
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    throw new InputError(`${path}: malformed report ("${error.field}" is not ${error.wanted})`);
  }
}
