/**
 * ping-pong — the smallest useful model: a client pings a set of echo servers.
 *
 * Protocol. The client broadcasts `ping(seq)` to every server on a timer (every
 * 50 ms, with a little jitter from its own random stream). A server answers each
 * ping with `pong(seq)` and keeps no state at all. The client counts pongs,
 * remembers which sequence numbers were answered at least once, and logs a pong
 * that arrives after a newer ping went out (a late or reordered answer).
 *
 * What it demonstrates. Every network behaviour shows up in the trace: with
 * loss some pings go unanswered, with duplication a pong arrives twice (so
 * `pongs` can exceed the number of distinct answers), with reordering pong 7 can
 * overtake pong 6, and with partitions or crashed servers whole rounds vanish.
 *
 * Property. `pong answers a ping`: the client never receives a pong for a
 * sequence number it has not sent yet (a corrupted or invented message would
 * break it). Bug flags: `echo-wrong-seq` makes servers answer with seq + 1,
 * which the property catches on the first reply.
 */
import { always, defineModel, defineNode, ms, sometimes } from '../../src/index.ts';

/** Messages between client and servers. */
export type Msg = { kind: 'ping'; seq: number } | { kind: 'pong'; seq: number };

/** The client's only timer. */
export type Timer = { kind: 'tick' };

interface ClientState {
  nextSeq: number;
  /** Pong messages received, duplicates included. */
  pongs: number;
  /** Sequence numbers answered at least once. */
  answered: number[];
}

const PING_INTERVAL_US = ms(50);

const client = defineNode<ClientState, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(PING_INTERVAL_US, { kind: 'tick' });
    return { nextSeq: 0, pongs: 0, answered: [] };
  },
  onTimer(state, _timer, ctx) {
    ctx.broadcast({ kind: 'ping', seq: state.nextSeq });
    state.nextSeq++;
    const jitterUs = ctx.random.between(0, ms(5));
    ctx.setTimer(PING_INTERVAL_US + jitterUs, { kind: 'tick' });
  },
  onMessage(state, from, msg, ctx) {
    if (msg.kind !== 'pong') return;
    state.pongs++;
    if (!state.answered.includes(msg.seq)) state.answered.push(msg.seq);
    if (msg.seq < state.nextSeq - 1) ctx.log(`late pong ${msg.seq} from ${from}`, { latest: state.nextSeq - 1 });
  },
});

const server = defineNode<null, Msg, Timer>({
  start: () => null,
  onMessage(_state, from, msg, ctx) {
    if (msg.kind !== 'ping') return;
    const seq = ctx.bug('echo-wrong-seq') ? msg.seq + 1 : msg.seq;
    ctx.send(from, { kind: 'pong', seq });
  },
});

export default defineModel<Msg, Timer>({
  name: 'ping-pong',
  description: 'A client pings three stateless echo servers on a timer; shows loss, duplication, reordering and partitions.',
  roles: {
    client: { count: 1, node: client, crashable: false },
    server: { count: 3, node: server },
  },
  bugs: { 'echo-wrong-seq': 'servers answer ping n with pong n+1' },
  properties: [
    always('pong answers a ping', (view) => {
      const state = view.state<ClientState>('client0');
      return state === undefined || state.answered.every((seq) => seq < state.nextSeq);
    }),
    // A client that never gets an answer (every ping lost, or no ping sent) must not pass.
    sometimes('a ping was answered', (view) => (view.state<ClientState>('client0')?.answered.length ?? 0) > 0),
  ],
  defaults: {
    timeUs: ms(2_000),
    network: { lossRate: 0.05, duplicateRate: 0.02 },
  },
});
