/**
 * The liveness phase (`settleUs`): at `timeUs - settleUs` a `settle` event is
 * recorded, the partition in effect heals and every crashed node restarts;
 * after it the random fault plan does nothing, while the network keeps its
 * loss. Everything before it is the run without a liveness phase, and a run
 * with one replays identically.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, eventually, MemorySink, ms, Simulation, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { expectInputError } from '../support/expect-input-error.ts';

type Msg = { hop: number };

/** Three peers, each sending to a random other peer every 5 ms. */
const peer = defineNode<{ sent: number }, Msg, 'tick'>({
  start(ctx) {
    ctx.setTimer(ms(5), 'tick');
    return { sent: 0 };
  },
  onTimer(state, _timer, ctx) {
    state.sent++;
    ctx.send(ctx.random.pick(ctx.peers), { hop: state.sent });
    ctx.setTimer(ms(5), 'tick');
  },
});

const model = defineModel<Msg, 'tick'>({
  name: 'chatter',
  description: 'three peers chatting',
  roles: { peer: { count: 3, node: peer } },
  properties: [eventually('every peer is up', (view) => view.nodes.every((n) => n.up))],
});

const TIME_US = ms(1_000);
const SETTLE_US = ms(300);
const SETTLE_AT_US = TIME_US - SETTLE_US;
/** Frequent faults, so a partition or a crash is often in effect when the liveness phase begins. */
const STORMY: SimOptionsInput = {
  timeUs: TIME_US,
  network: { lossRate: 0.1 },
  faults: {
    crash: { meanIntervalUs: ms(40), downtime: { minUs: ms(100), maxUs: ms(400) }, maxDown: 2 },
    partition: { meanIntervalUs: ms(40), duration: { minUs: ms(100), maxUs: ms(400) } },
  },
};
const FAULT_KINDS = new Set(['crash', 'restart', 'partition', 'heal']);

function record(options: SimOptionsInput) {
  const sink = new MemorySink();
  const sim = new Simulation(model, options, { sinks: [sink] });
  const result = sim.run();
  return { sim, result, sink, events: sink.events };
}

/** Nodes down and whether a partition is in effect after `events` (crash/restart/partition/heal only). */
function faultStateAfter(events: readonly TraceEvent[]): { down: string[]; partitioned: boolean } {
  const down = new Set<string>();
  let partitioned = false;
  for (const e of events) {
    if (e.kind === 'crash') down.add(e.node);
    else if (e.kind === 'restart') down.delete(e.node);
    else if (e.kind === 'partition') partitioned = true;
    else if (e.kind === 'heal') partitioned = false;
  }
  return { down: [...down].sort(), partitioned };
}

describe('the liveness phase', () => {
  const seeds = Array.from({ length: 12 }, (_, i) => i);
  const runs = seeds.map((seed) => ({ seed, ...record({ ...STORMY, seed, settleUs: SETTLE_US }) }));

  it.each(seeds)('seed %i: heals, restarts whatever is down, then no random fault happens', (seed) => {
    const { events, sim, result } = runs[seed] as (typeof runs)[number];
    const settles = events.filter((e) => e.kind === 'settle');
    expect(settles).toHaveLength(1);
    const settle = settles[0] as TraceEvent;
    expect(settle.timeUs).toBe(SETTLE_AT_US);
    const before = faultStateAfter(events.slice(0, settle.n - 1));
    // Faults happened before the phase began.
    expect(events.slice(0, settle.n - 1).some((e) => e.kind === 'crash')).toBe(true);

    // Right after `settle`: a heal if a partition was in effect, then a restart of each down node, at the same time.
    const after = events.slice(settle.n);
    const faultEvents = after.filter((e) => FAULT_KINDS.has(e.kind));
    const expected = [...(before.partitioned ? ['heal'] : []), ...before.down.map(() => 'restart')];
    expect(faultEvents.map((e) => e.kind)).toEqual(expected);
    expect(faultEvents.every((e) => e.timeUs === SETTLE_AT_US)).toBe(true);
    expect(faultEvents.flatMap((e) => (e.kind === 'restart' ? [e.node] : []))).toEqual(before.down);
    expect(after.some((e) => e.kind === 'drop' && e.reason !== 'loss')).toBe(false);

    for (const id of sim.nodeIds) expect(sim.isUp(id)).toBe(true);
    expect(result.outcome).toBe('pass');
  });

  it('over these seeds, the phase both healed a partition and restarted a node', () => {
    const healed = runs.filter(({ events }) => events.some((e, i) => e.kind === 'heal' && events[i - 1]?.kind === 'settle'));
    const restarted = runs.filter(({ events }) => {
      const at = events.findIndex((e) => e.kind === 'settle');
      return events.slice(at + 1).some((e) => e.kind === 'restart');
    });
    expect(healed.length).toBeGreaterThan(0);
    expect(restarted.length).toBeGreaterThan(0);
  });

  it('keeps the network conditions: messages are still lost after it begins', () => {
    for (const { events } of runs) {
      const at = events.findIndex((e) => e.kind === 'settle');
      expect(events.slice(at).filter((e) => e.kind === 'drop' && e.reason === 'loss').length).toBeGreaterThan(0);
    }
  });

  it('leaves everything before it as it was: the trace up to `settle` is the run without a liveness phase', () => {
    for (const { seed, sink } of runs.slice(0, 4)) {
      const plain = record({ ...STORMY, seed });
      const at = sink.events.findIndex((e) => e.kind === 'settle');
      // Line 0 is the header (which differs by settleUs); event lines follow.
      expect(sink.lines.slice(1, at + 1)).toEqual(plain.sink.lines.slice(1, at + 1));
      expect(plain.events.slice(at).some((e) => e.kind === 'crash' || e.kind === 'partition')).toBe(true);
    }
  });

  it('without it, the eventually property fails for some of these seeds (a node is down at the end)', () => {
    const failing = seeds.filter((seed) => record({ ...STORMY, seed }).result.failure?.kind === 'liveness');
    expect(failing.length).toBeGreaterThan(0);
  });

  it('is recorded in the header and replays identically', () => {
    const { sink, result } = runs[0] as (typeof runs)[number];
    const parsed = parseTrace(sink.text(), 'memory');
    expect(parsed.header.options.settleUs).toBe(SETTLE_US);
    const again = new MemorySink();
    const replay = replayTrace(parsed, model, [again]);
    expect(replay.divergence).toBeNull();
    expect(again.lines.slice(1)).toEqual(parsed.eventLines);
    expect(replay.result.traceHash).toBe(result.traceHash);
  });

  it('restarts a node a test crashed, and that trace replays too', () => {
    const sink = new MemorySink();
    const sim = new Simulation(model, { seed: 3, timeUs: ms(100), settleUs: ms(50) }, { sinks: [sink] });
    sim.at(ms(20), (c) => c.crash('peer1'));
    sim.at(ms(30), (c) => c.partition([['peer0']]));
    const result = sim.run();
    expect(result.outcome).toBe('pass');
    const at = sink.events.findIndex((e) => e.kind === 'settle');
    expect(sink.events.slice(at, at + 3).map((e) => [e.kind, e.timeUs, 'node' in e ? e.node : null])).toEqual([
      ['settle', ms(50), null],
      ['heal', ms(50), null],
      ['restart', ms(50), 'peer1'],
    ]);
    expect(replayTrace(parseTrace(sink.text(), 'memory'), model).divergence).toBeNull();
  });

  it('as long as the whole budget: starts right after the nodes, and no fault ever happens', () => {
    const { events, result } = record({ ...STORMY, seed: 1, settleUs: TIME_US });
    expect(events.slice(0, 7).map((e) => e.kind)).toEqual(['start', 'timer-set', 'start', 'timer-set', 'start', 'timer-set', 'settle']);
    expect(events.some((e) => FAULT_KINDS.has(e.kind))).toBe(false);
    expect(result.stats.crashes + result.stats.partitions).toBe(0);
  });

  it('0 (the default) records no settle event', () => {
    expect(record({ ...STORMY, seed: 1 }).events.some((e) => e.kind === 'settle')).toBe(false);
  });
});

describe('settleUs validation', () => {
  it('longer than the time budget: an InputError naming the option and the flags', () => {
    expectInputError(
      () => new Simulation(model, { timeUs: ms(2_000), settleUs: ms(3_000) }),
      'settleUs (--settle) is 3s, longer than the time budget timeUs (--time) of 2s',
    );
  });

  it('negative or fractional: an InputError naming settleUs', () => {
    expectInputError(() => new Simulation(model, { settleUs: -1 }), 'settleUs must be a non-negative integer, got -1');
    expectInputError(() => new Simulation(model, { settleUs: 1.5 }), 'settleUs must be a non-negative integer, got 1.5');
  });

  it('an unknown sometimesScope is refused', () => {
    expectInputError(() => new Simulation(model, { sometimesScope: 'fleet' as never }), 'sometimesScope must be one of run, campaign, got "fleet"');
  });
});
