/**
 * A Raft server: recovers its persistent state from disk at (re)start, with
 * the volatile state (commitIndex, lastApplied, the state machine) rebuilt
 * from zero, then routes RPCs, client requests and its two timer chains to
 * election.ts, replication.ts and the state machine.
 */
import type { Draft } from 'immer';
import { defineNode, type NodeContext } from '../../src/index.ts';
import { ELECTION_TIMEOUT_US, HEARTBEAT_INTERVAL_US } from './config.ts';
import { askForVotes, onRequestVote, onVote, resetElectionDeadline, startElection } from './election.ts';
import { RaftLog } from './log.ts';
import { loadPersistent, writeLogFrom } from './persist.ts';
import { onAppendEntries, onAppendReply, replicateToAll } from './replication.ts';
import type { Entry, Msg, ServerState, Timer } from './types.ts';

type Ctx = NodeContext<Msg, Timer>;
type ClientRequest = Extract<Msg, { kind: 'request' }>;

/**
 * A client request. A server that is not the leader points the client at the
 * leader it knows. The leader answers a command it already applied from the
 * client's session, and otherwise appends it to its log (synced, since the
 * leader counts its own log towards a majority); the next heartbeat carries
 * it to the followers (batching commands, which keeps a run's event count
 * low), and the answer goes out when the entry is applied.
 */
function onClientRequest(state: Draft<ServerState>, client: string, msg: ClientRequest, ctx: Ctx): void {
  if (state.role !== 'leader') return ctx.send(client, { kind: 'redirect', seq: msg.seq, leader: state.leaderId });
  if (msg.op.f === 'get' && ctx.bug('stale-leader-read')) {
    // The bug: a leader answers reads from its own state machine without
    // confirming with a majority that it still leads (and that it has applied
    // everything a newer leader may have committed).
    return ctx.send(client, { kind: 'reply', seq: msg.seq, output: state.kv[String(msg.op.key)] ?? '' });
  }
  const session = state.sessions[msg.process];
  if (session !== undefined && msg.seq <= session.seq) {
    if (msg.seq === session.seq) ctx.send(client, { kind: 'reply', seq: msg.seq, output: session.output });
    return;
  }
  const entry: Entry = { term: state.currentTerm, cmd: { client, process: msg.process, seq: msg.seq, op: msg.op } };
  state.log = state.log.append([entry]);
  writeLogFrom(ctx, state.log.lastIndex, [entry]);
  ctx.storage.sync();
}

/** The server role. */
export const server = defineNode<ServerState, Msg, Timer>({
  start(ctx, storage) {
    const { currentTerm, votedFor, log } = loadPersistent(storage);
    const electionTimeoutUs = ctx.random.between(ELECTION_TIMEOUT_US.min, ELECTION_TIMEOUT_US.max);
    ctx.setTimer(electionTimeoutUs, { kind: 'election' });
    return {
      currentTerm,
      votedFor,
      log: RaftLog.of(log),
      commitIndex: 0,
      lastApplied: 0,
      role: 'follower',
      leaderId: null,
      electionDeadlineUs: ctx.now + electionTimeoutUs,
      ticking: false,
      votes: [],
      nextIndex: {},
      matchIndex: {},
      kv: {},
      sessions: {},
      overwroteCommitted: null,
    };
  },
  onMessage(state, from, msg, ctx) {
    switch (msg.kind) {
      case 'requestVote':
        return onRequestVote(state, from, msg, ctx);
      case 'vote':
        return onVote(state, from, msg, ctx);
      case 'appendEntries':
        return onAppendEntries(state, from, msg, ctx);
      case 'appendReply':
        return onAppendReply(state, from, msg, ctx);
      case 'request':
        return onClientRequest(state, from, msg, ctx);
    }
  },
  onTimer(state, timer, ctx) {
    if (timer.kind === 'election') {
      // One timer chain checks the deadline, which every message from a leader pushes back (no cancel, re-arm per message).
      if (state.role !== 'leader' && ctx.now >= state.electionDeadlineUs) startElection(state, ctx);
      if (state.role === 'leader') resetElectionDeadline(state, ctx);
      ctx.setTimer(Math.max(1, state.electionDeadlineUs - ctx.now), { kind: 'election' });
    } else if (timer.kind === 'tick') {
      if (state.role === 'leader') replicateToAll(state, ctx);
      else if (state.role === 'candidate') askForVotes(state, ctx);
      // A follower needs no tick: the chain lapses until it stands for election again.
      state.ticking = state.role !== 'follower';
      if (state.ticking) ctx.setTimer(HEARTBEAT_INTERVAL_US, { kind: 'tick' });
    }
  },
});
