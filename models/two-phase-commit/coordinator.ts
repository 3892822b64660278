/**
 * two-phase-commit — the coordinator. For each transaction it logs that the
 * transaction began, sends `prepare`, and collects votes: all yes means
 * commit, any no (or silence past the deadline) means abort. It logs the
 * decision durably before telling anyone, so that a decision once sent is
 * never contradicted by a restarted coordinator. After a restart, a
 * transaction it began but never decided is aborted (no participant can
 * have been told otherwise), and it answers the participants' `status`
 * questions from its log.
 */
import { defineNode, ms, type DurableStorage, type NodeContext, type TimerId } from '../../src/index.ts';
import { FIRST_TXN_US, TXN_COUNT, type Decision, type Msg, type Timer } from './messages.ts';

/** The coordinator's log. */
type CoordinatorLog = {
  /** The last transaction it began (0: none). */
  begun: number;
  /** Its decision per transaction. */
  decisions: Record<string, Decision>;
};

/** The coordinator's state: its log, and the transaction collecting votes (volatile). */
export type CoordinatorState = CoordinatorLog & {
  /** The transaction collecting votes, the yes-voters so far, and its deadline timer. */
  collecting: { txn: number; yes: string[]; deadline: TimerId } | null;
};

const LOG_KEY = 'log';
/** Votes not all in by then: abort (a vote needs a round trip of 2–20 ms). */
const VOTE_DEADLINE_US = ms(40);
/** Pause between one decision and the next transaction. */
const THINK_US = { min: ms(5), max: ms(15) };
/** The longer pause after votes went missing: whatever cut them off (a crash, a partition) needs time to pass. */
const BACKOFF_US = { min: ms(50), max: ms(100) };

function persist(state: CoordinatorLog, storage: DurableStorage): void {
  storage.put(LOG_KEY, { begun: state.begun, decisions: state.decisions });
  storage.sync();
}

function participantsOf(ctx: NodeContext<Msg, Timer>): readonly string[] {
  return ctx.nodesOf('participant');
}

/** Logs the decision (synced), then tells every participant, then moves on to the next transaction. */
function decide(state: CoordinatorState, txn: number, decision: Decision, ctx: NodeContext<Msg, Timer>, pauseUs = THINK_US): void {
  state.decisions[String(txn)] = decision;
  persist(state, ctx.storage);
  if (state.collecting !== null) ctx.cancelTimer(state.collecting.deadline);
  state.collecting = null;
  for (const participant of participantsOf(ctx)) ctx.send(participant, { kind: 'decision', txn, decision });
  if (state.begun < TXN_COUNT) ctx.setTimer(ctx.random.between(pauseUs.min, pauseUs.max), { kind: 'next' });
}

function begin(state: CoordinatorState, ctx: NodeContext<Msg, Timer>): void {
  state.begun++;
  persist(state, ctx.storage); // before any prepare leaves: a restart must know to abort it
  for (const participant of participantsOf(ctx)) ctx.send(participant, { kind: 'prepare', txn: state.begun });
  const deadline = ctx.setTimer(VOTE_DEADLINE_US, { kind: 'vote-deadline', txn: state.begun });
  state.collecting = { txn: state.begun, yes: [], deadline };
}

/** The coordinator role. */
export const coordinator = defineNode<CoordinatorState, Msg, Timer>({
  start(ctx, storage) {
    const log = storage.get<CoordinatorLog>(LOG_KEY) ?? { begun: 0, decisions: {} };
    const state: CoordinatorState = { ...log, decisions: { ...log.decisions }, collecting: null };
    if (state.begun > 0 && state.decisions[String(state.begun)] === undefined) {
      decide(state, state.begun, 'abort', ctx); // begun before the crash, never decided: presumed abort
    } else if (state.begun < TXN_COUNT) {
      ctx.setTimer(state.begun === 0 ? FIRST_TXN_US : THINK_US.max, { kind: 'next' });
    }
    return state;
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'next' && state.collecting === null && state.begun < TXN_COUNT) begin(state, ctx);
    else if (timer.kind === 'vote-deadline' && state.collecting?.txn === timer.txn) decide(state, timer.txn, 'abort', ctx, BACKOFF_US);
  },
  onMessage(state, from, msg, ctx) {
    const known = state.decisions[String(msg.txn)];
    if (msg.kind === 'status' || (msg.kind === 'vote' && state.collecting?.txn !== msg.txn)) {
      // A question, or a vote too late to count: answer from the log if it is decided there.
      if (known !== undefined) ctx.send(from, { kind: 'decision', txn: msg.txn, decision: known });
    } else if (msg.kind === 'vote' && state.collecting !== null) {
      if (msg.vote === 'no') decide(state, msg.txn, 'abort', ctx);
      else if (!state.collecting.yes.includes(from)) {
        state.collecting.yes.push(from);
        if (state.collecting.yes.length === participantsOf(ctx).length) decide(state, msg.txn, 'commit', ctx);
      }
    }
  },
});
