/**
 * Two targeted fault setups (nemeses, in Jepsen's sense) for the raft model's
 * bug tests, on top of the model's default random faults. Each watches the
 * servers between events through scripted steps and crashes one at the
 * moment a known Raft failure needs; each is deterministic (its choices are
 * drawn from the run's seed by a fixed hash), so every failing run replays.
 *
 * - Leader crashes: a leader holding entries of its own term that no
 *   follower has yet is crashed (and restarted 30–150 ms later). That leaves
 *   uncommitted suffixes of different terms on different servers — the
 *   setting of the Raft paper's Figure 8.
 * - Voter crashes: a third of the servers that granted a vote since the
 *   last look (every 2 ms) are crashed (and restarted 20–100 ms later),
 *   usually before they have done anything else: with forget-vote, before
 *   anything has synced the vote.
 */
import { Simulation, ms, type ModelDefinition, type RunResult, type SimOptionsInput } from '../../src/index.ts';
import type { ServerState } from '../../models/raft/types.ts';

/** How often a nemesis looks at the servers. */
const LEADER_WATCH_US = ms(10);
const VOTE_WATCH_US = ms(2);

/** A fixed hash of (seed, n) into 0 .. range - 1: the nemesis's only source of choice. */
const draw = (seed: number, n: number, range: number): number => ((seed * 7919 + n * 104729) >>> 0) % range;

type Watch = (sim: Simulation, id: string, state: ServerState) => boolean;

/** Runs `model` with `options`, calling `shouldCrash` on every live server each `everyUs` until the liveness phase. */
function runWatched(model: ModelDefinition, options: SimOptionsInput & { seed: number }, everyUs: number, shouldCrash: Watch, downUs: { minUs: number; spanUs: number }): RunResult {
  const sim = new Simulation(model, options);
  const timeUs = options.timeUs ?? 4_000_000;
  const settleUs = options.settleUs ?? 1_000_000;
  const servers = model.roles.server!.count;
  let crashes = 0;
  for (let atUs = everyUs; atUs < timeUs - settleUs; atUs += everyUs) {
    sim.at(atUs, (control) => {
      for (let i = 0; i < servers; i++) {
        const id = `server${i}`;
        if (!sim.isUp(id) || !shouldCrash(sim, id, sim.stateOf<ServerState>(id)!)) continue;
        control.crash(id);
        const restartUs = control.nowUs + downUs.minUs + draw(options.seed, crashes++, downUs.spanUs);
        sim.at(restartUs, (later) => {
          if (!sim.isUp(id)) later.restart(id);
        });
      }
    });
  }
  return sim.run();
}

/** The model under its defaults plus leader crashes (see the file's header). Needs the model's default time budget. */
export function runWithLeaderCrashes(model: ModelDefinition, options: SimOptionsInput & { seed: number }): RunResult {
  const holdsUnreplicated: Watch = (_sim, _id, state) =>
    state.role === 'leader' && state.log.termAt(state.log.lastIndex) === state.currentTerm && Math.max(...Object.values(state.matchIndex)) < state.log.lastIndex;
  return runWatched(model, options, LEADER_WATCH_US, holdsUnreplicated, { minUs: ms(30), spanUs: ms(120) });
}

/** The model under its defaults plus voter crashes (see the file's header). */
export function runWithVoterCrashes(model: ModelDefinition, options: SimOptionsInput & { seed: number }): RunResult {
  const lastSeen = new Map<string, string>();
  let votes = 0;
  const justVoted: Watch = (_sim, id, state) => {
    const seen = `${state.currentTerm}/${state.votedFor}`;
    if (lastSeen.get(id) === seen) return false;
    lastSeen.set(id, seen);
    return state.votedFor !== null && state.votedFor !== id && draw(options.seed, votes++, 3) === 0;
  };
  return runWatched(model, options, VOTE_WATCH_US, justVoted, { minUs: ms(20), spanUs: ms(80) });
}
