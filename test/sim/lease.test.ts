/**
 * Why clocks and pauses matter, on a tiny lease model (test/fixtures/lease-model.ts):
 * safe when every node reads true time and never pauses; broken by clock
 * drift and by a stop-the-world pause of the holder; and, in its wall-clock
 * form (bug flag `wall-clock-lease`), broken by skew and by clock jumps that
 * the timer-only form shrugs off.
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, ms, runSimulation, Simulation, type SimOptionsInput } from '../../src/index.ts';
import lease, { holders, LEASE_US, type ClientState } from '../fixtures/lease-model.ts';

const SEEDS = Array.from({ length: 30 }, (_, i) => i);
const PROPERTY = 'at most one client holds the lease';
const WALL = { bugs: ['wall-clock-lease'] };

const SKEW = { clocks: { skewUs: { minUs: -ms(20), maxUs: ms(20) }, driftPpm: { min: 0, max: 0 } } };
const DRIFT = { clocks: { skewUs: { minUs: 0, maxUs: 0 }, driftPpm: { min: -100_000, max: 100_000 } } };
const SMALL_DRIFT = { clocks: { skewUs: { minUs: 0, maxUs: 0 }, driftPpm: { min: -100, max: 100 } } };
const JUMPS = { clocks: { skewUs: { minUs: 0, maxUs: 0 }, driftPpm: { min: 0, max: 0 }, jumps: { meanIntervalUs: ms(50), sizeUs: { minUs: ms(10), maxUs: ms(200) } } } };
const PAUSES = { faults: { pause: { meanIntervalUs: ms(100), duration: { minUs: ms(50), maxUs: ms(300) } } } };

/** Seeds (of SEEDS) on which the lease property fails; any other failure is a bug in the test. */
function failingSeeds(options: SimOptionsInput): number[] {
  return SEEDS.filter((seed) => {
    const result = runSimulation(lease, { ...options, seed });
    if (result.failure !== null) expect(result.failure, `seed ${seed}`).toMatchObject({ kind: 'safety', property: PROPERTY });
    return result.failure !== null;
  });
}

describe('the lease with true clocks and no pauses', () => {
  it.each([
    ['timer-only', {}],
    ['wall-clock', WALL],
  ])('%s: safe on every seed, and the lease changes hands all the time', (_name, options) => {
    for (const seed of SEEDS) {
      const sim = new Simulation(lease, { ...options, seed });
      const result = sim.run();
      expect(result.outcome, `seed ${seed}`).toBe('pass');
      const grants = sim.nodeIds.filter((id) => id.startsWith('client')).map((id) => sim.stateOf<ClientState>(id)?.grants ?? 0);
      // 2 s of 100 ms leases, nearly back to back (20 on each of these seeds).
      expect(grants.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(19);
    }
  });
});

describe('clock skew', () => {
  it('the timer-only lease measures only durations: safe under ±20 ms of skew', () => {
    expect(failingSeeds(SKEW)).toEqual([]);
  });

  it('the wall-clock lease compares clocks across nodes: ±20 ms of skew breaks it on most seeds', () => {
    expect(failingSeeds({ ...WALL, ...SKEW }).length).toBeGreaterThanOrEqual(15);
  });

  it('one client 30 ms behind the server: it keeps the lease 30 ms too long, and the next holder overlaps it', () => {
    const sink = new MemorySink();
    const sim = new Simulation(lease, { ...WALL, seed: 1 }, { sinks: [sink] });
    sim.at(1, (c) => c.skew('client0', -ms(30)));
    const result = sim.run();
    expect(result.failure).toMatchObject({ kind: 'safety', property: PROPERTY });
    // client0 still holds the lease it was granted more than LEASE_US of true time earlier.
    const grant = sink.events.filter((e) => e.kind === 'deliver' && e.to === 'client0' && (e.payload as { kind: string }).kind === 'grant').at(-1);
    expect(sim.stateOf<ClientState>('client0')?.holding).toBe(true);
    expect(result.endTimeUs - (grant?.timeUs ?? 0)).toBeGreaterThan(LEASE_US);
    expect(result.endTimeUs - (grant?.timeUs ?? 0)).toBeLessThan(LEASE_US + ms(30));
  });

  it('the same skew on every node is harmless even to the wall-clock lease', () => {
    expect(failingSeeds({ ...WALL, clocks: { skewUs: { minUs: -ms(25), maxUs: -ms(25) }, driftPpm: { min: 0, max: 0 } } })).toEqual([]);
  });
});

describe('clock drift', () => {
  it('±10 % drift breaks the timer-only lease (a slow client or a fast server) on many seeds', () => {
    expect(failingSeeds(DRIFT).length).toBeGreaterThanOrEqual(8);
  });

  it('±100 ppm, a realistic drift, stays within the message latency: safe', () => {
    expect(failingSeeds(SMALL_DRIFT)).toEqual([]);
  });

  it('a client 20 % slow holds each lease 25 % longer in true time', () => {
    const sim = new Simulation(lease, { seed: 2 });
    sim.at(1, (c) => c.skew('client1', 0, -200_000));
    const result = sim.run();
    expect(result.failure).toMatchObject({ kind: 'safety', property: PROPERTY });
    expect(holders([...sim.nodeIds].map((id) => ({ role: id.replace(/\d+$/, ''), up: sim.isUp(id), state: sim.stateOf(id) })))).toBe(2);
    expect(sim.stateOf<ClientState>('client1')?.holding).toBe(true);
  });
});

describe('clock jumps', () => {
  it('do not touch the timer-only lease (timers do not jump)', () => {
    expect(failingSeeds(JUMPS)).toEqual([]);
  });

  it('break the wall-clock lease', () => {
    expect(failingSeeds({ ...WALL, ...JUMPS }).length).toBeGreaterThanOrEqual(20);
  });
});

describe('stop-the-world pauses', () => {
  it('break the timer-only lease even with perfect clocks: the paused holder cannot let go in time', () => {
    expect(failingSeeds(PAUSES).length).toBeGreaterThanOrEqual(15);
  });

  it('a holder paused for longer than the lease is still holding when the next client gets it', () => {
    const sink = new MemorySink();
    const sim = new Simulation(lease, { seed: 4 }, { sinks: [sink] });
    let pausedAt = -1;
    // Pause the first client seen holding the lease, for twice the lease.
    for (let t = ms(10); t < ms(500); t += ms(1)) {
      sim.at(t, (c) => {
        if (pausedAt >= 0) return;
        const holder = sim.nodeIds.find((id) => id.startsWith('client') && sim.stateOf<ClientState>(id)?.holding);
        if (holder === undefined) return;
        pausedAt = c.nowUs;
        c.pause(holder, 2 * LEASE_US);
      });
    }
    const result = sim.run();
    expect(result.failure).toMatchObject({ kind: 'safety', property: PROPERTY });
    expect(result.endTimeUs - pausedAt).toBeLessThan(2 * LEASE_US);
    expect(sink.events.some((e) => e.kind === 'resume')).toBe(false);
  });
});
