/**
 * A paused node that crashes drops what its pause held (traced `node-down`),
 * and those messages leave the network's in-flight count: with a bounded
 * inbox, a receiver that crashed while paused must get traffic again after
 * its restart (it once stayed "full" for the rest of the run).
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, MemorySink, ms, Simulation } from '../../src/index.ts';

type Msg = { kind: 'm'; seq: number };
const sender = defineNode<{ seq: number }, Msg, 'tick'>({
  start(ctx) {
    ctx.setTimer(ms(1), 'tick');
    return { seq: 0 };
  },
  onTimer(state, _timer, ctx) {
    ctx.send('recv0', { kind: 'm', seq: state.seq++ });
    ctx.setTimer(ms(1), 'tick');
  },
});
const receiver = defineNode<{ got: number }, Msg, 'tick'>({
  start: () => ({ got: 0 }),
  onMessage(state) {
    state.got++;
  },
});
const model = defineModel<Msg, 'tick'>({
  name: 'inbox',
  description: 'one sender, one receiver with a bounded inbox',
  roles: { send: { count: 1, node: sender, crashable: false }, recv: { count: 1, node: receiver } },
});

describe('a paused node that crashes, with a bounded inbox', () => {
  it.each(['drop', 'backpressure'] as const)('frees the inbox (%s): the restarted receiver gets traffic again', (overflow) => {
    const sink = new MemorySink();
    const sim = new Simulation(
      model,
      { seed: 1, timeUs: ms(300), network: { latency: { minUs: 1000, maxUs: 1000 }, lossRate: 0, duplicateRate: 0, capacity: { inboxMax: 5, overflow } } },
      { sinks: [sink] },
    );
    sim.at(ms(50), (c) => c.pause('recv0', ms(100)));
    sim.at(ms(70), (c) => c.crash('recv0'));
    sim.at(ms(80), (c) => c.restart('recv0'));
    const result = sim.run();
    // Restarted at 80 ms with one message a millisecond until 300 ms: about 220 arrive.
    expect(sim.stateOf<{ got: number }>('recv0')?.got).toBeGreaterThan(200);
    const heldDrops = sink.events.filter((e) => e.kind === 'drop' && e.timeUs === ms(70) && e.reason === 'node-down');
    expect(heldDrops.length).toBeGreaterThan(0);
    // The load figures count those drops too.
    expect(result.load['recv0']?.dropped).toBeGreaterThanOrEqual(heldDrops.length);
  });
});
