/**
 * The recorder builds the hottest lines (send, deliver) by hand and reuses a
 * payload's JSON across them: every line must still be exactly
 * JSON.stringify of its event, for every kind of event and payload.
 */
import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation, defineModel, defineNode, type JsonValue } from '../../src/index.ts';
import pingPong from '../../models/ping-pong/model.ts';
import counter from '../../models/replicated-counter/model.ts';
import register from '../../models/register/model.ts';

function linesOf(sink: MemorySink): string[] {
  return sink.lines.slice(1);
}

describe('trace lines', () => {
  it.each([
    ['ping-pong', pingPong],
    ['replicated-counter', counter],
    ['register', register],
  ])('%s with every fault on: each line is JSON.stringify of its event', (_name, model) => {
    const sink = new MemorySink();
    new Simulation(model, { seed: 3, network: { lossRate: 0.1, duplicateRate: 0.1 }, faults: { crash: {}, partition: {} } }, { sinks: [sink] }).run();
    const lines = linesOf(sink);
    expect(lines.length).toBeGreaterThan(100);
    lines.forEach((line, i) => expect(line).toBe(JSON.stringify(sink.events[i])));
    const kinds = new Set(sink.events.map((e) => e.kind));
    for (const kind of ['send', 'deliver', 'drop', 'duplicate']) expect(kinds.has(kind as never)).toBe(true);
    // register's clients record a history (op lines) and its defaults give the run a liveness phase.
    if (model === register) for (const kind of ['op', 'settle'] as const) expect(kinds.has(kind)).toBe(true);
  });

  it('payloads of every JSON shape, broadcast to several nodes, serialise exactly', () => {
    const payloads: JsonValue[] = [null, 0, -1.5, 1e21, 'text with "quotes" and \\n', true, [], {}, [1, [2, { a: null }]], { 'key with space': { nested: ['x'] } }];
    const node = defineNode<null, JsonValue>({
      start(ctx) {
        if (ctx.id === 'n0') for (const payload of payloads) ctx.broadcast(payload);
        return null;
      },
    });
    const model = defineModel<JsonValue>({ name: 'shapes', description: 'x', roles: { n: { count: 3, node } } });
    const sink = new MemorySink();
    new Simulation(model, { seed: 1 }, { sinks: [sink] }).run();
    const lines = linesOf(sink);
    lines.forEach((line, i) => expect(line).toBe(JSON.stringify(sink.events[i])));
    expect(sink.events.filter((e) => e.kind === 'deliver')).toHaveLength(payloads.length * 2);
  });
});
