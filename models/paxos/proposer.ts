/**
 * paxos — the proposer, which is also the learner of this model. It runs
 * ballots until one succeeds:
 *
 * 1. Prepare: pick a ballot above any it has used or been told of, persist
 *    its round (so a restart never reuses a ballot), and send `prepare`.
 * 2. On promises from a majority: propose the value of the highest ballot
 *    any of them accepted, or its own value if none did, in `accept`.
 * 3. On `accepted` from a majority: the value is chosen; it learns it and
 *    keeps it on disk.
 *
 * A rejection or a silent majority ends the ballot; it tries again after a
 * random backoff that grows with each failed attempt, because two proposers
 * that retry at once pre-empt each other for ever (duelling proposers).
 */
import { defineNode, ms, type DurableStorage, type NodeContext } from '../../src/index.ts';
import { ballotOf, majorityOf, roundOf, type AcceptedPair, type Msg, type Timer } from './messages.ts';

/** What a proposer keeps on disk. */
type ProposerDisk = {
  /** The highest round it has used. */
  round: number;
  /** The value it learned was chosen, or null. */
  learned: string | null;
};

/** A proposer's state: its disk, plus the ballot in progress (volatile). */
export interface ProposerState extends ProposerDisk {
  /** The value it proposes when no acceptor reports an accepted one. */
  ownValue: string;
  /** The lowest round its next ballot may use (above every promise it was told of). */
  nextRound: number;
  /** `preparing` and `accepting` have a ballot in flight; `waiting` is backing off. */
  phase: 'waiting' | 'preparing' | 'accepting' | 'learned';
  ballot: number;
  /** Acceptors that promised (phase 1) or accepted (phase 2) the ballot in flight. */
  votes: string[];
  /** The highest-ballot accepted value reported by the promises so far. */
  highest: AcceptedPair | null;
  /** The value sent in `accept` for the ballot in flight. */
  proposal: string | null;
  /** Ballots that failed since the last restart (the backoff grows with it). */
  failedBallots: number;
}

const PROPOSER_KEY = 'proposer';
/** The first ballot begins this long after time 0 (proposers start close together, so they duel). */
const FIRST_BEGIN_US = { min: 0, max: ms(60) };
/** A restarted proposer begins again after this long. */
const RESTART_BEGIN_US = { min: ms(1), max: ms(20) };
/** A ballot without a majority after this long is abandoned (a round trip is 2–20 ms). */
const BALLOT_TIMEOUT_US = ms(40);
/** The backoff after the first failed ballot, doubled after each further one up to the cap. */
const BACKOFF_BASE_US = ms(10);
const BACKOFF_CAP_US = ms(80);

function persist(state: ProposerDisk, storage: DurableStorage): void {
  storage.put(PROPOSER_KEY, { round: state.round, learned: state.learned });
  storage.sync();
}

function acceptorsOf(ctx: NodeContext<Msg, Timer>): readonly string[] {
  return ctx.nodesOf('acceptor');
}

/** Ends the ballot in flight and schedules the next after a randomized, growing backoff. */
function backOff(state: ProposerState, ctx: NodeContext<Msg, Timer>): void {
  state.phase = 'waiting';
  state.failedBallots++;
  const ceilingUs = Math.min(BACKOFF_CAP_US, BACKOFF_BASE_US * 2 ** Math.min(state.failedBallots, 4));
  ctx.setTimer(ctx.random.between(BACKOFF_BASE_US / 2, ceilingUs), { kind: 'begin' });
}

function beginBallot(state: ProposerState, ctx: NodeContext<Msg, Timer>): void {
  state.round = Math.max(state.round + 1, state.nextRound);
  persist(state, ctx.storage); // before the prepare leaves: a restart must not reuse this ballot
  state.ballot = ballotOf(state.round, ctx.nodesOf('proposer').indexOf(ctx.id));
  state.phase = 'preparing';
  state.votes = [];
  state.highest = null;
  state.proposal = null;
  for (const acceptor of acceptorsOf(ctx)) ctx.send(acceptor, { kind: 'prepare', ballot: state.ballot });
  ctx.setTimer(BALLOT_TIMEOUT_US, { kind: 'give-up', ballot: state.ballot });
}

/** Counts a promise; with a majority, proposes the value the promises force (or its own). */
function onPromise(state: ProposerState, from: string, accepted: AcceptedPair | null, ctx: NodeContext<Msg, Timer>): void {
  if (state.votes.includes(from)) return; // a duplicated promise
  state.votes.push(from);
  if (accepted !== null && (state.highest === null || accepted.ballot > state.highest.ballot)) state.highest = accepted;
  if (state.votes.length < majorityOf(acceptorsOf(ctx).length)) return;
  state.phase = 'accepting';
  state.votes = [];
  state.proposal = state.highest?.value ?? state.ownValue;
  for (const acceptor of acceptorsOf(ctx)) ctx.send(acceptor, { kind: 'accept', ballot: state.ballot, value: state.proposal });
}

/** Counts an acceptance; with a majority the proposal is chosen, and learned. */
function onAccepted(state: ProposerState, from: string, ctx: NodeContext<Msg, Timer>): void {
  if (state.votes.includes(from)) return;
  state.votes.push(from);
  if (state.votes.length < majorityOf(acceptorsOf(ctx).length)) return;
  state.phase = 'learned';
  state.learned = state.proposal;
  persist(state, ctx.storage);
  ctx.log(`learned ${String(state.learned)} in ballot ${state.ballot}`);
}

/** The proposer role: proposes `v-<its id>`, learns what is chosen. */
export const proposer = defineNode<ProposerState, Msg, Timer>({
  start(ctx, storage) {
    const stored = storage.get<ProposerDisk>(PROPOSER_KEY);
    const disk = stored ?? { round: 0, learned: null };
    const beginUs = stored === undefined ? FIRST_BEGIN_US : RESTART_BEGIN_US;
    if (disk.learned === null) ctx.setTimer(ctx.random.between(beginUs.min, beginUs.max), { kind: 'begin' });
    return {
      ...disk,
      ownValue: `v-${ctx.id}`,
      nextRound: 0,
      phase: disk.learned === null ? 'waiting' : 'learned',
      ballot: 0,
      votes: [],
      highest: null,
      proposal: null,
      failedBallots: 0,
    };
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'begin' && state.phase === 'waiting') beginBallot(state, ctx);
    else if (timer.kind === 'give-up' && timer.ballot === state.ballot && (state.phase === 'preparing' || state.phase === 'accepting')) {
      backOff(state, ctx);
    }
  },
  onMessage(state, from, msg, ctx) {
    if (!('ballot' in msg) || msg.ballot !== state.ballot) return; // an answer to an older ballot
    if (msg.kind === 'promise' && state.phase === 'preparing') onPromise(state, from, msg.accepted, ctx);
    else if (msg.kind === 'accepted' && state.phase === 'accepting') onAccepted(state, from, ctx);
    else if (msg.kind === 'reject' && (state.phase === 'preparing' || state.phase === 'accepting')) {
      state.nextRound = Math.max(state.nextRound, roundOf(msg.promised) + 1);
      backOff(state, ctx);
    }
  },
});
