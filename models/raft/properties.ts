/**
 * The raft model's properties, in the words of the Raft paper's Figure 3
 * where they come from there: Election Safety, Log Matching / Leader
 * Completeness / State Machine Safety (as "committed entries are never lost or
 * changed"), and liveness once faults stop.
 */
import { always, eventually, ms, sometimes, type NodeView } from '../../src/index.ts';
import type { ClientState, Entry, ServerState } from './types.ts';

/** A client must have completed an operation `ok` this recently when the run ends. */
const PROGRESS_WINDOW_US = ms(500);

/** A live server's state, or null (a client, or a server that is down). */
const serverState = (node: NodeView): ServerState | null => (node.role === 'server' && node.up ? (node.state as ServerState) : null);

/** A live leader's state, or null. */
function leaderState(node: NodeView): ServerState | null {
  const state = serverState(node);
  return state?.role === 'leader' ? state : null;
}

const sameEntry = (a: Entry, b: Entry): boolean => a.term === b.term && a.cmd.process === b.cmd.process && a.cmd.seq === b.cmd.seq;

/** Election Safety: at most one leader can be elected in a given term (two leaders of one term never coexist). */
export const oneLeaderPerTerm = always('at most one leader per term', (view) => {
  // Checked after every event, so no allocation: compare each leader with the leaders after it.
  const nodes = view.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const a = leaderState(nodes[i]!);
    if (a === null) continue;
    for (let j = i + 1; j < nodes.length; j++) if (leaderState(nodes[j]!)?.currentTerm === a.currentTerm) return false;
  }
  return true;
});

/**
 * No server ever replaces an entry it knows is committed, and every live
 * server's committed prefix agrees with that of the live server that has
 * committed furthest (compared at the shorter prefix's last entry: by the Log
 * Matching Property, equal entries there mean equal prefixes).
 */
export const committedEntriesStay = always('committed entries are never lost or changed', (view) => {
  let furthest: ServerState | null = null;
  for (const node of view.nodes) {
    const state = serverState(node);
    if (state === null) continue;
    if (state.overwroteCommitted !== null) return false;
    if (furthest === null || state.commitIndex > furthest.commitIndex) furthest = state;
  }
  if (furthest === null) return true;
  for (const node of view.nodes) {
    const state = serverState(node);
    if (state !== null && state.commitIndex > 0 && !sameEntry(state.log.entryAt(state.commitIndex), furthest.log.entryAt(state.commitIndex))) return false;
  }
  return true;
});

/**
 * Once faults stop, a leader serves every client: each completed an operation
 * `ok` in the last PROGRESS_WINDOW_US (only a leader answers, once the entry
 * is committed and applied). Whether a server leads at the very instant the
 * run ends is not asked: loss goes on in the liveness phase, and a follower
 * that misses a few heartbeats rightly stands for election.
 */
export const leaderAndProgress = eventually('a leader serves every client once faults stop', (view) =>
  view.nodes.every((node) => {
    if (node.role !== 'client') return true;
    const mine = new Set((node.state as ClientState | undefined)?.processes ?? []);
    let lastOkUs = -Infinity;
    for (const event of view.history) if (event.type === 'ok' && mine.has(event.process)) lastOkUs = event.time;
    return node.up && view.nowUs - lastOkUs <= PROGRESS_WINDOW_US;
  }),
);

/** The workload really gets through: a client read a value that some client wrote. */
export const readAWrite = sometimes('a read returns a written value', (view) =>
  view.nodes.some((node) => node.role === 'client' && node.up && (node.state as ClientState).valuesRead > 0),
);

