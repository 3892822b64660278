import { describe, expect, it } from 'vitest';
import { defineModel, defineNode } from '../../src/index.ts';
import { Simulation, type SimControl } from '../../src/sim/simulation.ts';
import { MemorySink } from '../../src/trace/sink.ts';
import { InputError } from '../../src/sim/errors.ts';
import type { SimOptionsInput, LatencyDistribution } from '../../src/sim/options.ts';
import type { TraceEvent } from '../../src/trace/events.ts';
import type { RunResult } from '../../src/sim/result.ts';

// ---- a tiny model: senders a0, a1, ... send numbered messages to b0 --------

type Msg = { i: number } | { ack: number };
type Timer = 'send';

interface Traffic {
  /** Number of sender nodes (a0, a1, ...). */
  senders: number;
  /** Messages each sender sends, numbered 1..count. */
  count: number;
  /** 0: all at start; otherwise message k is sent at k * intervalUs. */
  intervalUs: number;
  /** Whether b0 answers every message it receives with an ack. */
  echo?: boolean;
}

function trafficModel(plan: Traffic) {
  // States are plain numbers (messages sent, messages received): no immer draft per event keeps the runs fast.
  const sender = defineNode<number, Msg, Timer>({
    start(ctx) {
      if (plan.intervalUs === 0) {
        for (let i = 1; i <= plan.count; i++) ctx.send('b0', { i });
        return plan.count;
      }
      ctx.setTimer(plan.intervalUs, 'send');
      return 0;
    },
    onTimer(sent, _timer, ctx) {
      ctx.send('b0', { i: sent + 1 });
      if (sent + 1 < plan.count) ctx.setTimer(plan.intervalUs, 'send');
      return sent + 1;
    },
  });
  const receiver = defineNode<number, Msg, Timer>({
    start: () => 0,
    onMessage(received, from, msg, ctx) {
      if (!('i' in msg)) return;
      if (plan.echo === true) ctx.send(from, { ack: msg.i });
      return received + 1;
    },
  });
  return defineModel<Msg, Timer>({
    name: 'traffic',
    description: 'senders send numbered messages to one receiver',
    roles: { a: { count: plan.senders, node: sender }, b: { count: 1, node: receiver } },
  });
}

/** What happened to one message (duplicates are folded into their original). */
interface Fate {
  id: number;
  from: string;
  to: string;
  /** The payload's number (i for messages, ack for acks). */
  number: number;
  sentUs: number;
  /** Planned arrival of the original; null when dropped at send. */
  deliverAtUs: number | null;
  /** Delivery times, original and copies. */
  deliveredUs: number[];
  drops: { reason: string; timeUs: number }[];
  copies: number;
}

interface Run {
  result: RunResult;
  events: TraceEvent[];
  fates: Fate[];
  /** Deliveries in trace order, per directed link "from>to": the payload numbers. */
  deliveryOrder: Map<string, number[]>;
}

function payloadNumber(payload: unknown): number {
  const p = payload as { i?: number; ack?: number };
  return p.i ?? p.ack ?? -1;
}

function simulate(plan: Traffic, options: SimOptionsInput, script?: (sim: Simulation) => void): Run {
  const sink = new MemorySink();
  const sim = new Simulation(trafficModel(plan), options, { sinks: [sink] });
  script?.(sim);
  const result = sim.run();
  const byId = new Map<number, Fate>();
  const deliveryOrder = new Map<string, number[]>();
  for (const e of sink.events) {
    if (e.kind === 'send') {
      byId.set(e.msg, {
        id: e.msg, from: e.from, to: e.to, number: payloadNumber(e.payload), sentUs: e.timeUs,
        deliverAtUs: e.deliverAtUs, deliveredUs: [], drops: [], copies: 0,
      });
    } else if (e.kind === 'duplicate') {
      const original = byId.get(e.copyOf) as Fate;
      original.copies++;
      byId.set(e.msg, original);
    } else if (e.kind === 'deliver') {
      const fate = byId.get(e.msg) as Fate;
      fate.deliveredUs.push(e.timeUs);
      const link = `${e.from}>${e.to}`;
      const order = deliveryOrder.get(link) ?? [];
      order.push(payloadNumber(e.payload));
      deliveryOrder.set(link, order);
    } else if (e.kind === 'drop') {
      (byId.get(e.msg) as Fate).drops.push({ reason: e.reason, timeUs: e.timeUs });
    }
  }
  const fates = [...new Set(byId.values())].sort((a, b) => a.id - b.id);
  return { result, events: sink.events, fates, deliveryOrder };
}

/** A run without a trace sink: only the counts, for large samples. */
function statsOnly(plan: Traffic, options: SimOptionsInput): RunResult {
  return new Simulation(trafficModel(plan), options).run();
}

/** Large samples for the rate tests: 40 seeds x 2000 messages = 80,000 messages. */
const BIG_SEEDS = Array.from({ length: 40 }, (_, i) => 1_000 + i);
const BIG_BURST: Traffic = { senders: 1, count: 2_000, intervalUs: 0 };
const BIG_TOTAL = BIG_SEEDS.length * BIG_BURST.count;

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
/** 20 seeds x 500 messages = 10,000 messages per latency test. */
const PER_SEED = 500;
const TOTAL = SEEDS.length * PER_SEED;
const BURST: Traffic = { senders: 1, count: PER_SEED, intervalUs: 0 };
/** Fewer seeds where every event of the trace is inspected. */
const TRACE_SEEDS = SEEDS.slice(0, 5);
const TRACE_TOTAL = TRACE_SEEDS.length * PER_SEED;
const FIFO_SEEDS = SEEDS.slice(0, 10);

/** Binomial(n, p) mean ± 5 sd. */
function binomialBounds(n: number, p: number): [number, number] {
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  return [mean - 5 * sd, mean + 5 * sd];
}

function expectWithin(value: number, [low, high]: [number, number]): void {
  expect(value).toBeGreaterThanOrEqual(low);
  expect(value).toBeLessThanOrEqual(high);
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** True if some later-sent message on the link was delivered before an earlier-sent one. */
const hasInversion = (order: number[]): boolean => order.some((n, k) => k > 0 && n < (order[k - 1] as number));

// ---- loss ---------------------------------------------------------------------

describe('loss', () => {
  it('drops lossRate of the messages over a large sample', () => {
    const lossRate = 0.1;
    let dropped = 0;
    for (const seed of BIG_SEEDS) dropped += statsOnly(BIG_BURST, { seed, network: { lossRate } }).stats.dropped;
    // Binomial(80000, 0.1): mean 8000, sd 84.9, 5 sd -> [7576, 8424] (a 5.3% bias would be caught).
    expectWithin(dropped, binomialBounds(BIG_TOTAL, lossRate));
  });

  it('drops about lossRate of the messages, each with reason loss at send time', () => {
    const lossRate = 0.1;
    let dropped = 0;
    let delivered = 0;
    for (const seed of TRACE_SEEDS) {
      const run = simulate(BURST, { seed, network: { lossRate } });
      const lossDrops = run.events.filter((e) => e.kind === 'drop' && e.reason === 'loss').length;
      expect(run.events.filter((e) => e.kind === 'drop').length).toBe(lossDrops);
      expect(run.result.stats.dropped).toBe(lossDrops);
      expect(run.result.stats.sent).toBe(PER_SEED);
      expect(run.result.stats.delivered + run.result.stats.dropped).toBe(PER_SEED);
      // A lost message is dropped at send time and never scheduled.
      const odd = run.fates.filter(
        (f) => f.drops.length > 0 && !(f.deliverAtUs === null && f.deliveredUs.length === 0 && f.drops.length === 1 && f.drops[0]?.reason === 'loss' && f.drops[0].timeUs === f.sentUs),
      );
      expect(odd).toEqual([]);
      dropped += lossDrops;
      delivered += run.result.stats.delivered;
    }
    // Binomial(2500, 0.1): mean 250, sd 15, 5 sd -> [175, 325].
    expectWithin(dropped, binomialBounds(TRACE_TOTAL, lossRate));
    expect(delivered).toBe(TRACE_TOTAL - dropped);
  });

  it('lossRate 1 drops everything, lossRate 0 drops nothing (with duplication on)', () => {
    for (const seed of TRACE_SEEDS) {
      const all = statsOnly(BURST, { seed, network: { lossRate: 1, duplicateRate: 0.5 } }).stats;
      expect(all.dropped).toBe(PER_SEED);
      expect(all.delivered).toBe(0);
      expect(all.duplicated).toBe(0);
    }
    let duplicated = 0;
    for (const seed of SEEDS) {
      const stats = statsOnly(BURST, { seed, network: { lossRate: 0, duplicateRate: 0.3 } }).stats;
      expect(stats.dropped).toBe(0);
      expect(stats.delivered).toBe(PER_SEED + stats.duplicated);
      duplicated += stats.duplicated;
    }
    expect(duplicated).toBeGreaterThan(0); // the other behaviour was really on
    const traced = simulate(BURST, { seed: 1, network: { lossRate: 0, duplicateRate: 0.3 } });
    expect(traced.events.some((e) => e.kind === 'drop')).toBe(false);
  });
});

// ---- duplication ----------------------------------------------------------------

describe('duplication', () => {
  it('duplicates duplicateRate of the messages over a large sample', () => {
    const duplicateRate = 0.2;
    let duplicated = 0;
    let extra = 0;
    for (const seed of BIG_SEEDS) {
      const stats = statsOnly(BIG_BURST, { seed, network: { duplicateRate } }).stats;
      duplicated += stats.duplicated;
      extra += stats.delivered - BIG_BURST.count;
    }
    // Binomial(80000, 0.2): mean 16000, sd 113.1, 5 sd -> [15434, 16566] (a 3.5% bias would be caught).
    expectWithin(duplicated, binomialBounds(BIG_TOTAL, duplicateRate));
    expect(extra).toBe(duplicated);
  });

  it('duplicates about duplicateRate of the messages and delivers every copy', () => {
    const duplicateRate = 0.2;
    let duplicated = 0;
    for (const seed of TRACE_SEEDS) {
      const run = simulate(BURST, { seed, network: { duplicateRate } });
      const stats = run.result.stats;
      expect(run.events.filter((e) => e.kind === 'duplicate').length).toBe(stats.duplicated);
      expect(stats.delivered).toBe(PER_SEED + stats.duplicated);
      expect(stats.dropped).toBe(0);
      expect(run.fates).toHaveLength(PER_SEED);
      // At most one copy per message, and the original and its copy are both delivered.
      expect(run.fates.filter((f) => f.copies > 1 || f.deliveredUs.length !== 1 + f.copies)).toEqual([]);
      duplicated += stats.duplicated;
    }
    // Binomial(2500, 0.2): mean 500, sd 20, 5 sd -> [400, 600].
    expectWithin(duplicated, binomialBounds(TRACE_TOTAL, duplicateRate));
  });

  it('only messages that are not lost can be duplicated', () => {
    for (const seed of TRACE_SEEDS) {
      const run = simulate(BURST, { seed, network: { lossRate: 0.1, duplicateRate: 0.2 } });
      expect(run.result.stats.dropped).toBeGreaterThan(0);
      expect(run.fates.filter((f) => f.drops.length > 0 && f.copies > 0)).toEqual([]);
    }
    let duplicated = 0;
    for (const seed of BIG_SEEDS) duplicated += statsOnly(BIG_BURST, { seed, network: { lossRate: 0.1, duplicateRate: 0.2 } }).stats.duplicated;
    // P(duplicate) = 0.9 * 0.2 = 0.18. Binomial(80000, 0.18): mean 14400, sd 108.7, 5 sd -> [13857, 14943].
    expectWithin(duplicated, binomialBounds(BIG_TOTAL, 0.9 * 0.2));
  });

  it('duplicateRate 0 never duplicates (with loss on)', () => {
    let dropped = 0;
    for (const seed of SEEDS) {
      const stats = statsOnly(BURST, { seed, network: { lossRate: 0.3, duplicateRate: 0 } }).stats;
      expect(stats.duplicated).toBe(0);
      expect(stats.delivered + stats.dropped).toBe(PER_SEED);
      dropped += stats.dropped;
    }
    expect(dropped).toBeGreaterThan(0); // the other behaviour was really on
    const traced = simulate(BURST, { seed: 1, network: { lossRate: 0.3, duplicateRate: 0 } });
    expect(traced.events.some((e) => e.kind === 'duplicate')).toBe(false);
  });

  it('the receiver handles each copy', () => {
    const sink = new MemorySink();
    const sim = new Simulation(trafficModel(BURST), { seed: 3, network: { duplicateRate: 0.5 } }, { sinks: [sink] });
    const result = sim.run();
    expect(result.stats.duplicated).toBeGreaterThan(0);
    expect(sim.stateOf<number>('b0')).toBe(PER_SEED + result.stats.duplicated);
  });
});

// ---- latency --------------------------------------------------------------------

describe('latency', () => {
  const MIN_US = 1_000;
  const MAX_US = 11_000;
  const SPAN_US = MAX_US - MIN_US;

  function latencies(distribution: LatencyDistribution): number[] {
    const out: number[] = [];
    for (const seed of SEEDS) {
      const run = simulate(BURST, { seed, network: { latency: { minUs: MIN_US, maxUs: MAX_US, distribution } } });
      // Each message delivered once, at the time its send event announced.
      expect(run.fates.filter((f) => f.deliveredUs.length !== 1 || f.deliveredUs[0] !== f.deliverAtUs)).toEqual([]);
      for (const fate of run.fates) out.push((fate.deliveredUs[0] as number) - fate.sentUs);
    }
    expect(out).toHaveLength(TOTAL);
    return out;
  }

  function expectIntegersInRange(values: number[]): void {
    const outside = values.filter((v) => !Number.isInteger(v) || v < MIN_US || v > MAX_US);
    expect(outside).toEqual([]);
  }

  const fraction = (values: number[], test: (v: number) => boolean): number => values.filter(test).length / values.length;

  it('uniform: within [min, max], mean about the midpoint, flat', () => {
    const values = latencies('uniform');
    expectIntegersInRange(values);
    // Uniform on 10001 integers: sd 2887; mean of 10000 has sd 28.9; 5 sd = 144 around 6000.
    expect(Math.abs(mean(values) - (MIN_US + MAX_US) / 2)).toBeLessThan(144);
    // A quarter below min + span/4: Binomial(10000, 0.25) / 10000 has sd 0.00433; 5 sd = 0.0217.
    expect(Math.abs(fraction(values, (v) => v < MIN_US + SPAN_US / 4) - 0.25)).toBeLessThan(0.0217);
  });

  it('exponential: within [min, max], mean about min + (max-min)/4 less the capped tail, most messages fast', () => {
    const values = latencies('exponential');
    expectIntegersInRange(values);
    const thetaUs = SPAN_US / 4; // 2500
    // E[min(X, span)] for X ~ Exp(mean theta) is theta * (1 - e^(-span/theta)) = 2500 * (1 - e^-4) = 2454.2.
    const expectedMean = MIN_US + thetaUs * (1 - Math.exp(-SPAN_US / thetaUs));
    // sd of the capped value < 2500; mean of 10000 has sd < 25; 5 sd = 125.
    expect(Math.abs(mean(values) - expectedMean)).toBeLessThan(125);
    expect(mean(values)).toBeLessThan(MIN_US + thetaUs + 125);
    // Below min + theta: 1 - e^-1 = 0.632; sd 0.00482; 5 sd = 0.0241.
    expect(Math.abs(fraction(values, (v) => v < MIN_US + thetaUs) - (1 - Math.exp(-1)))).toBeLessThan(0.0241);
    // At the cap: P(X >= span - 0.5) = e^(-9999.5/2500) = 0.01832; Binomial(10000, 0.01832): mean 183, sd 13.4 -> [116, 250].
    const atCap = values.filter((v) => v === MAX_US).length;
    expectWithin(atCap, binomialBounds(TOTAL, Math.exp(-(SPAN_US - 0.5) / thetaUs)));
  });

  it('normal: within [min, max], mean about the midpoint, about 68% within one sd of it', () => {
    const values = latencies('normal');
    expectIntegersInRange(values);
    const midUs = (MIN_US + MAX_US) / 2;
    const sdUs = SPAN_US / 6; // 1666.7
    // Mean of 10000 has sd 16.7; 5 sd = 83.
    expect(Math.abs(mean(values) - midUs)).toBeLessThan(83);
    // Within one sd: 0.6827; sd 0.00465; 5 sd = 0.0233.
    expect(Math.abs(fraction(values, (v) => Math.abs(v - midUs) <= sdUs) - 0.6827)).toBeLessThan(0.0233);
  });

  it.each<LatencyDistribution>(['uniform', 'exponential', 'normal'])('%s with min = max is exactly that latency', (distribution) => {
    const run = simulate({ senders: 1, count: 50, intervalUs: 0 }, { seed: 1, network: { latency: { minUs: 7_000, maxUs: 7_000, distribution } } });
    expect(run.fates.map((f) => (f.deliveredUs[0] as number) - f.sentUs)).toEqual(new Array(50).fill(7_000));
  });

  it('duplicates also arrive within [min, max] of the send', () => {
    const run = simulate(BURST, { seed: 2, network: { duplicateRate: 0.5, latency: { minUs: MIN_US, maxUs: MAX_US } } });
    const copies = run.events.filter((e): e is Extract<TraceEvent, { kind: 'duplicate' }> => e.kind === 'duplicate');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.deliverAtUs - copy.timeUs).toBeGreaterThanOrEqual(MIN_US);
      expect(copy.deliverAtUs - copy.timeUs).toBeLessThanOrEqual(MAX_US);
    }
  });
});

// ---- ordering -------------------------------------------------------------------

describe('ordering', () => {
  /** Message k sent at k ms; latency 1..10 ms, so a message can overtake up to nine earlier ones. */
  const STREAM: Traffic = { senders: 2, count: 100, intervalUs: 1_000 };

  it('reorder: true lets a later-sent message arrive before an earlier one on the same link', () => {
    for (const seed of SEEDS.slice(0, 5)) {
      const run = simulate(STREAM, { seed, network: { reorder: true } });
      for (const link of ['a0>b0', 'a1>b0']) {
        const order = run.deliveryOrder.get(link) ?? [];
        expect(order).toHaveLength(100);
        expect(hasInversion(order)).toBe(true);
      }
      // And concretely: some message sent strictly later was delivered strictly earlier.
      const a0 = run.fates.filter((f) => f.from === 'a0');
      const overtaken = a0.some((early) => a0.some((late) => late.sentUs > early.sentUs && (late.deliveredUs[0] as number) < (early.deliveredUs[0] as number)));
      expect(overtaken).toBe(true);
    }
  });

  it.each<LatencyDistribution>(['uniform', 'exponential', 'normal'])(
    'reorder: false keeps every link FIFO, duplicates included (%s latency, loss and duplication on)',
    (distribution) => {
      let deliveries = 0;
      let copies = 0;
      for (const seed of FIFO_SEEDS) {
        const run = simulate(
          { ...STREAM, echo: true },
          { seed, network: { reorder: false, lossRate: 0.1, duplicateRate: 0.3, latency: { minUs: 1_000, maxUs: 10_000, distribution } } },
        );
        for (const [link, order] of run.deliveryOrder) {
          // Non-decreasing: a copy may follow its original, but nothing sent earlier arrives later.
          const inversions = order.filter((n, k) => k > 0 && n < (order[k - 1] as number));
          expect(inversions, `seed ${seed} link ${link}: ${order.join(',')}`).toEqual([]);
          deliveries += order.length;
        }
        // Every arrival still respects the minimum latency.
        expect(run.fates.filter((f) => f.deliveredUs.some((t) => t - f.sentUs < 1_000))).toEqual([]);
        copies += run.result.stats.duplicated;
      }
      // 4 links per run (a0>b0, a1>b0, b0>a0, b0>a1) carried traffic, and duplicates were in the mix.
      expect(deliveries).toBeGreaterThan(FIFO_SEEDS.length * 200);
      expect(copies).toBeGreaterThan(FIFO_SEEDS.length * 20);
    },
  );

  it('reorder: false keeps send order for messages sent at the same instant', () => {
    const run = simulate({ senders: 1, count: 200, intervalUs: 0 }, { seed: 9, network: { reorder: false, duplicateRate: 0.2 } });
    const order = run.deliveryOrder.get('a0>b0') ?? [];
    expect(order.length).toBe(200 + run.result.stats.duplicated);
    expect(hasInversion(order)).toBe(false);
    // The same burst with reorder on is scrambled.
    expect(hasInversion(simulate({ senders: 1, count: 200, intervalUs: 0 }, { seed: 9 }).deliveryOrder.get('a0>b0') ?? [])).toBe(true);
  });
});

// ---- partitions -----------------------------------------------------------------

describe('partitions', () => {
  /** Message k sent at k ms, fixed 5 ms latency, b0 acks each message; partition 20 ms..60 ms. */
  const PLAN: Traffic = { senders: 1, count: 100, intervalUs: 1_000, echo: true };
  const FIXED = { network: { latency: { minUs: 5_000, maxUs: 5_000 } } } satisfies SimOptionsInput;
  const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

  function partitioned(): Run {
    return simulate(PLAN, { seed: 1, ...FIXED }, (sim) => {
      sim.at(20_000, (c: SimControl) => c.partition([['a0'], ['b0']]));
      sim.at(60_000, (c: SimControl) => c.heal());
    });
  }

  it('drops messages sent across a partition at send time, with reason partition', () => {
    const run = partitioned();
    const messages = run.fates.filter((f) => f.from === 'a0');
    const droppedAtSend = messages.filter((f) => f.deliverAtUs === null);
    expect(droppedAtSend.map((f) => f.number)).toEqual(range(20, 59));
    for (const fate of droppedAtSend) expect(fate.drops).toEqual([{ reason: 'partition', timeUs: fate.sentUs }]);
  });

  it('drops in-flight messages that arrive during the partition, with reason partition', () => {
    const run = partitioned();
    // Sent at 15..19 ms before the split, due at 20..24 ms: the split at 20 ms runs before the arrival due then.
    const inFlight = run.fates.filter((f) => f.from === 'a0' && f.deliverAtUs !== null && f.drops.length > 0);
    expect(inFlight.map((f) => f.number)).toEqual(range(15, 19));
    for (const fate of inFlight) expect(fate.drops).toEqual([{ reason: 'partition', timeUs: (fate.deliverAtUs as number) }]);
    // The partition cuts both directions: acks sent at 15..19 ms (for messages 10..14) die in flight too.
    const deadAcks = run.fates.filter((f) => f.from === 'b0' && f.drops.length > 0);
    expect(deadAcks.map((f) => f.number)).toEqual(range(10, 14));
    for (const ack of deadAcks) expect(ack.drops[0]?.reason).toBe('partition');
  });

  it('lets messages flow again after heal', () => {
    const run = partitioned();
    const delivered = run.fates.filter((f) => f.from === 'a0' && f.deliveredUs.length === 1).map((f) => f.number);
    expect(delivered).toEqual([...range(1, 14), ...range(60, 100)]);
    const acked = run.fates.filter((f) => f.from === 'b0' && f.deliveredUs.length === 1).map((f) => f.number);
    expect(acked).toEqual([...range(1, 9), ...range(60, 100)]);
    expect(run.result.stats.partitions).toBe(1);
    expect(run.result.stats.dropped).toBe(40 + 5 + 5);
    const marks = run.events.filter((e) => e.kind === 'partition' || e.kind === 'heal');
    expect(marks.map((e) => [e.kind, e.timeUs])).toEqual([['partition', 20_000], ['heal', 60_000]]);
    expect(marks[0]).toMatchObject({ groups: [['a0'], ['b0']] });
  });

  it('puts nodes named in no group into a group of their own', () => {
    const run = simulate({ senders: 2, count: 20, intervalUs: 1_000 }, { seed: 1, ...FIXED }, (sim) => {
      sim.at(0, (c) => c.partition([['a0', 'b0']]));
    });
    const a0 = run.fates.filter((f) => f.from === 'a0');
    const a1 = run.fates.filter((f) => f.from === 'a1');
    expect(a0.every((f) => f.deliveredUs.length === 1)).toBe(true);
    expect(a1.every((f) => f.drops[0]?.reason === 'partition' && f.deliveredUs.length === 0)).toBe(true);
    expect(a1).toHaveLength(20);
  });

  it('a partition naming an unknown node is bad input from the script, thrown out of run()', () => {
    const sim = new Simulation(trafficModel(PLAN), { seed: 1 });
    sim.at(0, (c) => c.partition([['a0'], ['nobody']]));
    // The test author's mistake, not the model's: run() throws an InputError (exit 2 from the CLI).
    expect(() => sim.run()).toThrow(InputError);
    expect(() => new Simulation(trafficModel(PLAN), { seed: 1 }).at(0, (c) => c.crash('nobody')).run()).toThrow(/unknown node "nobody"/);
  });
});

// ---- per-link overrides ---------------------------------------------------------

describe('per-link overrides', () => {
  const PLAN: Traffic = { senders: 2, count: 100, intervalUs: 0, echo: true };

  it('lossRate 1 on one link drops everything on it and nothing elsewhere', () => {
    for (const seed of SEEDS.slice(0, 5)) {
      const run = simulate(PLAN, { seed, network: { links: [{ from: 'a0', to: 'b0', lossRate: 1 }] } });
      const a0 = run.fates.filter((f) => f.from === 'a0');
      const a1 = run.fates.filter((f) => f.from === 'a1');
      expect(a0).toHaveLength(100);
      expect(a0.every((f) => f.drops.length === 1 && f.drops[0]?.reason === 'loss')).toBe(true);
      expect(a1.every((f) => f.drops.length === 0 && f.deliveredUs.length === 1)).toBe(true);
      expect(run.result.stats.dropped).toBe(100);
    }
  });

  it('an override is directional: lossRate 1 on b0 > a0 kills the acks but not the messages', () => {
    const run = simulate(PLAN, { seed: 1, network: { links: [{ from: 'b0', to: 'a0', lossRate: 1 }] } });
    expect(run.deliveryOrder.get('a0>b0')).toHaveLength(100);
    expect(run.deliveryOrder.get('b0>a1')).toHaveLength(100);
    expect(run.deliveryOrder.get('b0>a0')).toBeUndefined();
    expect(run.fates.filter((f) => f.from === 'b0' && f.to === 'a0' && f.drops[0]?.reason === 'loss')).toHaveLength(100);
  });

  it('a latency override applies to its link only', () => {
    const run = simulate(PLAN, {
      seed: 1,
      network: {
        latency: { minUs: 1_000, maxUs: 10_000 },
        links: [{ from: 'a1', to: 'b0', latency: { minUs: 50_000, maxUs: 50_000, distribution: 'uniform' } }],
      },
    });
    const lat = (f: Fate): number => (f.deliveredUs[0] as number) - f.sentUs;
    const a1 = run.fates.filter((f) => f.from === 'a1');
    const a0 = run.fates.filter((f) => f.from === 'a0');
    expect(a1.map(lat)).toEqual(new Array(100).fill(50_000));
    expect(a0.every((f) => lat(f) >= 1_000 && lat(f) <= 10_000)).toBe(true);
  });

  it('a later override of the same link wins', () => {
    const run = simulate(PLAN, {
      seed: 1,
      network: { links: [{ from: 'a0', to: 'b0', lossRate: 1 }, { from: 'a0', to: 'b0', lossRate: 0 }] },
    });
    expect(run.result.stats.dropped).toBe(0);
    expect(run.deliveryOrder.get('a0>b0')).toHaveLength(100);
  });

  it('a duplicateRate override on one link duplicates only there', () => {
    const run = simulate(PLAN, { seed: 1, network: { links: [{ from: 'a1', to: 'b0', duplicateRate: 1 }] } });
    expect(run.fates.filter((f) => f.from === 'a1').every((f) => f.copies === 1)).toBe(true);
    expect(run.fates.filter((f) => f.from !== 'a1').every((f) => f.copies === 0)).toBe(true);
    expect(run.result.stats.duplicated).toBe(100);
  });

  it('an override naming an unknown node is an InputError', () => {
    expect(() => new Simulation(trafficModel(PLAN), { network: { links: [{ from: 'a9', to: 'b0', lossRate: 1 }] } })).toThrow(InputError);
    expect(() => new Simulation(trafficModel(PLAN), { network: { links: [{ from: 'a9', to: 'b0', lossRate: 1 }] } })).toThrow(/a9/);
  });
});

// ---- crashed receivers ----------------------------------------------------------

describe('delivery to a crashed node', () => {
  it('is dropped with reason node-down at arrival time, and delivery resumes after restart', () => {
    const plan: Traffic = { senders: 1, count: 40, intervalUs: 1_000 };
    const sink = new MemorySink();
    const sim = new Simulation(trafficModel(plan), { seed: 1, network: { latency: { minUs: 5_000, maxUs: 5_000 } } }, { sinks: [sink] });
    sim.at(10_000, (c) => c.crash('b0'));
    sim.at(30_000, (c) => c.restart('b0'));
    const result = sim.run();
    const drops = sink.events.filter((e): e is Extract<TraceEvent, { kind: 'drop' }> => e.kind === 'drop');
    // Message k is sent at k ms and due at k + 5 ms; b0 is down for arrivals in [10 ms, 30 ms): k = 5..24.
    expect(drops.map((d) => payloadNumber(d.payload))).toEqual(Array.from({ length: 20 }, (_, k) => k + 5));
    for (const drop of drops) {
      expect(drop.reason).toBe('node-down');
      expect(drop.timeUs).toBe((payloadNumber(drop.payload) + 5) * 1_000);
    }
    // Sending to a down node is not refused at send time: every send was scheduled.
    expect(sink.events.filter((e) => e.kind === 'send' && e.deliverAtUs === null)).toEqual([]);
    expect(result.stats.dropped).toBe(20);
    expect(result.stats.delivered).toBe(4 + 16);
    // The restarted receiver lost its count and saw only k = 25..40.
    expect(sim.stateOf<number>('b0')).toBe(16);
  });
});
