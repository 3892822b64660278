/**
 * Replay of a test's scripted steps among random-fault ticks that record
 * nothing (a pause tick with every pause slot taken, a swizzle that finds
 * its node already clogged). In the recorded run such a tick ran before the
 * step; replay must run it before the step too, or the tick sees the step's
 * effect and chooses differently (found in review: 6 of 40 seeds diverged).
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, ms, Simulation, type SimControl } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import pingPong from '../../models/ping-pong/model.ts';

function divergedSeeds(options: object, script: (at: (timeUs: number, step: (c: SimControl) => void) => void) => void, seeds: number): number[] {
  const diverged: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const sink = new MemorySink();
    const sim = new Simulation(pingPong, { seed, ...options }, { sinks: [sink] });
    script((timeUs, step) => sim.at(timeUs, step));
    sim.run();
    const replay = replayTrace(parseTrace(sink.text(), `seed ${seed}`), pingPong);
    if (replay.divergence !== null) diverged.push(seed);
  }
  return diverged;
}

describe('replay: scripted steps among silent fault ticks', () => {
  it('crashes and restarts while random pauses are on', () => {
    const diverged = divergedSeeds({ faults: { pause: { meanIntervalUs: ms(100) } } }, (at) => {
      for (const [node, t] of [['server0', 300], ['server1', 700], ['server2', 1100]] as const) {
        at(ms(t), (c) => c.crash(node));
        at(ms(t + 20), (c) => c.restart(node));
      }
    }, 40);
    expect(diverged).toEqual([]);
  });

  it('clogs and unclogs of a node that random swizzle-clogs also pick', () => {
    const diverged = divergedSeeds({ faults: { clog: { meanIntervalUs: ms(30), nodes: 4, stepUs: ms(5), holdUs: ms(20) } } }, (at) => {
      for (let t = 100; t < 1900; t += 150) {
        at(ms(t), (c) => c.clog({ node: 'server0' }));
        at(ms(t + 60), (c) => c.unclog({ node: 'server0' }));
      }
    }, 30);
    expect(diverged).toEqual([]);
  });
});
