/**
 * Compile-time contract of the node API. Each `@ts-expect-error` below must
 * stay an error: if a change to src/ makes one of these lines type-check,
 * `npx tsc --noEmit` fails with "Unused '@ts-expect-error' directive".
 * The functions holding them are never called.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, runSimulation, type NodeContext } from '../../src/index.ts';

type Msg = { kind: 'ping'; seq: number } | { kind: 'pong'; seq: number };
type Timer = { kind: 'tick' };
type Other = { kind: 'other'; text: string };

const echo = defineNode<null, Msg, Timer>({
  start: () => null,
  onMessage(_state, from, msg, ctx) {
    if (msg.kind === 'ping') ctx.send(from, { kind: 'pong', seq: msg.seq });
  },
});

const pinger = defineNode<{ sent: number; pongs: number }, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(1_000, { kind: 'tick' });
    return { sent: 0, pongs: 0 };
  },
  onTimer(state, _timer, ctx) {
    if (state.sent >= 3) return;
    ctx.send('echo0', { kind: 'ping', seq: state.sent });
    state.sent++;
    ctx.setTimer(1_000, { kind: 'tick' });
  },
  onMessage(state, _from, msg) {
    if (msg.kind === 'pong') state.pongs++;
  },
});

const model = defineModel<Msg, Timer>({
  name: 'typed',
  description: 'typed ping-pong',
  roles: { pinger: { count: 1, node: pinger }, echo: { count: 1, node: echo } },
});

/** Never called: only type-checked. */
export function wrongMessageShapes(ctx: NodeContext<Msg, Timer>): void {
  // @ts-expect-error: unknown message kind
  ctx.send('echo0', { kind: 'pang', seq: 1 });
  // @ts-expect-error: missing field
  ctx.send('echo0', { kind: 'ping' });
  // @ts-expect-error: wrong field type
  ctx.send('echo0', { kind: 'ping', seq: '1' });
  // @ts-expect-error: excess field
  ctx.broadcast({ kind: 'pong', seq: 1, extra: true });
  // @ts-expect-error: wrong timer payload
  ctx.setTimer(10, { kind: 'tock' });
  // @ts-expect-error: a message that is not JSON data
  ctx.send('echo0', new Map());
}

/** Never called: handlers and definitions that must not type-check. */
export function wrongHandlers(): void {
  defineNode<null, Msg, Timer>({
    start: () => null,
    onMessage(_state, from, msg, ctx) {
      // @ts-expect-error: a handler sending the wrong shape
      ctx.send(from, { kind: 'pong', seq: msg.kind });
      if (msg.kind === 'ping') {
        // @ts-expect-error: msg is narrowed, seq is a number
        const text: string = msg.seq;
        void text;
      }
    },
  });
  defineNode<{ count: number }, Msg>({
    // @ts-expect-error: start must return the declared state
    start: () => ({ total: 0 }),
    onMessage(state) {
      // @ts-expect-error: the draft keeps the state's field types
      state.count = 'many';
    },
  });
  // @ts-expect-error: message types must be JSON data
  defineNode<null, { kind: 'fn'; run: () => void }>({ start: () => null });
  const otherNode = defineNode<null, Other>({ start: () => null });
  defineModel<Msg, Timer>({
    name: 'mixed',
    description: 'a role speaking another protocol',
    // @ts-expect-error: a node of another message type cannot join the model
    roles: { other: { count: 1, node: otherNode } },
  });
}

describe('typed models', () => {
  it('a well-typed model runs: three pings, three pongs', () => {
    const result = runSimulation(model, { seed: 1, network: { lossRate: 0, duplicateRate: 0 } });
    expect(result.outcome).toBe('pass');
    expect(result.stats).toMatchObject({ sent: 6, delivered: 6, timersFired: 4 });
  });
});
