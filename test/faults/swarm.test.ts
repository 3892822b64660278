/**
 * The swarm: per seed, which kinds of a profile are on and how hard. Same
 * seed, same choices; other seeds, other choices; each kind on about as often
 * as its chance says, with a setting inside its range; one kind's draws never
 * depend on which other kinds a profile lists.
 */
import { describe, expect, it } from 'vitest';
import { drawSwarm, swarmEntry, type SwarmEntry } from '../../src/faults/swarm.ts';
import { PROFILES } from '../../src/faults/profiles.ts';
import {
  SWARM_DIMENSIONS,
  crashDimension,
  drawDurationUs,
  lossDimension,
  partitionDimension,
} from '../../src/faults/swarm-dimensions.ts';
import { mergeOptionLayers } from '../../src/faults/option-layers.ts';
import { RandomStream } from '../../src/random/stream.ts';
import { ms, sec } from '../../src/sim/duration.ts';
import type { CrashFaultOptions, LatencyOptions, PartitionFaultOptions } from '../../src/sim/options.ts';

const OFF = SWARM_DIMENSIONS.map((d) => d.off);
const entriesOf = (name: string): readonly SwarmEntry[] => {
  const profile = PROFILES.find((p) => p.name === name);
  if (profile === undefined) throw new Error(`no profile ${name}`);
  return profile.entries;
};
const SEEDS = Array.from({ length: 400 }, (_, i) => i);

describe('drawSwarm', () => {
  it('gives the same choices for the same seed, every time', () => {
    for (const seed of [0, 1, 7, 123_456]) {
      expect(drawSwarm(entriesOf('chaos'), seed, OFF)).toEqual(drawSwarm(entriesOf('chaos'), seed, OFF));
    }
  });

  it('gives different choices across seeds: of 400 chaos seeds, many distinct on-sets and settings', () => {
    const runs = SEEDS.map((seed) => drawSwarm(entriesOf('chaos'), seed, OFF));
    const onSets = new Set(runs.map((r) => r.on.join('+')));
    // 63 non-empty subsets of 6 kinds exist; 400 seeds at chance 0.5 should hit most of them.
    expect(onSets.size).toBeGreaterThanOrEqual(50);
    const settings = new Set(runs.map((r) => JSON.stringify(r.settings)));
    // Seeds that switched on only `reorder` (a setting of plain true) choose alike; nearly all others differ.
    const reorderOnly = runs.filter((r) => r.on.join() === 'reorder').length;
    expect(settings.size).toBeGreaterThanOrEqual(400 - reorderOnly);
    expect(settings.size).toBeGreaterThan(380);
  });

  it('switches each chaos kind on about as often as its chance says (a refinement: times its kind\'s), and never none', () => {
    const runs = SEEDS.map((seed) => drawSwarm(entriesOf('chaos'), seed, OFF));
    const chanceOf = (kind: string): number => entriesOf('chaos').find((e) => e.kind === kind)?.chance ?? 0;
    for (const entry of entriesOf('chaos')) {
      const share = runs.filter((r) => r.on.includes(entry.kind)).length / runs.length;
      const expected = entry.chance * (entry.refines === undefined ? 1 : chanceOf(entry.refines));
      // Binomial(400, p): sd at most 2.5%; the fallback adds about 1/1000 to one kind. Bounds at ~4 sd.
      expect(Math.abs(share - expected), entry.kind).toBeLessThan(0.1);
    }
    expect(runs.every((r) => r.on.length >= 1)).toBe(true);
  });

  it('switches one kind on (from the stream "swarm") when every chance draw said off', () => {
    const never = [swarmEntry(lossDimension, 0, { min: 0.1, max: 0.1 }), swarmEntry(partitionDimension, 0, { meanIntervalUs: { minUs: sec(1), maxUs: sec(1) }, durationMaxUs: { minUs: ms(100), maxUs: ms(100) } })];
    const picked = SEEDS.slice(0, 100).map((seed) => drawSwarm(never, seed, OFF).on);
    for (const on of picked) expect(on).toHaveLength(1);
    // Both kinds get picked across seeds.
    expect(new Set(picked.map((on) => on[0])).size).toBe(2);
  });

  it('keeps each setting inside its profile range', () => {
    for (const seed of SEEDS) {
      const { settings } = drawSwarm(entriesOf('chaos'), seed, OFF);
      const loss = settings['loss'];
      if (typeof loss === 'number') expect(loss >= 0.01 && loss <= 0.2).toBe(true);
      const dup = settings['duplicate'];
      if (typeof dup === 'number') expect(dup >= 0.01 && dup <= 0.1).toBe(true);
      const latency = settings['latency'] as LatencyOptions | null;
      if (latency !== null) {
        expect(latency.minUs).toBe(ms(1));
        expect(latency.maxUs >= ms(5) && latency.maxUs <= ms(200)).toBe(true);
      }
      const crash = settings['crash'] as CrashFaultOptions | null;
      if (crash !== null) {
        expect(crash.meanIntervalUs >= ms(100) && crash.meanIntervalUs <= sec(2)).toBe(true);
        expect(crash.downtime.maxUs >= ms(50) && crash.downtime.maxUs <= sec(1)).toBe(true);
        expect(crash.downtime.minUs).toBeLessThanOrEqual(crash.downtime.maxUs);
        expect([1, 2]).toContain(crash.maxDown);
      }
      const partition = settings['partition'] as PartitionFaultOptions | null;
      if (partition !== null) {
        expect(partition.meanIntervalUs >= ms(100) && partition.meanIntervalUs <= sec(2)).toBe(true);
        expect(partition.duration.maxUs >= ms(100) && partition.duration.maxUs <= ms(1_500)).toBe(true);
        expect(partition.shapes).toEqual(['halves']);
      }
    }
  });

  it('draws a kind from its own stream: listing other kinds (or not) never changes its setting', () => {
    const crashRange = { meanIntervalUs: { minUs: ms(100), maxUs: sec(2) }, downtimeMaxUs: { minUs: ms(50), maxUs: sec(1) }, maxDown: { min: 1, max: 2 } };
    const alone = [swarmEntry(crashDimension, 0.5, crashRange)];
    const withLoss = [swarmEntry(lossDimension, 0.5, { min: 0.01, max: 0.2 }), swarmEntry(crashDimension, 0.5, crashRange)];
    let compared = 0;
    for (const seed of SEEDS.slice(0, 100)) {
      const a = drawSwarm(alone, seed, OFF);
      const b = drawSwarm(withLoss, seed, OFF);
      // The fallback may switch the lone kind on; where neither used it, the draws agree exactly.
      if (a.on.includes('crash') === b.on.includes('crash')) {
        expect(a.settings['crash']).toEqual(b.settings['crash']);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(60);
  });

  it('builds a layer that switches every known kind off before switching the chosen ones on', () => {
    const { layer, on } = drawSwarm([], 5, OFF);
    expect(on).toEqual([]);
    expect(layer).toEqual({
      network: {
        lossRate: 0, duplicateRate: 0, reorder: false, latency: { minUs: ms(1), maxUs: ms(2), distribution: 'uniform' }, corruptRate: 0, adversary: null,
      },
      faults: { crash: null, partition: null, clog: null, pause: null },
      clocks: null,
      disk: { crashLoss: 'all', readCorruptRate: 0 },
    });
    const crashes = drawSwarm(entriesOf('crashes'), 5, OFF);
    expect(crashes.on).toEqual(['crash']);
    expect(crashes.layer.faults?.crash).toEqual(crashes.settings['crash']);
    expect(crashes.layer.faults?.partition).toBeNull();
  });
});

describe('drawDurationUs', () => {
  it('is log-uniform: as many draws below the geometric middle of 10ms..1s as above it, in whole ms', () => {
    const random = new RandomStream(1, 'test');
    const draws = Array.from({ length: 4000 }, () => drawDurationUs(random, { minUs: ms(10), maxUs: sec(1) }));
    expect(draws.every((d) => d >= ms(10) && d <= sec(1) && d % 1000 === 0)).toBe(true);
    const below = draws.filter((d) => d < ms(100)).length / draws.length;
    expect(below).toBeGreaterThan(0.46);
    expect(below).toBeLessThan(0.54);
  });
});

describe('mergeOptionLayers', () => {
  it('merges plain objects key by key; null, numbers and arrays replace', () => {
    expect(
      mergeOptionLayers([
        { network: { lossRate: 0, latency: { minUs: 1, maxUs: 2 } }, faults: { crash: null } },
        { network: { latency: { maxUs: 9 }, links: [] }, faults: { crash: { maxDown: 2 } } },
        { faults: { crash: null }, seed: undefined },
      ]),
    ).toEqual({ network: { lossRate: 0, latency: { minUs: 1, maxUs: 9 }, links: [] }, faults: { crash: null } });
  });
});
