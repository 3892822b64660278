/**
 * paxos — its properties. A value is chosen when a majority of acceptors
 * accepted it in one ballot; Paxos promises that at most one value is ever
 * chosen, and that every proposer learns it once the network lets them.
 */
import { always, eventually, sometimes, type NodeView, type SystemView } from '../../src/index.ts';
import { valuesChosenInHistory } from './acceptances.ts';
import type { ProposerState } from './proposer.ts';

function upNodesOf<S>(view: SystemView, role: string): S[] {
  return view.nodes.filter((node: NodeView) => node.role === role && node.up).map((node) => node.state as S);
}

/**
 * The values chosen so far: those a majority of acceptors accepted in one
 * ballot, read from the record of acceptances (acceptances.ts), which an
 * acceptor's crash cannot wipe, together with every value a proposer learned.
 */
export function chosenValues(view: SystemView): Set<string> {
  const acceptorCount = view.nodes.filter((node) => node.role === 'acceptor').length;
  const chosen = valuesChosenInHistory(view.history, acceptorCount);
  for (const proposer of upNodesOf<ProposerState>(view, 'proposer')) if (proposer.learned !== null) chosen.add(proposer.learned);
  return chosen;
}

/** The model's properties: one value (safety), everyone learns (liveness), and the path where a proposer adopts another's value. */
export const paxosProperties = [
  always('at most one value is chosen', (view) => chosenValues(view).size <= 1),
  eventually('every proposer learns the chosen value once faults stop', (view) =>
    view.nodes.every((node) => node.role !== 'proposer' || (node.up && (node.state as ProposerState).learned !== null)),
  ),
  // A proposer whose own value lost must have found the winner in its promises and proposed that instead.
  sometimes("a proposer learns another proposer's value", (view) =>
    upNodesOf<ProposerState>(view, 'proposer').some((proposer) => proposer.learned !== null && proposer.learned !== proposer.ownValue),
  ),
];
