/**
 * The options of pauses (`faults.pause`) and clocks (`clocks`): off by default,
 * filled from their defaults when partly given, layered like the other fault
 * kinds (null turns off), and refused with a one-line message naming the
 * option when wrong.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, ms, resolveOptions, sec, Simulation, type SimOptionsInput } from '../../src/index.ts';
import { DEFAULT_CLOCK_JUMPS, DEFAULT_CLOCKS, DEFAULT_PAUSE } from '../../src/sim/node-time-options.ts';
import { expectInputError } from '../support/expect-input-error.ts';

describe('defaults', () => {
  it('both are off', () => {
    const options = resolveOptions();
    expect(options.faults.pause).toBeNull();
    expect(options.clocks).toBeNull();
  });

  it('an empty object switches each on with its defaults', () => {
    expect(resolveOptions({ faults: { pause: {} } }).faults.pause).toEqual({ meanIntervalUs: sec(2), duration: { minUs: ms(100), maxUs: sec(1) }, maxPaused: 1 });
    expect(resolveOptions({ clocks: {} }).clocks).toEqual({ skewUs: { minUs: -ms(50), maxUs: ms(50) }, driftPpm: { min: -100, max: 100 }, jumps: null });
    expect(resolveOptions({ clocks: { jumps: {} } }).clocks?.jumps).toEqual({ meanIntervalUs: sec(5), sizeUs: { minUs: ms(10), maxUs: sec(1) } });
    expect(DEFAULT_PAUSE.maxPaused).toBe(1);
    expect(DEFAULT_CLOCKS.jumps).toBeNull();
    expect(DEFAULT_CLOCK_JUMPS.meanIntervalUs).toBe(sec(5));
  });
});

describe('layers', () => {
  it('merge field by field over a model\'s defaults, and null turns a kind off', () => {
    const model: SimOptionsInput = {
      faults: { pause: { maxPaused: 2 } },
      clocks: { skewUs: { maxUs: ms(5) }, jumps: { meanIntervalUs: sec(1) } },
    };
    const both = resolveOptions(model, { faults: { pause: { meanIntervalUs: ms(300) } }, clocks: { driftPpm: { min: -7 } } });
    expect(both.faults.pause).toEqual({ ...DEFAULT_PAUSE, maxPaused: 2, meanIntervalUs: ms(300) });
    expect(both.clocks).toEqual({
      skewUs: { minUs: -ms(50), maxUs: ms(5) },
      driftPpm: { min: -7, max: 100 },
      jumps: { ...DEFAULT_CLOCK_JUMPS, meanIntervalUs: sec(1) },
    });
    expect(resolveOptions(model, { faults: { pause: null } }).faults.pause).toBeNull();
    expect(resolveOptions(model, { clocks: null }).clocks).toBeNull();
    expect(resolveOptions(model, { clocks: { jumps: null } }).clocks?.jumps).toBeNull();
    // Leaving a kind out keeps the model's.
    expect(resolveOptions(model, { seed: 3 }).clocks?.skewUs.maxUs).toBe(ms(5));
  });

  it('pauses are part of faults: switching crashes off leaves them alone', () => {
    expect(resolveOptions({ faults: { pause: {}, crash: {} } }, { faults: { crash: null } }).faults.pause).toEqual(DEFAULT_PAUSE);
  });
});

describe('bad options: one line naming the option', () => {
  const cases: [string, SimOptionsInput, string][] = [
    ['an unknown pause key', { faults: { pause: { everyUs: 5 } as never } }, 'faults.pause: unknown option "everyUs"'],
    ['a pause interval of 0', { faults: { pause: { meanIntervalUs: 0 } } }, 'faults.pause.meanIntervalUs must be an integer at least 1, got 0'],
    ['a pause of 0 us', { faults: { pause: { duration: { minUs: 0, maxUs: 5 } } } }, 'faults.pause.duration.minUs must be an integer at least 1, got 0'],
    ['a pause range upside down', { faults: { pause: { duration: { minUs: 9, maxUs: 5 } } } }, 'faults.pause.duration: maxUs (5) is below minUs (9)'],
    ['maxPaused 0', { faults: { pause: { maxPaused: 0 } } }, 'faults.pause.maxPaused must be an integer at least 1, got 0'],
    ['a fractional maxPaused', { faults: { pause: { maxPaused: 1.5 } } }, 'faults.pause.maxPaused must be an integer at least 1, got 1.5'],
    ['pause as a string', { faults: { pause: 'often' as never } }, 'faults.pause must be an object, got "often"'],
    ['an unknown clocks key', { clocks: { offsetUs: 3 } as never }, 'clocks: unknown option "offsetUs"'],
    ['clocks as true', { clocks: true as never }, 'clocks must be an object, got true'],
    ['a fractional skew', { clocks: { skewUs: { minUs: 0.5 } } }, 'clocks.skewUs.minUs must be an integer between -86400000000 and 86400000000, got 0.5'],
    ['a skew over a day', { clocks: { skewUs: { maxUs: 86_400_000_001 } } }, 'clocks.skewUs.maxUs must be an integer between'],
    ['a skew range upside down', { clocks: { skewUs: { minUs: 5, maxUs: -5 } } }, 'clocks.skewUs: maxUs (-5) is below minUs (5)'],
    ['skewUs null', { clocks: { skewUs: null as never } }, 'clocks.skewUs must be an object, got null'],
    ['an unknown skewUs key', { clocks: { skewUs: { meanUs: 1 } as never } }, 'clocks.skewUs: unknown option "meanUs"'],
    ['a drift beyond 500000 ppm', { clocks: { driftPpm: { max: 500_001 } } }, 'clocks.driftPpm.max must be an integer between -500000 and 500000, got 500001'],
    ['a fractional drift', { clocks: { driftPpm: { min: -0.5 } } }, 'clocks.driftPpm.min must be an integer between -500000 and 500000, got -0.5'],
    ['a drift range upside down', { clocks: { driftPpm: { min: 10, max: -10 } } }, 'clocks.driftPpm: max (-10) is below min (10)'],
    ['an unknown jumps key', { clocks: { jumps: { sizeMs: 1 } as never } }, 'clocks.jumps: unknown option "sizeMs"'],
    ['a jump interval of 0', { clocks: { jumps: { meanIntervalUs: 0 } } }, 'clocks.jumps.meanIntervalUs must be an integer at least 1, got 0'],
    ['a negative jump size', { clocks: { jumps: { sizeUs: { minUs: -1, maxUs: 5 } } } }, 'clocks.jumps.sizeUs.minUs must be an integer between 0 and 86400000000, got -1'],
    ['a jump range upside down', { clocks: { jumps: { sizeUs: { minUs: 9, maxUs: 5 } } } }, 'clocks.jumps.sizeUs: maxUs (5) is below minUs (9)'],
  ];

  it.each(cases)('%s', (_what, input, message) => {
    expectInputError(() => resolveOptions(input), message);
  });

  it('a model\'s defaults are checked the same way when a run is built', () => {
    const node = defineNode<null, never>({ start: () => null });
    const model = defineModel({ name: 'm', description: 'x', roles: { n: { count: 1, node } }, defaults: { clocks: { driftPpm: { min: 2, max: 1 } } } });
    expectInputError(() => new Simulation(model, {}), 'clocks.driftPpm: max (1) is below min (2)');
  });
});
