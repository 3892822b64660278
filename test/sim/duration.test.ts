import { describe, expect, it } from 'vitest';
import { formatDuration, ms, parseDuration, parseDurationRange, sec, us } from '../../src/sim/duration.ts';
import { InputError } from '../../src/sim/errors.ts';
import { expectInputError } from '../support/expect-input-error.ts';


describe('parseDuration', () => {
  it.each([
    ['250us', 250],
    ['20ms', 20_000],
    ['10s', 10_000_000],
    ['1.5s', 1_500_000],
    ['2m', 120_000_000],
    ['1h', 3_600_000_000],
    ['0us', 0],
    ['0.5ms', 500],
    ['  7ms  ', 7_000],
  ])('parses %j as %i microseconds', (text, micros) => {
    expect(parseDuration(text, '--time')).toBe(micros);
  });

  it('reads a bare number as milliseconds', () => {
    expect(parseDuration('250', '--time')).toBe(250_000);
    expect(parseDuration('0', '--time')).toBe(0);
    expect(parseDuration('1.25', '--time')).toBe(1_250);
  });

  it('always returns an integer number of microseconds', () => {
    expect(parseDuration('1.7us', '--time')).toBe(2);
    expect(parseDuration('0.0004ms', '--time')).toBe(0);
    expect(Number.isInteger(parseDuration('3.3333s', '--time'))).toBe(true);
  });

  it.each(['', 'ms', '-5ms', '5 ms', '5sec', '1e3ms', '10MS', 'abc', '1.ms', '.5s', '5ms5', '+5ms', 'NaN', 'Infinity'])(
    'rejects %j with an InputError naming the flag',
    (text) => {
      expectInputError(() => parseDuration(text, '--latency'), '--latency', 'is not a duration');
    },
  );

  it('rejects negative durations', () => {
    expectInputError(() => parseDuration('-1s', '--time'), '--time', '-1s');
    expectInputError(() => parseDuration('-0', '--time'), '--time');
  });

  it('rejects durations too large to be a safe integer of microseconds', () => {
    expectInputError(() => parseDuration('9999999999999h', '--time'), '--time', 'too large');
  });

  it('InputError maps to exit code 2', () => {
    try {
      parseDuration('x', '--time');
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).exitCode).toBe(2);
    }
  });
});

describe('parseDurationRange', () => {
  it('parses MIN..MAX', () => {
    expect(parseDurationRange('1ms..20ms', '--latency')).toEqual({ minUs: 1_000, maxUs: 20_000 });
    expect(parseDurationRange('500us..2s', '--latency')).toEqual({ minUs: 500, maxUs: 2_000_000 });
    expect(parseDurationRange('5..10', '--latency')).toEqual({ minUs: 5_000, maxUs: 10_000 });
  });

  it('reads a single duration as min = max', () => {
    expect(parseDurationRange('7ms', '--latency')).toEqual({ minUs: 7_000, maxUs: 7_000 });
  });

  it('accepts an empty range (min equal to max)', () => {
    expect(parseDurationRange('3ms..3000us', '--latency')).toEqual({ minUs: 3_000, maxUs: 3_000 });
  });

  it('rejects a maximum below the minimum', () => {
    expectInputError(() => parseDurationRange('20ms..1ms', '--latency'), '--latency', 'maximum below its minimum');
  });

  it('rejects more than two parts', () => {
    expectInputError(() => parseDurationRange('1ms..2ms..3ms', '--latency'), '--latency', 'not a range');
  });

  it.each(['..5ms', '5ms..', '..', 'a..b', '-1ms..5ms', '1ms...5ms'])('rejects the malformed range %j naming the flag', (text) => {
    expectInputError(() => parseDurationRange(text, '--downtime'), '--downtime');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0us'],
    [250, '250us'],
    [999, '999us'],
    [1_000, '1ms'],
    [12_345, '12.345ms'],
    [10_500, '10.5ms'],
    [100_000, '100ms'],
    [999_999, '999.999ms'],
    [1_000_000, '1s'],
    [3_200_000, '3.2s'],
    [10_000_000, '10s'],
    [1_000_001, '1.000001s'],
    [120_000_000, '120s'],
  ])('formats %i us as %j', (micros, text) => {
    expect(formatDuration(micros)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const micros of [0, 1, 999, 1_000, 1_001, 12_345, 999_999, 1_000_000, 1_234_567, 60_000_000, 3_600_000_001]) {
      expect(parseDuration(formatDuration(micros), 'x')).toBe(micros);
    }
  });
});

describe('unit helpers', () => {
  it('us, ms and sec give integer microseconds', () => {
    expect(us(5)).toBe(5);
    expect(us(2.6)).toBe(3);
    expect(ms(20)).toBe(20_000);
    expect(ms(1.5)).toBe(1_500);
    expect(sec(10)).toBe(10_000_000);
    expect(sec(0.25)).toBe(250_000);
  });
});
