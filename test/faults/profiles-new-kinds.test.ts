/**
 * The profiles of the issue-3 faults (disk, clocks, hostile; partitions with
 * shapes; chaos with every kind) on tiny models: each switches on only its
 * own kinds, a kind the swarm left off never shows up, every kind it lists
 * shows up on some seed, and the liveness phase stops each of them.
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation, ms, scenario, sec, type ModelDefinition, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { PROFILES } from '../../src/faults/profiles.ts';
import diskLog from '../fixtures/disk-log-model.ts';
import { chatter } from './chatter-model.ts';

/** The fault kinds a trace shows (reorder and latency leave no event of their own). */
function kindsSeen(events: readonly TraceEvent[]): Set<string> {
  const seen = new Set<string>();
  for (const e of events) {
    if ('by' in e) continue;
    if (e.kind === 'drop' && e.reason === 'loss') seen.add('loss');
    else if (e.kind === 'duplicate') seen.add('duplicate');
    else if (e.kind === 'crash') {
      seen.add('crash');
      if ('survivedWrites' in e) seen.add('torn-writes');
    } else if (e.kind === 'partition') {
      seen.add('partition');
      if ('shape' in e) seen.add('partition-shapes');
    } else if (e.kind === 'clog' || e.kind === 'corrupt' || e.kind === 'adversary' || e.kind === 'pause' || e.kind === 'clock-jump') seen.add(e.kind);
    else if (e.kind === 'clock-skew') seen.add('clock');
    else if (e.kind === 'disk-fault' && e.fault === 'corrupt-read') seen.add('disk-corrupt');
  }
  return seen;
}

/** Kinds that happen at a moment (not conditions such as skew): none of them may happen once the liveness phase began. */
const STOPPED_BY_SETTLE = new Set(['crash', 'partition', 'clog', 'corrupt', 'adversary', 'pause', 'clock-jump']);

function runs(model: ModelDefinition, profile: string, seeds: number, extra: SimOptionsInput = {}) {
  return Array.from({ length: seeds }, (_, seed) => {
    const sink = new MemorySink();
    const sim = new Simulation(model, { ...extra, seed, profile }, { sinks: [sink] });
    const result = sim.run();
    return { seed, sim, result, events: sink.events, seen: kindsSeen(sink.events), on: new Set(result.plan?.swarmOn ?? []) };
  });
}

const kindsOf = (profile: string): string[] => PROFILES.find((p) => p.name === profile)?.entries.map((e) => e.kind) ?? [];

/** Every run shows only kinds its swarm switched on, and across the runs every kind of `expected` shows up. */
function expectOnlyItsKinds(all: ReturnType<typeof runs>, expected: readonly string[]): void {
  const union = new Set<string>();
  for (const run of all) {
    for (const kind of run.seen) {
      expect(run.on.has(kind), `seed ${run.seed}: ${kind} happened while the swarm left it off`).toBe(true);
      union.add(kind);
    }
  }
  expect([...union].sort()).toEqual([...expected].sort());
}

/** After the settle event: no fault that happens at a moment, no disk corruption, and nothing left paused or clogged. */
function expectSettleStopsEverything(run: ReturnType<typeof runs>[number]): void {
  const settle = run.events.find((e) => e.kind === 'settle');
  expect(settle, `seed ${run.seed}`).toBeDefined();
  const after = run.events.filter((e) => e.n > (settle?.n ?? 0));
  const late = after.filter((e) => !('by' in e) && (STOPPED_BY_SETTLE.has(e.kind) || (e.kind === 'disk-fault' && e.fault === 'corrupt-read')));
  expect(late, `seed ${run.seed}`).toEqual([]);
  for (const id of run.sim.nodeIds) expect(run.sim.isPaused(id), `seed ${run.seed} ${id}`).toBe(false);
  // Every clog before the settle was lifted: as many unclogs as clogs.
  expect(run.events.filter((e) => e.kind === 'unclog').length).toBe(run.events.filter((e) => e.kind === 'clog').length);
}

describe('each new profile switches on only its kinds', () => {
  it('lists the kinds it says', () => {
    expect(kindsOf('disk')).toEqual(['crash', 'torn-writes', 'disk-corrupt']);
    expect(kindsOf('clocks')).toEqual(['clock', 'clock-jump', 'pause']);
    expect(kindsOf('hostile')).toEqual(['adversary', 'corrupt']);
    expect(kindsOf('partitions')).toEqual(['partition', 'partition-shapes']);
  });

  it('calm, flaky and crashes show none of the new kinds (chatter and disk-log, seeds 0-9)', () => {
    // disk-log sends no messages, so flaky shows nothing there; crashes tear nothing (all unsynced writes are lost).
    for (const [model, flaky] of [[chatter, ['loss', 'duplicate']], [diskLog as ModelDefinition, []]] as const) {
      expectOnlyItsKinds(runs(model, 'calm', 10), []);
      expectOnlyItsKinds(runs(model, 'flaky', 10), flaky);
      expectOnlyItsKinds(runs(model, 'crashes', 10, { timeUs: sec(2) }), ['crash']);
    }
  });

  it('disk (disk-log, seeds 0-11): crashes on nearly every seed, torn writes and corrupt reads on some, nothing else', () => {
    const all = runs(diskLog as ModelDefinition, 'disk', 12, { timeUs: sec(2) });
    expectOnlyItsKinds(all, ['crash', 'torn-writes', 'disk-corrupt']);
    expect(all.every((run) => run.on.has('crash'))).toBe(true);
    // A seed may draw a mean gap longer than the 1.6 s before the liveness phase.
    expect(all.filter((run) => run.seen.has('crash')).length).toBeGreaterThanOrEqual(9);
    for (const run of all) expectSettleStopsEverything(run);
  });

  it('clocks (chatter, seeds 0-19): skew and drift, jumps and pauses, nothing else', () => {
    const all = runs(chatter, 'clocks', 20);
    expectOnlyItsKinds(all, ['clock', 'clock-jump', 'pause']);
    for (const run of all) expectSettleStopsEverything(run);
    expect(all.every((run) => run.result.outcome === 'pass')).toBe(true);
  });

  it('hostile (chatter, seeds 0-19): the adversary and corruption, on a calm network', () => {
    const all = runs(chatter, 'hostile', 20);
    expectOnlyItsKinds(all, ['adversary', 'corrupt']);
    for (const run of all) expectSettleStopsEverything(run);
  });

  it('partitions (chatter, seeds 0-19): halves on every seed, the other shapes only where partition-shapes is on', () => {
    const all = runs(chatter, 'partitions', 20);
    expectOnlyItsKinds(all, ['partition', 'partition-shapes']);
    for (const run of all) expectSettleStopsEverything(run);
  });

  it('chaos (chatter and disk-log, seeds 0-29): every kind with an event of its own shows up, only where it is on', () => {
    const all = [...runs(chatter, 'chaos', 30), ...runs(diskLog as ModelDefinition, 'chaos', 30, { timeUs: sec(1) })];
    const withEvents = kindsOf('chaos').filter((kind) => kind !== 'reorder' && kind !== 'latency');
    expectOnlyItsKinds(all, withEvents);
    for (const run of all) expectSettleStopsEverything(run);
  });
});

describe('the liveness phase of the new kinds', () => {
  it('a crash inside it loses every unsynced write, even on a seed that tears writes', () => {
    const steps = scenario().at(ms(1_700)).crash('logger0').at(ms(1_750)).restart('logger0');
    const torn = runs(diskLog as ModelDefinition, 'disk', 12, { timeUs: sec(2), scenario: steps }).filter((run) => run.on.has('torn-writes'));
    expect(torn.length).toBeGreaterThan(3);
    for (const run of torn) {
      const crash = run.events.find((e) => e.kind === 'crash' && 'by' in e);
      expect(crash).toMatchObject({ timeUs: ms(1_700), node: 'logger0' });
      expect(crash !== undefined && 'survivedWrites' in crash).toBe(false);
    }
    // And it had something to lose: the loggers sync every third append.
    expect(torn.some((run) => run.events.some((e) => e.kind === 'crash' && 'by' in e && e.lostWrites > 0))).toBe(true);
  });

  it('keeps skew and drift (conditions, like latency): clocks still read off true time after the settle', () => {
    const skewed = runs(chatter, 'clocks', 10).filter((run) => run.on.has('clock'));
    expect(skewed.length).toBeGreaterThan(3);
    for (const run of skewed) {
      const settle = run.events.find((e) => e.kind === 'settle');
      const late = run.events.filter((e) => e.n > (settle?.n ?? 0) && 'clockUs' in e);
      expect(late.some((e) => 'clockUs' in e && e.clockUs !== e.timeUs)).toBe(true);
    }
  });
});
