/**
 * The `disk` option group: defaults, layering (model defaults under the
 * user's options, field by field), the trace header, and one-line errors that
 * name the option for every bad value.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, MemorySink, resolveOptions, Simulation, type SimOptionsInput } from '../../src/index.ts';
import { expectInputError } from '../support/expect-input-error.ts';

const raw = (value: unknown): SimOptionsInput => value as SimOptionsInput;

describe('disk options', () => {
  it('default to no disk faults', () => {
    expect(resolveOptions().disk).toEqual({ crashLoss: 'all', readCorruptRate: 0, capacityBytes: null });
  });

  it('layer field by field: a model default stays unless the user sets that field; null capacity means unlimited', () => {
    const model = { crashLoss: 'torn', capacityBytes: 500 } as const;
    expect(resolveOptions({ disk: model }, { disk: { readCorruptRate: 0.1 } }).disk).toEqual({ crashLoss: 'torn', readCorruptRate: 0.1, capacityBytes: 500 });
    expect(resolveOptions({ disk: model }, { disk: { capacityBytes: null, crashLoss: 'all' } }).disk).toEqual({
      crashLoss: 'all',
      readCorruptRate: 0,
      capacityBytes: null,
    });
  });

  it('are written whole into the trace header', () => {
    const node = defineNode<null, never>({ start: () => null });
    const model = defineModel<never>({ name: 'idle', description: 'idle', roles: { a: { count: 1, node } } });
    const sink = new MemorySink();
    new Simulation(model, { disk: { crashLoss: 'torn' } }, { sinks: [sink] }).run();
    expect(sink.headerValue?.options.disk).toEqual({ crashLoss: 'torn', readCorruptRate: 0, capacityBytes: null });
    expect(sink.lines[0]).toContain('"disk":{"crashLoss":"torn","readCorruptRate":0,"capacityBytes":null}');
  });

  it.each<[string, unknown, string]>([
    ['a rate above 1', { readCorruptRate: 2 }, 'disk.readCorruptRate must be a probability between 0 and 1, got 2'],
    ['a negative rate', { readCorruptRate: -0.1 }, 'disk.readCorruptRate must be a probability between 0 and 1, got -0.1'],
    ['a rate that is not a number', { readCorruptRate: '0.5' }, 'disk.readCorruptRate must be a probability between 0 and 1, got "0.5"'],
    ['NaN', { readCorruptRate: Number.NaN }, 'disk.readCorruptRate must be a probability between 0 and 1, got null'],
    ['an unknown crash loss', { crashLoss: 'some' }, 'disk.crashLoss must be one of all, torn, got "some"'],
    ['a negative capacity', { capacityBytes: -1 }, 'disk.capacityBytes must be null (unlimited) or a non-negative integer of bytes, got -1'],
    ['a fractional capacity', { capacityBytes: 1.5 }, 'disk.capacityBytes must be null (unlimited) or a non-negative integer of bytes, got 1.5'],
    ['a capacity as a string', { capacityBytes: '10' }, 'disk.capacityBytes must be null (unlimited) or a non-negative integer of bytes, got "10"'],
    ['an unknown key', { torn: true }, 'disk: unknown option "torn" (known: crashLoss, readCorruptRate, capacityBytes)'],
  ])('refuse %s with one line naming the option', (_what, disk, message) => {
    expectInputError(() => resolveOptions(raw({ disk })), message);
    expect(() => resolveOptions(raw({ disk }))).toThrow(/^[^\n]+$/);
  });

  it('refuse a disk group that is not an object', () => {
    expectInputError(() => resolveOptions(raw({ disk: null })), 'disk must be an object, got null');
    expectInputError(() => resolveOptions(raw({ disk: [] })), 'disk must be an object');
  });
});
