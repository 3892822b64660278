/**
 * The replicated state machine: a key-value map with get, put and append,
 * applied in log order up to commitIndex (Figure 2: "If commitIndex >
 * lastApplied: increment lastApplied, apply log[lastApplied] to state
 * machine"). The network duplicates and clients retry, so one command can
 * reach the log twice: each client process's last applied seq and its output
 * are kept in the state machine (a session, Raft §8), and a command already
 * applied is answered from there instead of being applied again.
 */
import type { Draft } from 'immer';
import type { KvInput, NodeContext } from '../../src/index.ts';
import type { Msg, ServerState, Timer } from './types.ts';

type State = Draft<ServerState>;

/** Runs one operation on the map; a get returns the value ("" for a key never written), put and append null. */
function execute(kv: Record<string, string>, op: KvInput): string | null {
  const key = String(op.key);
  switch (op.f) {
    case 'get':
      return kv[key] ?? '';
    case 'put':
      kv[key] = op.value;
      return null;
    case 'append':
      kv[key] = (kv[key] ?? '') + op.value;
      return null;
  }
}

/** Applies every committed entry not applied yet; a leader answers the client of each. */
export function applyCommitted(state: State, ctx: NodeContext<Msg, Timer>): void {
  const log = state.log;
  while (state.lastApplied < state.commitIndex) {
    state.lastApplied++;
    const { cmd } = log.entryAt(state.lastApplied);
    const session = state.sessions[cmd.process];
    if (session !== undefined && cmd.seq < session.seq) continue; // an old duplicate: its client has moved on
    const output = session === undefined || cmd.seq > session.seq ? execute(state.kv, cmd.op) : session.output;
    // Frozen, so immer does not walk every session for drafts at the end of each handler.
    state.sessions[cmd.process] = Object.freeze({ seq: cmd.seq, output });
    if (state.role === 'leader') ctx.send(cmd.client, { kind: 'reply', seq: cmd.seq, output });
  }
}
