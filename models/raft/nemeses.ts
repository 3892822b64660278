/**
 * The raft model's two nemeses: targeted fault setups, on top of the model's
 * default random faults, that crash one server at the moment a known Raft
 * failure needs. Random crashes almost never land in those few milliseconds
 * at the right server; these look at every server's state and strike then.
 * Their choices come from their own seeded streams, so every failing run
 * replays.
 *
 * - `leader-crashes` (looks every 10 ms): a leader holding entries of its own
 *   term that no follower has yet is crashed, and restarted 30–150 ms later.
 *   That leaves uncommitted suffixes of different terms on different servers
 *   — the setting of the paper's Figure 8, where `commit-previous-term`
 *   loses a committed entry.
 * - `voter-crashes` (looks every 2 ms): a third of the servers that granted a
 *   vote since the last look are crashed, and restarted 20–100 ms later,
 *   usually before they have done anything else: with `forget-vote`, before
 *   anything has synced the vote, so the server votes again in that term.
 */
import { defineNemesis, ms, type NemesisControl, type SystemView } from '../../src/index.ts';
import type { ServerState } from './types.ts';

/** How long a crashed server stays down: `minUs` plus up to `spanUs` more. */
interface Downtime {
  minUs: number;
  spanUs: number;
}

/** Crashes `id`, to be restarted after a downtime drawn from the nemesis's stream. */
function crashFor(control: NemesisControl, id: string, down: Downtime): void {
  control.crash(id, down.minUs + control.random.int(down.spanUs));
}

/** Every server that is up, with its state. */
function liveServers(view: SystemView): { id: string; state: ServerState }[] {
  return view.nodes.filter((node) => node.role === 'server' && node.up).map((node) => ({ id: node.id, state: node.state as ServerState }));
}

/** A leader whose last entry is of its own term and on no follower yet. */
function holdsUnreplicated(state: ServerState): boolean {
  if (state.role !== 'leader' || state.log.termAt(state.log.lastIndex) !== state.currentTerm) return false;
  return Math.max(...Object.values(state.matchIndex)) < state.log.lastIndex;
}

/** Crashes a leader holding unreplicated entries of its term (see the file's header). */
export const leaderCrashes = defineNemesis({
  description: 'crash a leader holding entries of its term that no follower has (Figure 8 setups), restart it 30-150 ms later',
  intervalUs: ms(10),
  act(view, control) {
    for (const { id, state } of liveServers(view)) {
      if (holdsUnreplicated(state)) crashFor(control, id, { minUs: ms(30), spanUs: ms(120) });
    }
  },
});

/** Crashes a third of the servers that just granted a vote (see the file's header). */
export const voterCrashes = defineNemesis({
  description: 'crash a third of the servers that just granted a vote, restart them 20-100 ms later',
  intervalUs: ms(2),
  /** Each server's `term/votedFor` at the last look: a change is a vote granted since. */
  init: () => new Map<string, string>(),
  act(view, control, lastSeen) {
    for (const { id, state } of liveServers(view)) {
      const seen = `${state.currentTerm}/${state.votedFor}`;
      if (lastSeen.get(id) === seen) continue;
      lastSeen.set(id, seen);
      const grantedToAnother = state.votedFor !== null && state.votedFor !== id;
      if (grantedToAnother && control.random.int(3) === 0) crashFor(control, id, { minUs: ms(20), spanUs: ms(80) });
    }
  },
});
