/**
 * A model whose `defaults` carry a scenario (primary-backup's failover
 * drill): its trace records the scripted steps (`"by":"script"`), and replay
 * re-applies those. Replay used to schedule the model's scenario as well, so
 * every scripted step ran twice and the replay diverged at the first one.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, MemorySink, ms, scenario, Simulation } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';

const ticker = defineNode<number, never, 'tick'>({
  start(ctx) {
    ctx.setTimer(ms(10), 'tick');
    return 0;
  },
  onTimer(ticks, _timer, ctx) {
    ctx.setTimer(ms(10), 'tick');
    return ticks + 1;
  },
});

const SCRIPTED = defineModel<never, 'tick'>({
  name: 'scripted-ticker',
  description: 'one node ticking every 10 ms, paused once by a scenario in its defaults',
  roles: { ticker: { count: 1, node: ticker } },
  defaults: { timeUs: ms(50), scenario: scenario().at(ms(15)).pause('ticker0', '1ms') },
});

describe('replay of a model whose defaults carry a scenario', () => {
  it('applies each scripted step once, as recorded, and replays identically', () => {
    const recorded = new MemorySink();
    new Simulation(SCRIPTED, { seed: 1 }, { sinks: [recorded] }).run();
    const replayed = new MemorySink();
    const replay = replayTrace(parseTrace(recorded.text(), 'scripted-ticker.jsonl'), SCRIPTED, [replayed]);
    const pauses = (sink: MemorySink) => sink.events.filter((e) => e.kind === 'pause').length;
    expect(pauses(recorded)).toBe(1);
    expect(pauses(replayed)).toBe(1);
    expect(replay.divergence).toBeNull();
    expect(replay.identical).toBe(true);
  });
});
