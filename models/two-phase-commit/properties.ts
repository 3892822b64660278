/**
 * two-phase-commit — its properties: atomicity (safety), every transaction
 * decided once faults stop and every commit reaching every participant
 * (liveness, which the coordinator's absence blocks), and both outcomes seen (so a model that does nothing fails).
 */
import { always, eventually, sometimes, type SystemView } from '../../src/index.ts';
import type { CoordinatorState } from './coordinator.ts';
import { TXN_COUNT, type Decision } from './messages.ts';
import { uncertainTxns, type ParticipantState } from './participant.ts';

function participants(view: SystemView): { up: boolean; state: ParticipantState | undefined }[] {
  return view.nodes.filter((node) => node.role === 'participant').map((node) => ({ up: node.up, state: node.state as ParticipantState | undefined }));
}

function coordinatorOf(view: SystemView): CoordinatorState | undefined {
  return view.nodes.find((node) => node.role === 'coordinator')?.state as CoordinatorState | undefined;
}

/** Whether some transaction is recorded as committed by one node and aborted by another (coordinator included). */
export function atomicityViolated(view: SystemView): boolean {
  // Checked after every event: plain loops over plain records, no allocation per transaction.
  const seen: Record<string, Decision> = {};
  for (const node of view.nodes) {
    const decisions = (node.state as { decisions: Record<string, Decision> } | undefined)?.decisions;
    if (decisions === undefined) continue; // a node that is down shows nothing
    for (const txn in decisions) {
      const other = seen[txn];
      if (other === undefined) seen[txn] = decisions[txn]!;
      else if (other !== decisions[txn]) return true;
    }
  }
  return false;
}

/** Whether the coordinator decided all of the workload and no participant is left uncertain. */
export function everyTxnDecided(view: SystemView): boolean {
  const coordinator = coordinatorOf(view);
  if (coordinator === undefined || coordinator.begun < TXN_COUNT || coordinator.decisions[String(TXN_COUNT)] === undefined) return false;
  return participants(view).every((p) => p.up && p.state !== undefined && uncertainTxns(p.state).length === 0);
}

/**
 * Whether every participant is up and has logged commit for every transaction
 * the coordinator committed. Uncertainty alone cannot show a participant that
 * lost its vote (it is not uncertain, and never asks), so the coordinator's
 * log is the reference.
 */
export function everyCommitEverywhere(view: SystemView): boolean {
  const coordinator = coordinatorOf(view);
  if (coordinator === undefined) return false;
  const all = participants(view);
  for (const txn in coordinator.decisions) {
    if (coordinator.decisions[txn] !== 'commit') continue;
    if (!all.every((p) => p.state?.decisions[txn] === 'commit')) return false;
  }
  return true;
}

/** The model's properties. */
export const twoPhaseCommitProperties = [
  always('atomicity: no transaction commits at one node and aborts at another', (view) => !atomicityViolated(view)),
  eventually('every transaction is decided everywhere once faults stop', everyTxnDecided),
  eventually('every transaction the coordinator committed is committed at every participant', everyCommitEverywhere),
  sometimes('a transaction commits at every participant', (view) => {
    const all = participants(view);
    const first = all[0]?.state;
    if (first === undefined) return false;
    return Object.keys(first.decisions).some((txn) => all.every((p) => p.state?.decisions[txn] === 'commit'));
  }),
  sometimes('the coordinator aborts a transaction', (view) => Object.values(coordinatorOf(view)?.decisions ?? {}).includes('abort')),
];
