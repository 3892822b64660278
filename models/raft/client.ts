/**
 * A client of the key-value store. It records each operation in the run's
 * history (invoke, then ok, fail or info), sends it to the server it believes
 * leads, follows redirects, tries another server when one stays silent, and
 * gives up after a deadline: a read that got no answer certainly changed
 * nothing (`fail`); a write may or may not have happened (`info`: the client
 * goes on as a fresh process). Retries reuse the operation's (process, seq),
 * which the state machine deduplicates.
 */
import { defineNode, type KvInput, type NodeContext } from '../../src/index.ts';
import { CLIENT_DEADLINE_US, CLIENT_RETRY_US, CLIENT_THINK_US, KEYS, MAX_REDIRECTS } from './config.ts';
import type { ClientState, Msg, Timer } from './types.ts';

type Ctx = NodeContext<Msg, Timer>;

const servers = (ctx: Ctx): readonly string[] => ctx.nodesOf('server');
const thinkUs = (ctx: Ctx): number => ctx.random.between(CLIENT_THINK_US.min, CLIENT_THINK_US.max);

/** A random operation: reads, puts and appends on a few keys; written values are unique (`"<process>:<seq>"`). */
function pickOperation(ctx: Ctx, seq: number): KvInput {
  const key = ctx.random.pick(KEYS);
  const roll = ctx.random.next();
  if (roll < 0.4) return { f: 'get', key };
  const value = `${ctx.process}:${seq}`;
  return roll < 0.7 ? { f: 'put', key, value } : { f: 'append', key, value: `${value};` };
}

function sendRequest(state: ClientState, ctx: Ctx): void {
  const { seq, op } = state.waiting!;
  ctx.send(state.leaderGuess, { kind: 'request', process: ctx.process, seq, op });
}

/** The client role. */
export const client = defineNode<ClientState, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(thinkUs(ctx), { kind: 'next' });
    return { seq: 0, waiting: null, leaderGuess: ctx.random.pick(servers(ctx)), processes: [], valuesRead: 0 };
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'next') {
      const seq = ++state.seq;
      const op = pickOperation(ctx, seq);
      if (state.processes.at(-1) !== ctx.process) state.processes.push(ctx.process);
      ctx.invoke(op);
      const retryTimer = ctx.setTimer(CLIENT_RETRY_US, { kind: 'retry', seq });
      const deadlineTimer = ctx.setTimer(CLIENT_DEADLINE_US, { kind: 'deadline', seq });
      state.waiting = { seq, op, redirects: 0, retryTimer, deadlineTimer };
      sendRequest(state, ctx);
    } else if ((timer.kind !== 'retry' && timer.kind !== 'deadline') || state.waiting?.seq !== timer.seq) {
      return; // a timer of an operation that already completed
    } else if (timer.kind === 'retry') {
      state.leaderGuess = ctx.random.pick(servers(ctx).filter((server) => server !== state.leaderGuess));
      state.waiting.redirects = 0;
      sendRequest(state, ctx);
      state.waiting.retryTimer = ctx.setTimer(CLIENT_RETRY_US, { kind: 'retry', seq: timer.seq });
    } else {
      // No answer in time: a read changed nothing; a write may have happened.
      ctx.cancelTimer(state.waiting.retryTimer);
      ctx.complete(state.waiting.op.f === 'get' ? 'fail' : 'info');
      state.waiting = null;
      ctx.setTimer(thinkUs(ctx), { kind: 'next' });
    }
  },
  onMessage(state, from, msg, ctx) {
    if ((msg.kind !== 'reply' && msg.kind !== 'redirect') || state.waiting?.seq !== msg.seq) return;
    if (msg.kind === 'redirect') {
      if (msg.leader === null || msg.leader === from || state.waiting.redirects >= MAX_REDIRECTS) return; // wait for the retry
      state.leaderGuess = msg.leader;
      state.waiting.redirects++;
      return sendRequest(state, ctx);
    }
    state.leaderGuess = from;
    ctx.cancelTimer(state.waiting.retryTimer);
    ctx.cancelTimer(state.waiting.deadlineTimer);
    if (state.waiting.op.f === 'get') {
      ctx.complete('ok', msg.output);
      if (msg.output !== '') state.valuesRead++;
    } else {
      ctx.complete('ok');
    }
    state.waiting = null;
    ctx.setTimer(thinkUs(ctx), { kind: 'next' });
  },
});
