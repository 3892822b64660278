/**
 * The vocabulary of the raft model: log entries, the commands they carry, the
 * RPCs of Figure 2 (RequestVote, AppendEntries) and the client messages, the
 * timers, and the state of a server and of a client.
 */
import type { KvInput } from '../../src/index.ts';
import type { RaftLog } from './log.ts';

/** A client command as it travels in the log: who asked, under which (process, seq), and what. */
export type Command = {
  /** The client node to answer when the entry is applied. */
  client: string;
  /** The client's history process; with `seq` the key the state machine deduplicates on. */
  process: number;
  seq: number;
  op: KvInput;
};

/** One log entry: the term of the leader that created it, and its command. */
export type Entry = {
  term: number;
  cmd: Command;
};

/** Messages between servers (Figure 2's RPCs) and between clients and servers. */
export type Msg =
  | { kind: 'requestVote'; term: number; lastLogIndex: number; lastLogTerm: number }
  | { kind: 'vote'; term: number; granted: boolean }
  | { kind: 'appendEntries'; term: number; prevLogIndex: number; prevLogTerm: number; entries: Entry[]; leaderCommit: number }
  /** `matchIndex`: on success the index of the last entry the follower now matches; on failure its last log index (a hint). */
  | { kind: 'appendReply'; term: number; success: boolean; matchIndex: number }
  | { kind: 'request'; process: number; seq: number; op: KvInput }
  | { kind: 'reply'; seq: number; output: string | null }
  /** Not the leader: try `leader` (null: this server knows no leader). */
  | { kind: 'redirect'; seq: number; leader: string | null };

/** Timer payloads. */
export type Timer =
  /** A server's election deadline check (one chain per server). */
  | { kind: 'election' }
  /** A server's heartbeat tick: a leader sends AppendEntries, a candidate re-asks for votes. */
  | { kind: 'tick' }
  /** A client: start the next operation. */
  | { kind: 'next' }
  /** A client: try another server for operation `seq`. */
  | { kind: 'retry'; seq: number }
  /** A client: give up on operation `seq`. */
  | { kind: 'deadline'; seq: number };

/** A server's role in its current term. */
export type Role = 'follower' | 'candidate' | 'leader';

/** What the state machine remembers per client process: its last applied seq and that command's output. */
export interface Session {
  seq: number;
  output: string | null;
}

/** A server's state: Figure 2's persistent and volatile state, plus the state machine. */
export interface ServerState {
  // Persistent state on all servers (on disk, synced before answering an RPC).
  currentTerm: number;
  votedFor: string | null;
  /** The log (immutable: a change assigns a new one). */
  log: RaftLog;
  // Volatile state on all servers.
  commitIndex: number;
  lastApplied: number;
  role: Role;
  /** The leader of `currentTerm` as far as this server knows, for redirecting clients. */
  leaderId: string | null;
  /** Virtual time (this server's clock) at which a follower or candidate starts an election. */
  electionDeadlineUs: number;
  /** Whether the heartbeat tick chain is armed (only candidates and leaders need it; a follower lets it lapse). */
  ticking: boolean;
  /** A candidate's votes in `currentTerm` (its own included). */
  votes: string[];
  // Volatile state on leaders (reinitialised after election).
  nextIndex: Record<string, number>;
  matchIndex: Record<string, number>;
  // The state machine (rebuilt from the log after a restart).
  kv: Record<string, string>;
  sessions: Record<string, Session>;
  /**
   * A history variable for the safety property, not part of Raft: the first
   * time this server replaced an entry at or below its commitIndex (an entry
   * it had learned was committed), or null. Correct Raft never does.
   */
  overwroteCommitted: { index: number; term: number; byTerm: number } | null;
}

/** A client: its request counter, the operation it waits for, and what it saw. */
export interface ClientState {
  seq: number;
  waiting: { seq: number; op: KvInput; redirects: number; retryTimer: number; deadlineTimer: number } | null;
  /** The server it believes leads. */
  leaderGuess: string;
  /** The processes it has run as, so a property can find its operations in the history. */
  processes: number[];
  /** Reads that returned a value some client wrote. */
  valuesRead: number;
}
