/**
 * Log replication (Raft §5.3, §5.4.2 and Figure 2's AppendEntries RPC). The
 * leader sends each follower the entries from its nextIndex on, with the
 * index and term of the entry before them; the follower accepts only if its
 * log holds that entry (the consistency check), deletes an existing entry
 * that conflicts with a new one and everything after it, appends what it
 * lacks, persists, and only then answers. The leader advances commitIndex to
 * the highest index stored on a majority — counting only entries of its own
 * term (§5.4.2); older entries are committed with them, indirectly.
 */
import type { Draft } from 'immer';
import type { NodeContext } from '../../src/index.ts';
import { MAX_ENTRIES_PER_APPEND } from './config.ts';
import { observeTerm, resetElectionDeadline, serversOf } from './election.ts';
import { writeLogFrom } from './persist.ts';
import { applyCommitted } from './state-machine.ts';
import type { Msg, ServerState, Timer } from './types.ts';

type Ctx = NodeContext<Msg, Timer>;
type State = Draft<ServerState>;
type AppendEntries = Extract<Msg, { kind: 'appendEntries' }>;
type AppendReply = Extract<Msg, { kind: 'appendReply' }>;

/** Leader: sends `follower` the entries from its nextIndex on (at most MAX_ENTRIES_PER_APPEND; none is a heartbeat). */
export function sendAppendEntries(state: State, follower: string, ctx: Ctx): void {
  const prevLogIndex = state.nextIndex[follower]! - 1;
  ctx.send(follower, {
    kind: 'appendEntries',
    term: state.currentTerm,
    prevLogIndex,
    prevLogTerm: state.log.termAt(prevLogIndex) ?? 0,
    entries: state.log.entriesFrom(prevLogIndex + 1, MAX_ENTRIES_PER_APPEND),
    leaderCommit: state.commitIndex,
  });
}

/** Leader: AppendEntries to every follower. */
export function replicateToAll(state: State, ctx: Ctx): void {
  for (const follower of Object.keys(state.nextIndex)) sendAppendEntries(state, follower, ctx);
}

/** AppendEntries receiver (Figure 2, steps 1–5). */
export function onAppendEntries(state: State, leader: string, msg: AppendEntries, ctx: Ctx): void {
  const [termBefore, logBefore] = [state.currentTerm, state.log];
  observeTerm(state, msg.term, ctx);
  const reply = (success: boolean, matchIndex: number): void => {
    // Figure 2: persistent state is updated on stable storage before responding to RPCs.
    // Only a change needs the (costly) flush; most AppendEntries are heartbeats that change nothing.
    if (state.currentTerm !== termBefore || state.log !== logBefore) ctx.storage.sync();
    ctx.send(leader, { kind: 'appendReply', term: state.currentTerm, success, matchIndex });
  };
  // 1. Reply false if term < currentTerm.
  if (msg.term < state.currentTerm) return reply(false, state.log.lastIndex);
  // A candidate that hears from the leader of its term steps back (§5.2); anyone learns who leads.
  if (state.role === 'candidate') state.role = 'follower';
  state.leaderId = leader;
  resetElectionDeadline(state, ctx);
  // 2. Reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm.
  if (state.log.termAt(msg.prevLogIndex) !== msg.prevLogTerm) return reply(false, Math.min(state.log.lastIndex, msg.prevLogIndex - 1));
  // 3. and 4. Delete a conflicting entry and all that follow it; append any new entries not already in the log.
  const log = state.log;
  let index = msg.prevLogIndex + 1;
  let i = 0;
  while (i < msg.entries.length && log.termAt(index) === msg.entries[i]!.term) [index, i] = [index + 1, i + 1];
  if (i < msg.entries.length) {
    if (index <= log.lastIndex && index <= state.commitIndex && state.overwroteCommitted === null) {
      state.overwroteCommitted = { index, term: log.entryAt(index).term, byTerm: msg.entries[i]!.term };
    }
    const added = msg.entries.slice(i);
    state.log = log.replaceFrom(index, added);
    writeLogFrom(ctx, index, added);
  }
  const lastNewIndex = msg.prevLogIndex + msg.entries.length;
  // 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry).
  if (msg.leaderCommit > state.commitIndex) {
    state.commitIndex = Math.max(state.commitIndex, Math.min(msg.leaderCommit, lastNewIndex));
    applyCommitted(state, ctx);
  }
  reply(true, lastNewIndex);
}

/** AppendEntries response, at the leader: track what each follower holds, retry a refused one further back. */
export function onAppendReply(state: State, follower: string, msg: AppendReply, ctx: Ctx): void {
  observeTerm(state, msg.term, ctx);
  if (state.role !== 'leader' || msg.term !== state.currentTerm) return;
  if (msg.success) {
    // Replies may arrive late, twice or out of order: only ever move matchIndex forward.
    const matchIndex = Math.max(state.matchIndex[follower] ?? 0, msg.matchIndex);
    state.matchIndex[follower] = matchIndex;
    state.nextIndex[follower] = Math.max(state.nextIndex[follower] ?? 1, matchIndex + 1);
    const committed = advanceCommitIndex(state, ctx);
    // Send now rather than at the next heartbeat to a follower that is a full message or more behind (it is
    // catching up), and to the one whose answer just committed entries (so a follower learns the commit at once).
    if (committed || state.log.lastIndex - matchIndex >= MAX_ENTRIES_PER_APPEND) sendAppendEntries(state, follower, ctx);
  } else {
    // Figure 2: decrement nextIndex and retry; the follower's hint (its log's end) skips ahead, never below matchIndex + 1.
    const next = Math.min((state.nextIndex[follower] ?? 1) - 1, msg.matchIndex + 1);
    state.nextIndex[follower] = Math.max(next, (state.matchIndex[follower] ?? 0) + 1, 1);
    sendAppendEntries(state, follower, ctx);
  }
}

/**
 * Figure 2, leaders: "If there exists an N such that N > commitIndex, a
 * majority of matchIndex[i] ≥ N, and log[N].term == currentTerm: set
 * commitIndex = N". The highest N stored on a majority is the majority-th
 * largest of the match indices (the leader's own log counting as matching
 * it). The bug drops the term test (the Figure 8 mistake). Returns whether
 * commitIndex advanced.
 */
export function advanceCommitIndex(state: State, ctx: Ctx): boolean {
  const matched = [state.log.lastIndex, ...Object.values(state.matchIndex)].sort((a, b) => b - a);
  const n = matched[Math.floor(serversOf(ctx).length / 2)]!;
  if (n <= state.commitIndex) return false;
  if (state.log.termAt(n) !== state.currentTerm && !ctx.bug('commit-previous-term')) return false;
  state.commitIndex = n;
  applyCommitted(state, ctx);
  return true;
}
