/**
 * paxos — the acceptor. It promises to ignore ballots below the highest one
 * it has seen in a prepare (a repeated prepare of that ballot gets the same
 * promise again), and accepts a value only in a ballot it has not
 * promised away. Both the promise and the accepted value are on its disk and
 * synced before it answers: an acceptor that forgot a promise after a crash
 * would break the very guarantee it gave.
 */
import { defineNode, type DurableStorage } from '../../src/index.ts';
import { recordAcceptance } from './acceptances.ts';
import type { AcceptedPair, Msg, Timer } from './messages.ts';

/** An acceptor's state; all of it durable. */
export type AcceptorState = {
  /** The highest ballot it promised (0: none). */
  promised: number;
  /** The value it accepted in the highest ballot it accepted in, or null. */
  accepted: AcceptedPair | null;
};

const ACCEPTOR_KEY = 'acceptor';

/** Writes the state; `sync` false leaves it in the write cache, which a crash loses. */
function persist(state: AcceptorState, storage: DurableStorage, sync: boolean): void {
  storage.put(ACCEPTOR_KEY, state);
  if (sync) storage.sync();
}

/**
 * The acceptor role. Bug flags: `ignore-promise`, it accepts in any ballot,
 * even one below its promise; `forget-promise`, it answers before its promise
 * or acceptance is synced, so a crash can make it forget them.
 */
export const acceptor = defineNode<AcceptorState, Msg, Timer>({
  start: (_ctx, storage) => storage.get<AcceptorState>(ACCEPTOR_KEY) ?? { promised: 0, accepted: null },
  onMessage(state, from, msg, ctx) {
    const sync = !ctx.bug('forget-promise');
    if (msg.kind === 'prepare') {
      if (msg.ballot < state.promised) {
        ctx.send(from, { kind: 'reject', ballot: msg.ballot, promised: state.promised });
        return;
      }
      // A repeated prepare of the ballot already promised (a network duplicate)
      // gets the same promise again: rejecting it would make its proposer
      // abandon a ballot this acceptor is still bound to.
      if (msg.ballot > state.promised) {
        state.promised = msg.ballot;
        persist(state, ctx.storage, sync);
      }
      ctx.send(from, { kind: 'promise', ballot: msg.ballot, accepted: state.accepted });
    } else if (msg.kind === 'accept') {
      // The promise: never accept below the highest prepare answered. The bug forgets it.
      if (msg.ballot < state.promised && !ctx.bug('ignore-promise')) {
        ctx.send(from, { kind: 'reject', ballot: msg.ballot, promised: state.promised });
        return;
      }
      state.promised = Math.max(state.promised, msg.ballot);
      state.accepted = { ballot: msg.ballot, value: msg.value };
      persist(state, ctx.storage, sync);
      recordAcceptance(ctx, msg.ballot, msg.value);
      ctx.send(from, { kind: 'accepted', ballot: msg.ballot });
    }
  },
});
