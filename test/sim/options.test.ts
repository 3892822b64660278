import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, resolveOptions, validateOptions, type SimOptions, type SimOptionsInput } from '../../src/sim/options.ts';
import { InputError } from '../../src/sim/errors.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemorySink } from '../../src/trace/sink.ts';
import { defineModel, defineNode } from '../../src/index.ts';


/** Lets a test pass deliberately wrong input without `any`. */
const raw = (value: unknown): SimOptionsInput => value as SimOptionsInput;

const idle = defineNode<null, null>({ start: () => null });

function model(extra: { bugs?: Record<string, string>; defaults?: SimOptionsInput } = {}) {
  return defineModel<null>({
    name: 'options-probe',
    description: 'two idle nodes',
    roles: { a: { count: 1, node: idle }, b: { count: 1, node: idle } },
    ...extra,
  });
}

describe('resolveOptions defaults', () => {
  it('fills every option from the defaults when given nothing', () => {
    const options = resolveOptions();
    expect(options).toEqual(DEFAULT_OPTIONS);
    expect(options).toEqual({
      seed: 0,
      timeUs: 10_000_000,
      maxEvents: 1_000_000,
      settleUs: 0,
      network: {
        latency: { minUs: 1_000, maxUs: 10_000, distribution: 'uniform' },
        lossRate: 0,
        duplicateRate: 0,
        reorder: true,
        links: [],
        capacity: null,
        corruptRate: 0,
        adversary: null,
        trackLoad: false,
      },
      faults: { crash: null, partition: null, clog: null, pause: null },
      clocks: null,
      bugs: [],
      checkMode: false,
      sometimesScope: 'run',
      disk: { crashLoss: 'all', readCorruptRate: 0, capacityBytes: null },
    });
  });

  it('returns a fresh copy: mutating a result does not change the defaults or the next result', () => {
    const first = resolveOptions();
    first.network.latency.maxUs = 1;
    first.network.links.push({ from: 'a0', to: 'b0', lossRate: 1 });
    first.bugs.push('x');
    expect(DEFAULT_OPTIONS.network.latency.maxUs).toBe(10_000);
    expect(DEFAULT_OPTIONS.network.links).toEqual([]);
    expect(DEFAULT_OPTIONS.bugs).toEqual([]);
    expect(resolveOptions()).toEqual(DEFAULT_OPTIONS);
  });

  it('skips undefined layers', () => {
    expect(resolveOptions(undefined, { seed: 3 }, undefined).seed).toBe(3);
  });

  it('merges partial nested objects field by field', () => {
    const options = resolveOptions({ network: { latency: { maxUs: 20_000 }, lossRate: 0.1 } });
    expect(options.network.latency).toEqual({ minUs: 1_000, maxUs: 20_000, distribution: 'uniform' });
    expect(options.network.lossRate).toBe(0.1);
    expect(options.network.duplicateRate).toBe(0);
    expect(options.network.reorder).toBe(true);
  });

  it('fills a partly given fault kind from its defaults, and null turns it off', () => {
    const on = resolveOptions({ faults: { crash: { maxDown: 2 }, partition: {} } });
    expect(on.faults.crash).toEqual({ meanIntervalUs: 2_000_000, downtime: { minUs: 100_000, maxUs: 1_000_000 }, maxDown: 2 });
    expect(on.faults.partition).toEqual({ meanIntervalUs: 2_000_000, duration: { minUs: 200_000, maxUs: 2_000_000 }, shapes: ['halves'] });
    const off = resolveOptions({ faults: { crash: {} } }, { faults: { crash: null } });
    expect(off.faults.crash).toBeNull();
  });

  it('keeps falsy values a user chose (0, false, empty lists) instead of the defaults', () => {
    const options = resolveOptions(
      { seed: 9, timeUs: 5, network: { reorder: true, links: [{ from: 'a0', to: 'b0', lossRate: 1 }] }, bugs: ['x'], checkMode: true },
      { seed: 0, timeUs: 0, network: { reorder: false, links: [] }, bugs: [], checkMode: false },
    );
    expect(options.seed).toBe(0);
    expect(options.timeUs).toBe(0);
    expect(options.network.reorder).toBe(false);
    expect(options.network.links).toEqual([]);
    expect(options.bugs).toEqual([]);
    expect(options.checkMode).toBe(false);
  });
});

describe('resolveOptions layering', () => {
  const modelDefaults: SimOptionsInput = {
    timeUs: 2_000_000,
    network: { latency: { minUs: 5_000, maxUs: 50_000 }, lossRate: 0.2 },
    faults: { crash: { maxDown: 2 } },
  };

  it('layers model defaults over global defaults, and user options over both', () => {
    const options = resolveOptions(modelDefaults, { seed: 7, network: { latency: { maxUs: 8_000 } } });
    expect(options.seed).toBe(7); // user
    expect(options.timeUs).toBe(2_000_000); // model
    expect(options.maxEvents).toBe(1_000_000); // global
    expect(options.network.latency).toEqual({ minUs: 5_000, maxUs: 8_000, distribution: 'uniform' }); // model, user, global
    expect(options.network.lossRate).toBe(0.2); // model
    expect(options.faults.crash?.maxDown).toBe(2); // model
    expect(options.faults.crash?.meanIntervalUs).toBe(2_000_000); // global crash default
  });

  it('lets a user override a model default fault back to off', () => {
    expect(resolveOptions(modelDefaults, { faults: { crash: null } }).faults.crash).toBeNull();
  });

  it('Simulation applies the model defaults under the user options and records them in the trace header', () => {
    const sink = new MemorySink();
    const sim = new Simulation(model({ defaults: modelDefaults }), { seed: 11, network: { lossRate: 0.05 } }, { sinks: [sink] });
    expect(sim.options.seed).toBe(11);
    expect(sim.options.timeUs).toBe(2_000_000);
    expect(sim.options.network.lossRate).toBe(0.05);
    expect(sim.options.network.latency.minUs).toBe(5_000);
    expect(sink.headerValue?.options).toEqual(sim.options);
    expect(sink.headerValue?.seed).toBe(11);
  });

  it('validates the merged result, so a model default can be fixed by the user', () => {
    // Alone, maxUs 500 is below the default minUs of 1000; together with the user's minUs it is fine.
    expectInputError(() => resolveOptions({ network: { latency: { maxUs: 500 } } }), 'network.latency');
    expect(resolveOptions({ network: { latency: { maxUs: 500 } } }, { network: { latency: { minUs: 100 } } }).network.latency)
      .toEqual({ minUs: 100, maxUs: 500, distribution: 'uniform' });
  });
});

describe('option validation names the option path', () => {
  it.each<[string, unknown, string[]]>([
    ['negative seed', { seed: -1 }, ['seed', 'non-negative integer', '-1']],
    ['fractional seed', { seed: 1.5 }, ['seed']],
    ['unsafe seed', { seed: 2 ** 53 }, ['seed']],
    ['string seed', { seed: '5' }, ['seed', '"5"']],
    ['non-integer timeUs', { timeUs: 1.5 }, ['timeUs', 'non-negative integer', '1.5']],
    ['negative timeUs', { timeUs: -10 }, ['timeUs']],
    ['zero maxEvents', { maxEvents: 0 }, ['maxEvents', 'at least 1']],
    ['lossRate above 1', { network: { lossRate: 1.5 } }, ['network.lossRate', 'probability', '1.5']],
    ['negative lossRate', { network: { lossRate: -0.1 } }, ['network.lossRate']],
    ['NaN duplicateRate', { network: { duplicateRate: Number.NaN } }, ['network.duplicateRate', 'probability']],
    ['latency max below min', { network: { latency: { minUs: 10_000, maxUs: 5_000 } } }, ['network.latency', 'maxUs (5000)', 'minUs (10000)']],
    ['fractional latency', { network: { latency: { minUs: 0.5 } } }, ['network.latency.minUs']],
    ['unknown distribution', { network: { latency: { distribution: 'pareto' } } }, ['network.latency.distribution', 'uniform, exponential, normal']],
    ['non-boolean reorder', { network: { reorder: 'yes' } }, ['network.reorder']],
    ['links not an array', { network: { links: {} } }, ['network.links']],
    ['link without from', { network: { links: [{ to: 'b0' }] } }, ['network.links[0]', '"from"']],
    ['bad link lossRate', { network: { links: [{ from: 'a0', to: 'b0' }, { from: 'b0', to: 'a0', lossRate: 2 }] } }, ['network.links[1].lossRate']],
    ['bad link latency', { network: { links: [{ from: 'a0', to: 'b0', latency: { minUs: 9, maxUs: 1, distribution: 'uniform' } }] } }, ['network.links[0].latency']],
    ['unknown top-level key', { seeds: 5 }, ['unknown option "seeds"', 'options']],
    ['unknown network key', { network: { loss: 0.5 } }, ['network', 'unknown option "loss"']],
    ['unknown faults key', { faults: { nemesis: {} } }, ['faults', 'unknown option "nemesis"']],
    ['crash maxDown 0', { faults: { crash: { maxDown: 0 } } }, ['faults.crash.maxDown']],
    ['crash downtime reversed', { faults: { crash: { downtime: { minUs: 10, maxUs: 1 } } } }, ['faults.crash.downtime']],
    ['partition interval 0', { faults: { partition: { meanIntervalUs: 0 } } }, ['faults.partition.meanIntervalUs']],
    ['bugs not a list', { bugs: 'x' }, ['bugs']],
    ['bugs with a number', { bugs: ['x', 1] }, ['bugs']],
    ['non-boolean checkMode', { checkMode: 1 }, ['checkMode']],
  ])('%s', (_name, input, fragments) => {
    expectInputError(() => resolveOptions(raw(input)), ...fragments);
  });

  it('InputError from options maps to exit code 2', () => {
    try {
      resolveOptions({ seed: -1 });
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).exitCode).toBe(2);
    }
  });

  it('validateOptions accepts the defaults and rejects a hand-built bad set', () => {
    expect(() => validateOptions(structuredClone(DEFAULT_OPTIONS))).not.toThrow();
    const bad: SimOptions = structuredClone(DEFAULT_OPTIONS);
    bad.network.duplicateRate = 3;
    expectInputError(() => validateOptions(bad), 'network.duplicateRate');
  });

  it('accepts the edge values 0 and 1 for rates and an empty latency range', () => {
    const options = resolveOptions({ network: { lossRate: 1, duplicateRate: 0, latency: { minUs: 0, maxUs: 0 } } });
    expect(options.network.lossRate).toBe(1);
    expect(options.network.latency).toEqual({ minUs: 0, maxUs: 0, distribution: 'uniform' });
  });

  // The unknown-key check stops at the first level of `network` and `faults`: a typo one level
  // deeper is accepted silently (and written to the trace header as if it meant something).
  it.each<[string, unknown, string, string]>([
    ['unknown latency key', { network: { latency: { mean: 5_000 } } }, 'mean', 'network.latency'],
    ['unknown link key', { network: { links: [{ from: 'a0', to: 'b0', loss: 0.5 }] } }, 'loss', 'network.links[0]'],
    ['unknown crash fault key', { faults: { crash: { maxdown: 3 } } }, 'maxdown', 'faults.crash'],
    ['unknown partition fault key', { faults: { partition: { durationUs: 5 } } }, 'durationUs', 'faults.partition'],
  ])('rejects a nested %s', (_name, input, key, path) => {
    expectInputError(() => resolveOptions(raw(input)), `unknown option "${key}"`, path);
  });
});

describe('bug flags', () => {
  it('unknown bug flag for a model throws InputError from new Simulation, listing the known flags', () => {
    const withBugs = model({ bugs: { 'skip-ack': 'never acknowledges', 'stale-read': 'reads a stale value' } });
    expectInputError(() => new Simulation(withBugs, { bugs: ['no-such-bug'] }), 'no-such-bug', 'options-probe', 'skip-ack', 'stale-read');
  });

  it('says so when the model has no bug flags at all', () => {
    expectInputError(() => new Simulation(model(), { bugs: ['anything'] }), '"anything"', 'it has none');
  });

  it('accepts a known bug flag', () => {
    const withBugs = model({ bugs: { 'skip-ack': 'never acknowledges' } });
    expect(new Simulation(withBugs, { bugs: ['skip-ack'] }).options.bugs).toEqual(['skip-ack']);
  });

  it('new Simulation rejects bad options with an InputError too', () => {
    expectInputError(() => new Simulation(model(), { network: { lossRate: 1.5 } }), 'network.lossRate');
    expectInputError(() => new Simulation(model(), raw({ sed: 1 })), 'unknown option "sed"');
  });
});

describe('stacked link overrides are validated as the network merges them', () => {
  const stacked = [
    { from: 'a0', to: 'b0', latency: { minUs: 9_000 } },
    { from: 'a0', to: 'b0', latency: { maxUs: 2_000 } },
  ];

  it('rejects two overrides of one link that are each valid alone but invert its latency range together', () => {
    expectInputError(
      () => resolveOptions({ network: { links: stacked } }),
      'network.links[1].latency: maxUs (2000) is below minUs (9000)',
      'stacked on network.links[0] for the same link a0 -> b0',
    );
    expectInputError(() => new Simulation(model(), { network: { links: stacked } }), 'network.links[1].latency');
  });

  it('names every earlier override of that link, skipping overrides of other links', () => {
    const links = [
      { from: 'a0', to: 'b0', latency: { minUs: 9_000 } },
      { from: 'b0', to: 'a0', latency: { maxUs: 1_000, minUs: 0 } },
      { from: 'a0', to: 'b0', lossRate: 0.5 },
      { from: 'a0', to: 'b0', latency: { maxUs: 2_000 } },
    ];
    expectInputError(() => resolveOptions({ network: { links } }), 'network.links[3].latency', 'stacked on network.links[0], network.links[2] for the same link a0 -> b0');
  });

  it('accepts a later override that repairs an earlier one, as the network would use it', () => {
    const links = [
      { from: 'a0', to: 'b0', latency: { minUs: 20_000, maxUs: 30_000 } },
      { from: 'a0', to: 'b0', latency: { minUs: 1_000 } },
    ];
    expect(resolveOptions({ network: { links } }).network.links).toEqual(links);
    const sink = new MemorySink();
    expect(() => new Simulation(model(), { network: { links } }, { sinks: [sink] }).run()).not.toThrow();
  });

  it('does not stack the two directions of a link, or links that merely share a node', () => {
    const links = [
      { from: 'a0', to: 'b0', latency: { minUs: 9_000, maxUs: 9_000 } },
      { from: 'b0', to: 'a0', latency: { maxUs: 2_000 } },
      { from: 'a0', to: 'a0', latency: { maxUs: 2_000 } },
    ];
    expect(() => resolveOptions({ network: { links } })).not.toThrow();
  });

  it('checks the merge against the network-wide latency given in any layer', () => {
    // A model default moves the network-wide minimum up; a user's link override alone lowers the maximum below it.
    expectInputError(
      () => resolveOptions({ network: { latency: { minUs: 5_000, maxUs: 50_000 } } }, { network: { links: [{ from: 'a0', to: 'b0', latency: { maxUs: 2_000 } }] } }),
      'network.links[0].latency: maxUs (2000) is below minUs (5000)',
    );
  });
});

describe('null and non-object option groups are refused, not read as defaults', () => {
  it.each<[string, unknown, string[]]>([
    ['network: null', { network: null }, ['network must be an object, got null']],
    ['network: a string', { network: 'fast' }, ['network must be an object, got "fast"']],
    ['network: an array', { network: [] }, ['network must be an object, got []']],
    ['faults: null', { faults: null }, ['faults must be an object, got null']],
    ['faults: a number', { faults: 0 }, ['faults must be an object, got 0']],
    ['faults: false', { faults: false }, ['faults must be an object, got false']],
    ['faults.crash: a string', { faults: { crash: 'x' } }, ['faults.crash must be an object, got "x"']],
    ['faults.crash: true', { faults: { crash: true } }, ['faults.crash must be an object, got true']],
    ['faults.partition: an array', { faults: { partition: [] } }, ['faults.partition must be an object, got []']],
    ['faults.crash.downtime: null', { faults: { crash: { downtime: null } } }, ['faults.crash.downtime must be an object, got null']],
    ['faults.crash.downtime: a number', { faults: { crash: { downtime: 5 } } }, ['faults.crash.downtime must be an object, got 5']],
    ['faults.partition.duration: null', { faults: { partition: { duration: null } } }, ['faults.partition.duration must be an object, got null']],
    ['an unknown downtime key', { faults: { crash: { downtime: { minUs: 1, maxUs: 2, meanUs: 3 } } } }, ['faults.crash.downtime', 'unknown option "meanUs"']],
    ['network.latency: null', { network: { latency: null } }, ['network.latency must be an object, got null']],
    ['network.links: null', { network: { links: null } }, ['network.links must be an array, got null']],
    ['network.lossRate: null', { network: { lossRate: null } }, ['network.lossRate', 'got null']],
    ['network.reorder: null', { network: { reorder: null } }, ['network.reorder must be true or false, got null']],
    ['seed: null', { seed: null }, ['seed must be a non-negative integer, got null']],
    ['timeUs: null', { timeUs: null }, ['timeUs', 'got null']],
    ['bugs: null', { bugs: null }, ['bugs must be an array of bug-flag names, got null']],
    ['checkMode: null', { checkMode: null }, ['checkMode must be true or false, got null']],
    ['options: null', null, ['options must be an object, got null']],
  ])('%s', (_name, input, fragments) => {
    expectInputError(() => resolveOptions(raw(input)), ...fragments);
  });

  it('a null group is refused by new Simulation and by a later layer over good defaults', () => {
    expectInputError(() => new Simulation(model(), raw({ network: null })), 'network must be an object, got null');
    expectInputError(() => new Simulation(model({ defaults: { network: { lossRate: 0.1 } } }), raw({ faults: null })), 'faults must be an object');
    expectInputError(() => resolveOptions({ seed: 3 }, raw({ seed: null })), 'seed');
  });

  it('still treats an absent (undefined) option as "use the layer below", and null as "off" for a fault kind', () => {
    const options = resolveOptions({ seed: 4, faults: { crash: {} } }, { seed: undefined, network: undefined, faults: { crash: undefined, partition: null } });
    expect(options.seed).toBe(4);
    expect(options.faults.crash).not.toBeNull();
    expect(options.faults.partition).toBeNull();
  });

  it('validateOptions refuses a hand-built set with a null group instead of throwing a TypeError', () => {
    for (const key of ['network', 'faults'] as const) {
      const bad = structuredClone(DEFAULT_OPTIONS) as unknown as Record<string, unknown>;
      bad[key] = null;
      expectInputError(() => validateOptions(bad as unknown as SimOptions), `${key} must be an object, got null`);
    }
    const noLatency = structuredClone(DEFAULT_OPTIONS) as unknown as { network: { latency: unknown } };
    noLatency.network.latency = null;
    expectInputError(() => validateOptions(noLatency as unknown as SimOptions), 'network.latency must be an object, got null');
  });
});

describe('option messages show any wrong value on one short line', () => {
  it('a BigInt, a cyclic object and a long list do not break the message', () => {
    expectInputError(() => resolveOptions(raw({ seed: 5n })), 'seed must be a non-negative integer, got 5n');
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expectInputError(() => resolveOptions(raw({ network: { links: cycle } })), 'network.links must be an array, got [object Object]');
    try {
      resolveOptions(raw({ bugs: Array.from({ length: 100 }, (_, i) => i) }));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(160);
      expect((error as Error).message).toMatch(/^bugs must be an array of bug-flag names, got \[0,1,2,.*\.\.\.$/);
    }
  });
});
