/**
 * A node's clock in isolation (src/node/clocks.ts): the reading is true time
 * plus offset plus floor(t · drift / 1e6), exact in integers for any safe true
 * time; a timer of d µs takes the least true time in which the clock advances
 * d µs at its own rate; jumps and a set skew move the reading, not the rate.
 */
import { describe, expect, it } from 'vitest';
import { driftUs, NodeClocks } from '../../src/node/clocks.ts';
import { RandomStream } from '../../src/random/stream.ts';

/** The exact value with BigInt arithmetic, as the reference. */
function driftReference(trueUs: number, ppm: number): number {
  const product = BigInt(trueUs) * BigInt(ppm);
  const million = 1_000_000n;
  // BigInt division truncates; floor it for negative products.
  const quotient = product / million;
  return Number(product % million !== 0n && product < 0n ? quotient - 1n : quotient);
}

describe('driftUs', () => {
  it('is floor(t · ppm / 1e6) exactly, for small, large and negative drifts, up to the largest safe time', () => {
    const random = new RandomStream(1, 'test');
    const times = [0, 1, 999_999, 1_000_000, 1_000_001, 3_600_000_000, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2_000; i++) times.push(random.int(2 ** 52));
    const drifts = [0, 1, -1, 100, -100, 499_999, -500_000, 500_000];
    for (let i = 0; i < 20; i++) drifts.push(random.between(-500_000, 500_000));
    for (const t of times) for (const ppm of drifts) expect(driftUs(t, ppm)).toBe(driftReference(t, ppm));
  });
});

describe('NodeClocks', () => {
  it('reads true time + skew + drift, and drift 0 with skew 0 is true time', () => {
    const clocks = new NodeClocks(2);
    clocks.set(1, 0, -5_000, 250);
    expect(clocks.readUs(0, 123_456)).toBe(123_456);
    // 2 s at +250 ppm gains 500 µs.
    expect(clocks.readUs(1, 2_000_000)).toBe(2_000_000 - 5_000 + 500);
    expect(clocks.skewUs(1, 2_000_000)).toBe(-4_500);
    expect(clocks.driftPpmOf(1)).toBe(250);
  });

  it('set() makes the clock read exactly true time + skew at that moment, whatever drift went before', () => {
    const clocks = new NodeClocks(1);
    clocks.set(0, 0, 0, 300_000);
    clocks.set(0, 1_234_567, 40, -70_000);
    expect(clocks.readUs(0, 1_234_567)).toBe(1_234_567 + 40);
    expect(clocks.driftPpmOf(0)).toBe(-70_000);
  });

  it('a jump moves the reading by exactly its size, forward or back, and leaves the rate alone', () => {
    const clocks = new NodeClocks(1);
    clocks.set(0, 0, 0, 1_000);
    const before = clocks.readUs(0, 500_000);
    clocks.jump(0, -300_000);
    expect(clocks.readUs(0, 500_000)).toBe(before - 300_000);
    expect(clocks.readUs(0, 1_500_000) - clocks.readUs(0, 500_000)).toBe(1_001_000);
  });

  it('never runs backwards between jumps, even at the largest drifts', () => {
    for (const ppm of [-500_000, -1, 1, 500_000]) {
      const clocks = new NodeClocks(1);
      clocks.set(0, 0, 7, ppm);
      let last = clocks.readUs(0, 0);
      for (let t = 1; t < 5_000; t++) {
        const now = clocks.readUs(0, t);
        expect(now).toBeGreaterThanOrEqual(last);
        last = now;
      }
    }
  });

  it('draws each node its skew then its drift, in node order, from the stream it is given', () => {
    const options = { skewUs: { minUs: -1_000, maxUs: 2_000 }, driftPpm: { min: -50, max: 80 }, jumps: null };
    const clocks = NodeClocks.drawn(options, new RandomStream(9, 'clocks'), 4);
    const reference = new RandomStream(9, 'clocks');
    for (let node = 0; node < 4; node++) {
      expect(clocks.skewUs(node, 0)).toBe(reference.between(-1_000, 2_000));
      expect(clocks.driftPpmOf(node)).toBe(reference.between(-50, 80));
    }
  });

  describe('timerDelayUs', () => {
    /** The reference: scan true time one microsecond at a time. */
    function scanned(clocks: NodeClocks, trueUs: number, delayUs: number): number {
      const start = clocks.readUs(0, trueUs);
      let t = trueUs;
      while (clocks.readUs(0, t) - start < delayUs) t++;
      return t - trueUs;
    }

    it('is the delay itself without drift, whatever the skew', () => {
      const clocks = new NodeClocks(1);
      clocks.set(0, 0, -40_000, 0);
      expect(clocks.timerDelayUs(0, 77, 12_345)).toBe(12_345);
    });

    it('is the least true time in which the clock advances the delay, for fast and slow clocks', () => {
      const random = new RandomStream(4, 'timers');
      for (let i = 0; i < 400; i++) {
        const clocks = new NodeClocks(1);
        clocks.set(0, 0, random.between(-1_000, 1_000), random.between(-500_000, 500_000));
        const trueUs = random.int(10_000_000);
        const delayUs = random.int(20_000);
        expect(clocks.timerDelayUs(0, trueUs, delayUs)).toBe(scanned(clocks, trueUs, delayUs));
      }
    });

    it('a clock 10 % fast fires a 100 ms timer after 90.91 ms of true time, one 10 % slow after 111.11 ms', () => {
      const fast = new NodeClocks(1);
      fast.set(0, 0, 0, 100_000);
      expect(fast.timerDelayUs(0, 0, 100_000)).toBe(90_910);
      const slow = new NodeClocks(1);
      slow.set(0, 0, 0, -100_000);
      expect(slow.timerDelayUs(0, 0, 100_000)).toBe(111_112);
    });

    it('stays a safe integer for delays no budget reaches', () => {
      const clocks = new NodeClocks(1);
      clocks.set(0, 0, 0, -500_000);
      const delayUs = clocks.timerDelayUs(0, 1_000, Number.MAX_SAFE_INTEGER - 10);
      expect(Number.isSafeInteger(1_000 + delayUs)).toBe(true);
    });
  });
});
