/**
 * Leader election (Raft §5.2 and Figure 2's RequestVote RPC). A follower that
 * hears no leader before its randomized election deadline becomes a
 * candidate: it increments its term, votes for itself, persists both and asks
 * every server for a vote. A server grants at most one vote per term, to a
 * candidate whose log is at least as up to date as its own (§5.4.1), and
 * persists that vote before it answers: a vote is a promise that must survive
 * a crash. A candidate with votes from a majority becomes leader.
 */
import type { Draft } from 'immer';
import type { NodeContext } from '../../src/index.ts';
import { ELECTION_TIMEOUT_US, HEARTBEAT_INTERVAL_US } from './config.ts';
import { writeTermAndVote } from './persist.ts';
import { sendAppendEntries } from './replication.ts';
import type { Msg, ServerState, Timer } from './types.ts';

type Ctx = NodeContext<Msg, Timer>;
type State = Draft<ServerState>;
type RequestVote = Extract<Msg, { kind: 'requestVote' }>;
type Vote = Extract<Msg, { kind: 'vote' }>;

/** The servers of the cluster (this one included). */
export const serversOf = (ctx: Ctx): readonly string[] => ctx.nodesOf('server');

/** Draws a fresh election deadline on this server's clock. */
export function resetElectionDeadline(state: State, ctx: Ctx): void {
  state.electionDeadlineUs = ctx.now + ctx.random.between(ELECTION_TIMEOUT_US.min, ELECTION_TIMEOUT_US.max);
}

/**
 * Figure 2, all servers: "If RPC request or response contains term T >
 * currentTerm: set currentTerm = T, convert to follower". Buffers the new
 * term; whoever answers next syncs it.
 */
export function observeTerm(state: State, term: number, ctx: Ctx): void {
  if (term <= state.currentTerm) return;
  state.currentTerm = term;
  state.votedFor = null;
  state.role = 'follower';
  state.leaderId = null;
  state.votes = [];
  writeTermAndVote(ctx, term, null);
}

/** Figure 2, candidates: increment currentTerm, vote for self, reset the election timer, send RequestVote to all other servers. */
export function startElection(state: State, ctx: Ctx): void {
  state.currentTerm++;
  state.role = 'candidate';
  state.votedFor = ctx.id;
  state.votes = [ctx.id];
  state.leaderId = null;
  writeTermAndVote(ctx, state.currentTerm, ctx.id);
  ctx.storage.sync(); // our own vote is a vote too: after a crash we must not vote for another in this term
  resetElectionDeadline(state, ctx);
  askForVotes(state, ctx);
  if (!state.ticking) {
    state.ticking = true;
    ctx.setTimer(HEARTBEAT_INTERVAL_US, { kind: 'tick' });
  }
}

/** Sends RequestVote to every server that has not granted its vote yet (a candidate retries unanswered ones). */
export function askForVotes(state: State, ctx: Ctx): void {
  const request: Msg = { kind: 'requestVote', term: state.currentTerm, lastLogIndex: state.log.lastIndex, lastLogTerm: state.log.lastTerm };
  for (const server of serversOf(ctx)) if (!state.votes.includes(server)) ctx.send(server, request);
}

/** RequestVote receiver (Figure 2). */
export function onRequestVote(state: State, candidate: string, msg: RequestVote, ctx: Ctx): void {
  observeTerm(state, msg.term, ctx);
  // §5.4.1: the candidate's log is at least as up to date: a later last term, or the same last term and at least as long.
  const ours = state.log;
  const logOk = msg.lastLogTerm > ours.lastTerm || (msg.lastLogTerm === ours.lastTerm && msg.lastLogIndex >= ours.lastIndex);
  const granted = msg.term === state.currentTerm && (state.votedFor === null || state.votedFor === candidate) && logOk;
  if (granted) {
    state.votedFor = candidate;
    writeTermAndVote(ctx, state.currentTerm, candidate);
    resetElectionDeadline(state, ctx);
  }
  // The vote must be on disk before the candidate can count it. The bug
  // answers from memory: a crash before some later sync forgets the vote, and
  // the restarted server may grant this term's vote to a second candidate.
  if (!ctx.bug('forget-vote')) ctx.storage.sync();
  ctx.send(candidate, { kind: 'vote', term: state.currentTerm, granted });
}

/** RequestVote response, at a candidate: a majority of votes makes it leader. */
export function onVote(state: State, voter: string, msg: Vote, ctx: Ctx): void {
  observeTerm(state, msg.term, ctx);
  if (state.role !== 'candidate' || msg.term !== state.currentTerm || !msg.granted) return;
  if (!state.votes.includes(voter)) state.votes.push(voter);
  if (state.votes.length * 2 > serversOf(ctx).length) becomeLeader(state, ctx);
}

/** Figure 2, leaders: reinitialise nextIndex and matchIndex, then assert leadership with AppendEntries to every server. */
function becomeLeader(state: State, ctx: Ctx): void {
  state.role = 'leader';
  state.leaderId = ctx.id;
  state.votes = [];
  state.nextIndex = {};
  state.matchIndex = {};
  for (const server of serversOf(ctx)) {
    if (server === ctx.id) continue;
    state.nextIndex[server] = state.log.lastIndex + 1;
    state.matchIndex[server] = 0;
  }
  ctx.log(`leader of term ${state.currentTerm}`);
  for (const server of Object.keys(state.nextIndex)) sendAppendEntries(state, server, ctx);
}
