/**
 * A tiny model for the fault-plan tests: three peers that each send a hop to a
 * random other peer every 5 ms and count what they received, with an
 * `eventually` property that needs every peer up at the end.
 */
import { defineModel, defineNode, eventually, ms, type ModelDefinition } from '../../src/index.ts';

type Msg = { hop: number };

const peer = defineNode<{ sent: number; received: number }, Msg, 'tick'>({
  start(ctx) {
    ctx.setTimer(ms(5), 'tick');
    return { sent: 0, received: 0 };
  },
  onMessage(state) {
    state.received++;
  },
  onTimer(state, _timer, ctx) {
    state.sent++;
    ctx.send(ctx.random.pick(ctx.peers), { hop: state.sent });
    ctx.setTimer(ms(5), 'tick');
  },
});

/** Three peers chatting; 2 s of virtual time by default. */
export const chatter = defineModel<Msg, 'tick'>({
  name: 'chatter',
  description: 'three peers chatting',
  roles: { peer: { count: 3, node: peer } },
  properties: [eventually('every peer is up', (view) => view.nodes.every((n) => n.up))],
  defaults: { timeUs: ms(2_000) },
}) as ModelDefinition;
