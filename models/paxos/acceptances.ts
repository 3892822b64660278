/**
 * paxos — the record of every acceptance, kept where no crash can wipe it.
 *
 * A value is chosen the moment a majority of acceptors accept it in one
 * ballot, whatever they remember later: an acceptor that crashes and comes
 * back without its acceptance (the very mistake `forget-promise` makes) must
 * not take the evidence with it. So each acceptance is also written to the
 * run's history, as an operation of the acceptor that completes at once; the
 * nodes never read it, and the safety property counts acceptors per ballot
 * from it rather than from the acceptors' own memory.
 */
import type { HistoryEvent, NodeContext } from '../../src/index.ts';
import { majorityOf, type Msg, type Timer } from './messages.ts';

/** An acceptance as the history records it. */
type AcceptanceInput = { f: 'accepted'; acceptor: string; ballot: number; value: string };

/** Records that this acceptor accepted `value` in `ballot`. */
export function recordAcceptance(ctx: NodeContext<Msg, Timer>, ballot: number, value: string): void {
  ctx.invoke({ f: 'accepted', acceptor: ctx.id, ballot, value });
  ctx.complete('ok');
}

/**
 * The values a majority of the `acceptorCount` acceptors accepted in one
 * ballot, over every acceptance in `history` (each ballot carries one value,
 * so counting distinct acceptors per ballot suffices).
 */
export function valuesChosenInHistory(history: readonly HistoryEvent[], acceptorCount: number): Set<string> {
  const acceptorsPerBallot = new Map<number, { value: string; acceptors: Set<string> }>();
  for (const event of history) {
    const input = event.input as AcceptanceInput | undefined;
    if (event.type !== 'invoke' || input?.f !== 'accepted') continue;
    const entry = acceptorsPerBallot.get(input.ballot) ?? { value: input.value, acceptors: new Set<string>() };
    entry.acceptors.add(input.acceptor);
    acceptorsPerBallot.set(input.ballot, entry);
  }
  const chosen = new Set<string>();
  for (const { value, acceptors } of acceptorsPerBallot.values()) if (acceptors.size >= majorityOf(acceptorCount)) chosen.add(value);
  return chosen;
}
