/**
 * two-phase-commit — a participant. Asked to prepare, it votes (yes with
 * probability 0.9: no stands for a constraint that failed), writing the vote
 * to its log and syncing before it answers. A no-voter aborts at once: the
 * coordinator cannot commit without it. A yes-voter has given up the right to
 * decide: it is uncertain until it learns the decision, and until then it
 * asks the coordinator every 25 ms (after a restart it re-reads its log and
 * goes on asking). Decisions are logged and synced.
 */
import { defineNode, ms, type DurableStorage } from '../../src/index.ts';
import type { Decision, Msg, Timer, Vote } from './messages.ts';

/** A participant's log. */
type ParticipantLog = {
  votes: Record<string, Vote>;
  decisions: Record<string, Decision>;
};

/** A participant's state: its log, and since when it has been uncertain per transaction (volatile, its own clock). */
export type ParticipantState = ParticipantLog & {
  uncertainSinceUs: Record<string, number>;
  /** Whether its poll timer is set (it is set only while something is uncertain). */
  polling: boolean;
};

const LOG_KEY = 'log';
const NO_VOTE_PROBABILITY = 0.1;
const POLL_INTERVAL_US = ms(25);
/** With `unilateral-abort`: how long a yes-voter waits before it aborts on its own. */
const UNILATERAL_TIMEOUT_US = ms(60);

/** Writes the log; `sync` false leaves it in the write cache, which a crash loses. */
function persist(state: ParticipantLog, storage: DurableStorage, sync = true): void {
  storage.put(LOG_KEY, { votes: state.votes, decisions: state.decisions });
  if (sync) storage.sync();
}

/** Transactions it voted yes on and has no decision for. */
export function uncertainTxns(log: ParticipantLog): string[] {
  return Object.keys(log.votes).filter((txn) => log.votes[txn] === 'yes' && log.decisions[txn] === undefined);
}

/**
 * The participant role. Bug flags: `unilateral-abort`, a yes-voter that waited
 * too long aborts on its own; `vote-not-synced`, the vote is answered before it
 * is synced.
 */
export const participant = defineNode<ParticipantState, Msg, Timer>({
  start(ctx, storage) {
    const log = storage.get<ParticipantLog>(LOG_KEY) ?? { votes: {}, decisions: {} };
    const uncertainSinceUs: Record<string, number> = {};
    for (const txn of uncertainTxns(log)) uncertainSinceUs[txn] = ctx.now;
    const polling = Object.keys(uncertainSinceUs).length > 0;
    if (polling) ctx.setTimer(POLL_INTERVAL_US, { kind: 'poll' });
    return { votes: { ...log.votes }, decisions: { ...log.decisions }, uncertainSinceUs, polling };
  },
  onMessage(state, from, msg, ctx) {
    const txn = String(msg.txn);
    if (msg.kind === 'prepare') {
      // A repeated prepare gets the vote already logged: a participant never changes its vote.
      let vote = state.votes[txn];
      if (vote === undefined) {
        vote = ctx.random.chance(NO_VOTE_PROBABILITY) ? 'no' : 'yes';
        state.votes[txn] = vote;
        if (vote === 'no') state.decisions[txn] = 'abort';
        else state.uncertainSinceUs[txn] = ctx.now;
        // With `vote-not-synced` the vote is answered from the write cache: a crash
        // loses it, and the participant forgets it ever promised to commit.
        persist(state, ctx.storage, !ctx.bug('vote-not-synced'));
        if (vote === 'yes' && !state.polling) {
          state.polling = true;
          ctx.setTimer(POLL_INTERVAL_US, { kind: 'poll' });
        }
      }
      ctx.send(from, { kind: 'vote', txn: msg.txn, vote });
    } else if (msg.kind === 'decision' && state.decisions[txn] === undefined) {
      state.decisions[txn] = msg.decision;
      delete state.uncertainSinceUs[txn];
      persist(state, ctx.storage);
    }
  },
  onTimer(state, _timer, ctx) {
    const uncertain = uncertainTxns(state);
    for (const txn of uncertain) {
      const waitedUs = ctx.now - (state.uncertainSinceUs[txn] ?? ctx.now);
      if (ctx.bug('unilateral-abort') && waitedUs >= UNILATERAL_TIMEOUT_US) {
        // The mistake: the coordinator may already have logged commit and told the others.
        state.decisions[txn] = 'abort';
        delete state.uncertainSinceUs[txn];
        persist(state, ctx.storage);
      } else {
        ctx.send(ctx.nodesOf('coordinator')[0]!, { kind: 'status', txn: Number(txn) });
      }
    }
    state.polling = uncertain.length > 0;
    if (state.polling) ctx.setTimer(POLL_INTERVAL_US, { kind: 'poll' });
  },
});
