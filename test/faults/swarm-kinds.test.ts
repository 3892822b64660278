/**
 * The swarm kinds of the issue-3 faults (partition shapes, clogs, corruption,
 * the adversary, pauses, clocks, clock jumps, torn writes, corrupt disk
 * reads): each one's `off` is what the simulator does without it, its
 * settings stay inside the profile's range, refinements are on only with the
 * kind they refine, and adding these kinds to a profile left what every seed
 * chose for the six older kinds as it was.
 */
import { describe, expect, it } from 'vitest';
import { checkProfileEntries, drawSwarm, swarmEntry, swarmStreamName, type SwarmEntry } from '../../src/faults/swarm.ts';
import { PROFILES } from '../../src/faults/profiles.ts';
import {
  SWARM_DIMENSIONS, crashDimension, lossDimension, partitionDimension, partitionShapesDimension, tornWritesDimension,
  type ClockSetting,
} from '../../src/faults/swarm-dimensions.ts';
import { resolvePlan } from '../../src/faults/plan.ts';
import { RandomStream } from '../../src/random/stream.ts';
import { ms, sec } from '../../src/sim/duration.ts';
import { resolveOptions, type SimOptionsInput } from '../../src/sim/options.ts';
import type { AdversaryOptions, ClogFaultOptions, PartitionShape } from '../../src/sim/network-options.ts';
import type { ClockJumpOptions, PauseFaultOptions } from '../../src/sim/node-time-options.ts';
import type { PartitionFaultOptions } from '../../src/sim/options.ts';

const OFF = SWARM_DIMENSIONS.map((d) => d.off);
const entriesOf = (name: string): readonly SwarmEntry[] => {
  const profile = PROFILES.find((p) => p.name === name);
  if (profile === undefined) throw new Error(`no profile ${name}`);
  return profile.entries;
};
const SEEDS = Array.from({ length: 400 }, (_, i) => i);
const OLD_KINDS = ['loss', 'duplicate', 'reorder', 'latency', 'crash', 'partition'];
const NEW_KINDS = ['partition-shapes', 'clog', 'corrupt', 'adversary', 'pause', 'clock', 'clock-jump', 'torn-writes', 'disk-corrupt'];
const within = (value: number, min: number, max: number): boolean => value >= min && value <= max;

describe('the new kinds', () => {
  it('are all known to the swarm, and each one\'s off is exactly what the simulator does without it', () => {
    expect(SWARM_DIMENSIONS.map((d) => d.kind)).toEqual([...OLD_KINDS, ...NEW_KINDS]);
    for (const dimension of SWARM_DIMENSIONS.filter((d) => NEW_KINDS.includes(d.kind))) {
      expect(resolveOptions(dimension.off), dimension.kind).toEqual(resolveOptions());
    }
  });

  it('switch off what a model\'s defaults switch on (every profile starts calm), but not capacities', () => {
    const defaults: SimOptionsInput = {
      network: { corruptRate: 0.1, adversary: { forgeRate: 0.1 }, capacity: { inboxMax: 5 } },
      faults: { clog: {}, pause: {}, partition: { shapes: ['isolate'] } },
      clocks: { jumps: {} },
      disk: { crashLoss: 'torn', readCorruptRate: 0.2, capacityBytes: 10_000 },
    };
    const { options } = resolvePlan(defaults, { seed: 1, profile: 'calm' });
    expect(options.network).toMatchObject({ corruptRate: 0, adversary: null, capacity: { inboxMax: 5, overflow: 'drop' } });
    expect(options.faults).toEqual({ crash: null, partition: null, clog: null, pause: null });
    expect(options.clocks).toBeNull();
    expect(options.disk).toEqual({ crashLoss: 'all', readCorruptRate: 0, capacityBytes: 10_000 });
    // A seed whose swarm switched clocks on and jumps off has no jumps, whatever the model's defaults said.
    const seed = SEEDS.find((s) => {
      const on = drawSwarm(entriesOf('clocks'), s, OFF).on;
      return on.includes('clock') && !on.includes('clock-jump');
    });
    expect(resolvePlan(defaults, { seed, profile: 'clocks' }).options.clocks?.jumps).toBeNull();
  });

  it('draw settings inside their profile ranges', () => {
    for (const name of ['partitions', 'disk', 'clocks', 'hostile', 'chaos']) {
      for (const seed of SEEDS) {
        const { settings } = drawSwarm(entriesOf(name), seed, OFF);
        const shapes = settings['partition-shapes'] as PartitionShape[] | null | undefined;
        if (shapes != null) {
          expect(shapes[0]).toBe('halves');
          expect(shapes.length >= 2 && shapes.length <= 5).toBe(true);
        }
        const clog = settings['clog'] as ClogFaultOptions | null | undefined;
        if (clog != null) {
          expect(within(clog.meanIntervalUs, ms(200), sec(3)) && within(clog.nodes, 1, 3)).toBe(true);
          expect(within(clog.stepUs, ms(5), ms(100)) && within(clog.holdUs, ms(50), sec(1))).toBe(true);
        }
        const corrupt = settings['corrupt'];
        if (typeof corrupt === 'number') expect(within(corrupt, 0.001, 0.05)).toBe(true);
        const adversary = settings['adversary'] as AdversaryOptions | null | undefined;
        if (adversary != null) for (const rate of Object.values(adversary)) expect(within(rate, 0, 0.05)).toBe(true);
        const pause = settings['pause'] as PauseFaultOptions | null | undefined;
        if (pause != null) {
          expect(within(pause.meanIntervalUs, ms(200), sec(3)) && within(pause.duration.maxUs, ms(20), sec(1))).toBe(true);
          expect(within(pause.duration.minUs, 1, pause.duration.maxUs) && within(pause.maxPaused, 1, 2)).toBe(true);
        }
        const clock = settings['clock'] as ClockSetting | null | undefined;
        if (clock != null) {
          expect(within(clock.skewUs.maxUs, ms(1), ms(500)) && clock.skewUs.minUs === -clock.skewUs.maxUs).toBe(true);
          expect(within(clock.driftPpm.max, 10, 10_000) && clock.driftPpm.min === -clock.driftPpm.max).toBe(true);
        }
        const jumps = settings['clock-jump'] as ClockJumpOptions | null | undefined;
        if (jumps != null) {
          expect(within(jumps.meanIntervalUs, ms(500), sec(5)) && within(jumps.sizeUs.maxUs, ms(10), sec(2))).toBe(true);
          expect(jumps.sizeUs.minUs).toBeLessThanOrEqual(jumps.sizeUs.maxUs);
        }
        const diskCorrupt = settings['disk-corrupt'];
        if (typeof diskCorrupt === 'number') expect(within(diskCorrupt, 0.001, 0.05)).toBe(true);
        // Every choice is a valid option set.
        expect(() => resolvePlan({}, { seed, profile: name })).not.toThrow();
      }
    }
  });
});

describe('refinements', () => {
  const chaos = SEEDS.map((seed) => drawSwarm(entriesOf('chaos'), seed, OFF));

  it('are on only on seeds where the kind they refine is on, and then change its options', () => {
    for (const [refinement, base] of [['partition-shapes', 'partition'], ['clock-jump', 'clock'], ['torn-writes', 'crash']]) {
      const on = chaos.filter((r) => r.on.includes(refinement as string));
      expect(on.length, refinement).toBeGreaterThan(20);
      for (const run of on) expect(run.on).toContain(base);
      // Drawn either way: a seed whose base is off still drew a setting (recorded as null: off).
      expect(chaos.some((r) => !r.on.includes(base as string) && r.settings[refinement as string] === null)).toBe(true);
    }
    for (const run of chaos) {
      const partition = run.layer.faults?.partition as PartitionFaultOptions | null;
      if (partition !== null) expect(partition?.shapes).toEqual(run.settings['partition-shapes'] ?? ['halves']);
      if (run.on.includes('clock')) expect(run.layer.clocks?.jumps ?? null).toEqual(run.settings['clock-jump']);
      else expect(run.layer.clocks).toBeNull();
      expect(run.layer.disk?.crashLoss).toBe(run.on.includes('torn-writes') ? 'torn' : 'all');
    }
  });

  it('are never the fallback: with every chance off, a kind that refines nothing is switched on', () => {
    const never = [swarmEntry(crashDimension, 0, { meanIntervalUs: { minUs: sec(1), maxUs: sec(1) }, downtimeMaxUs: { minUs: ms(100), maxUs: ms(100) }, maxDown: { min: 1, max: 1 } }), swarmEntry(tornWritesDimension, 1, null)];
    for (const seed of SEEDS.slice(0, 50)) expect(drawSwarm(never, seed, OFF).on).toEqual(['crash', 'torn-writes']);
  });

  it('must come after the kind they refine, and a kind is listed once (checked when profiles load)', () => {
    const shapes = swarmEntry(partitionShapesDimension, 1, { shapes: ['isolate'] });
    const partition = swarmEntry(partitionDimension, 1, { meanIntervalUs: { minUs: sec(1), maxUs: sec(1) }, durationMaxUs: { minUs: ms(100), maxUs: ms(100) } });
    expect(() => checkProfileEntries('mine', [shapes, partition])).toThrow('profile mine: partition-shapes refines partition, which must be listed before it');
    expect(() => checkProfileEntries('mine', [partition, shapes])).not.toThrow();
    const loss = swarmEntry(lossDimension, 1, { min: 0.1, max: 0.1 });
    expect(() => checkProfileEntries('mine', [loss, loss])).toThrow('kind loss is listed twice');
  });
});

describe('adding the new kinds to chaos and partitions', () => {
  const oldOnly = (entries: readonly SwarmEntry[]) => entries.filter((e) => OLD_KINDS.includes(e.kind));
  const oldChoices = (settings: Record<string, unknown>) => Object.fromEntries(OLD_KINDS.filter((k) => k in settings).map((k) => [k, settings[k]]));
  /** Whether every old kind's own chance draw said off for `seed` (then the fallback picked one, from all the kinds listed). */
  const oldNeededFallback = (entries: readonly SwarmEntry[], seed: number): boolean =>
    oldOnly(entries).every((e) => !new RandomStream(seed, swarmStreamName(e.kind)).chance(e.chance));

  it.each(['chaos', 'partitions'])('%s: seeds 0-49 choose exactly what the profile without the new kinds chose for the old ones', (name) => {
    const entries = entriesOf(name);
    expect(entries.some((e) => NEW_KINDS.includes(e.kind))).toBe(true);
    for (let seed = 0; seed < 50; seed++) {
      const before = drawSwarm(oldOnly(entries), seed, OFF);
      const after = drawSwarm(entries, seed, OFF);
      expect(oldChoices(after.settings), `seed ${seed}`).toEqual(oldChoices(before.settings));
      expect(after.on.filter((k) => OLD_KINDS.includes(k))).toEqual(before.on);
      for (const key of ['lossRate', 'duplicateRate', 'reorder', 'latency'] as const) expect(after.layer.network?.[key]).toEqual(before.layer.network?.[key]);
      expect(after.layer.faults?.crash).toEqual(before.layer.faults?.crash);
    }
  });

  it('chaos: over seeds 0-999 the old kinds differ only on seeds where all six chance draws said off (the fallback)', () => {
    const entries = entriesOf('chaos');
    const differing = Array.from({ length: 1000 }, (_, seed) => seed).filter(
      (seed) => JSON.stringify(oldChoices(drawSwarm(entries, seed, OFF).settings)) !== JSON.stringify(oldChoices(drawSwarm(oldOnly(entries), seed, OFF).settings)),
    );
    // About 1 seed in 64 (0.5^6) needs the fallback; among those, the new kinds are usually on, so no fallback is needed any more.
    expect(differing.length).toBeGreaterThan(5);
    expect(differing.length).toBeLessThan(30);
    for (const seed of differing) expect(oldNeededFallback(entries, seed), `seed ${seed}`).toBe(true);
  });
});
