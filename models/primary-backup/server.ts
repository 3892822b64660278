/**
 * A key-value server of the primary-backup model. It is primary, backup or
 * idle as the newest view it has heard of says.
 *
 * As primary it takes one client operation at a time. A put is applied and
 * made durable, then forwarded to the backup; a get is forwarded too, only so
 * the backup confirms it is still in the primary's view. The primary answers
 * the client only after the backup acknowledged, so every answered write is on
 * both, and a primary that was replaced (the new primary, its old backup,
 * refuses the old view) cannot answer at all. Writes carry (client, seq):
 * a retried put that was applied is answered again, not applied again.
 *
 * A primary whose view names a backup it has not brought up to date sends it
 * its whole state (kv, dedup table, version) and serves nobody until the
 * backup acknowledged that very version; only then does it acknowledge the
 * view to the view service (see view-service.ts for why).
 *
 * As backup it applies forwarded puts in version order, and accepts both
 * forwards and state transfers only from the primary of its own view.
 */
import { defineNode, type NodeContext } from '../../src/index.ts';
import { NO_VIEW, type Msg, type Op, type Timer, type View } from './messages.ts';
import { TICK_US } from './view-service.ts';

/** What a server keeps on its disk (synced before it acknowledges or answers anything). */
export type DurableServerState = {
  view: View;
  kv: Record<string, string>;
  /** The last put seq applied per client: a put at or below it is a retry or a duplicate. */
  applied: Record<string, number>;
  /** Puts applied so far in this server's line of states (a transfer sets it to the primary's). */
  version: number;
  /** The view in which this server, as backup, last received the primary's whole state. */
  syncedView: number;
  /**
   * Numbers the primary's replication attempts. On disk so that a restarted
   * primary never reuses one: a late acknowledgement of an attempt from before
   * the crash must not pass for one of a new operation.
   */
  opId: number;
};

/** The operation the primary is replicating. */
type Pending = { client: string; seq: number; op: Op; opId: number };

/** A server's state: the durable part, and the primary's work in progress (lost in a crash). */
export type ServerState = DurableServerState & {
  /** The view in which the backup acknowledged the primary's whole state (primary only). */
  readyView: number;
  pending: Pending | null;
  /** Requests waiting for the primary, one per client (the newest). */
  queue: Record<string, { seq: number; op: Op }>;
};

type Ctx = NodeContext<Msg, Timer>;

const DISK_KEY = 'server';
const VIEW_SERVICE = 'viewservice0';

function persist(state: ServerState, ctx: Ctx): void {
  const { view, kv, applied, version, syncedView, opId } = state;
  ctx.storage.put(DISK_KEY, { view, kv, applied, version, syncedView, opId });
  ctx.storage.sync();
}

const isPrimary = (state: ServerState, ctx: Ctx): boolean => state.view.primary === ctx.id;
/** Whether the backup of the view has the primary's whole state (or there is no backup). */
const isReady = (state: ServerState): boolean => state.view.backup === null || state.readyView === state.view.num;

/** Sends the backup what it lacks: the whole state if it is not ready, else the pending operation. */
function replicate(state: ServerState, ctx: Ctx): void {
  const { view } = state;
  if (!isPrimary(state, ctx) || view.backup === null) return;
  if (!isReady(state)) {
    ctx.send(view.backup, { kind: 'transfer', viewnum: view.num, version: state.version, kv: state.kv, applied: state.applied });
  } else if (state.pending !== null) {
    const { client, seq, op, opId } = state.pending;
    ctx.send(view.backup, { kind: 'forward', viewnum: view.num, opId, version: state.version, client, seq, op });
  }
}

/** Answers the pending operation's client and clears it. */
function finish(state: ServerState, ctx: Ctx): void {
  const pending = state.pending;
  if (pending === null) return;
  const value = pending.op.f === 'get' ? (state.kv[pending.op.key] ?? '') : null;
  ctx.send(pending.client, { kind: 'reply', seq: pending.seq, value, viewnum: state.view.num });
  state.pending = null;
}

/** Starts queued requests, one at a time, while this server is a ready primary with nothing pending. */
function startNext(state: ServerState, ctx: Ctx): void {
  while (state.pending === null && isPrimary(state, ctx) && isReady(state)) {
    const client = Object.keys(state.queue).sort()[0];
    if (client === undefined) return;
    const { seq, op } = state.queue[client] as { seq: number; op: Op };
    delete state.queue[client];
    if (op.f === 'put' && (state.applied[client] ?? 0) >= seq) {
      // Applied before, and replicated before this primary became ready: answer it again.
      ctx.send(client, { kind: 'reply', seq, value: null, viewnum: state.view.num });
      continue;
    }
    if (op.f === 'put') {
      state.kv[op.key] = op.value;
      state.applied[client] = seq;
      state.version++;
    }
    state.opId++;
    persist(state, ctx);
    state.pending = { client, seq, op, opId: state.opId };
    if (state.view.backup === null) finish(state, ctx);
    else replicate(state, ctx);
  }
}

/** Takes a newer view; a server that is no longer primary drops what it was doing (clients retry). */
function adoptView(state: ServerState, view: View, ctx: Ctx): void {
  if (view.num <= state.view.num) return;
  state.view = view;
  persist(state, ctx);
  if (!isPrimary(state, ctx)) {
    state.pending = null;
    state.queue = {};
    return;
  }
  replicate(state, ctx);
  startNext(state, ctx);
}

/** Whether a message from `from` comes from the primary of this backup's view `viewnum`. */
const fromMyPrimary = (state: ServerState, from: string, viewnum: number, ctx: Ctx): boolean =>
  state.view.num === viewnum && state.view.backup === ctx.id && state.view.primary === from;

/** Backup: takes the primary's whole state; a stale copy of an older transfer in this view is ignored. */
function onTransfer(state: ServerState, from: string, msg: Extract<Msg, { kind: 'transfer' }>, ctx: Ctx): void {
  if (!fromMyPrimary(state, from, msg.viewnum, ctx)) return;
  if (state.syncedView === msg.viewnum && msg.version < state.version) return;
  [state.kv, state.applied, state.version, state.syncedView] = [{ ...msg.kv }, { ...msg.applied }, msg.version, msg.viewnum];
  persist(state, ctx);
  ctx.send(from, { kind: 'transferred', viewnum: msg.viewnum, version: msg.version });
}

/** Backup: applies a forwarded put in version order (a duplicate is acknowledged again), confirms a get. */
function onForward(state: ServerState, from: string, msg: Extract<Msg, { kind: 'forward' }>, ctx: Ctx): void {
  if (!fromMyPrimary(state, from, msg.viewnum, ctx) || state.syncedView !== msg.viewnum) return;
  if (msg.op.f === 'put' && msg.version === state.version + 1) {
    state.kv[msg.op.key] = msg.op.value;
    state.applied[msg.client] = msg.seq;
    state.version = msg.version;
    persist(state, ctx);
  } else if (msg.version > state.version) {
    return; // a gap: the primary transfers its state again before going on
  }
  ctx.send(from, { kind: 'forwarded', viewnum: msg.viewnum, opId: msg.opId });
}

/** Primary: a backup's acknowledgement of a transfer or a forward. */
function onBackupAck(state: ServerState, from: string, msg: Extract<Msg, { kind: 'transferred' | 'forwarded' }>, ctx: Ctx): void {
  if (!isPrimary(state, ctx) || from !== state.view.backup || msg.viewnum !== state.view.num) return;
  if (msg.kind === 'transferred') {
    // Only an acknowledgement of the state as it is now counts (not a late copy of an older one).
    if (msg.version !== state.version) return;
    state.readyView = msg.viewnum;
    ctx.send(VIEW_SERVICE, { kind: 'ping', viewnum: msg.viewnum }); // acknowledge the view at once
    if (state.pending?.op.f === 'put') finish(state, ctx); // the transfer carried it
    else replicate(state, ctx);
  } else if (state.pending?.opId === msg.opId) {
    finish(state, ctx);
  }
  startNext(state, ctx);
}

/** A client's request: the primary queues it; anyone else says so (or, with the bug, a backup answers a get). */
function onRequest(state: ServerState, from: string, msg: Extract<Msg, { kind: 'request' }>, ctx: Ctx): void {
  if (isPrimary(state, ctx)) {
    if (state.pending?.client === from && state.pending.seq === msg.seq) return; // a retry of what is in flight
    state.queue[from] = { seq: msg.seq, op: msg.op };
    startNext(state, ctx);
  } else if (ctx.bug('read-from-backup') && msg.op.f === 'get' && state.view.backup === ctx.id) {
    // The bug: the backup answers from its own copy, which may be from a view that has moved on.
    ctx.send(from, { kind: 'reply', seq: msg.seq, value: state.kv[msg.op.key] ?? '', viewnum: state.view.num });
  } else {
    ctx.send(from, { kind: 'not-primary', seq: msg.seq });
  }
}

/** The server node. */
export const server = defineNode<ServerState, Msg, Timer>({
  start(ctx, storage) {
    ctx.setTimer(TICK_US, { kind: 'tick' });
    const durable = storage.get<DurableServerState>(DISK_KEY) ?? { view: NO_VIEW, kv: {}, applied: {}, version: 0, syncedView: 0, opId: 0 };
    return { ...durable, readyView: 0, pending: null, queue: {} };
  },
  onMessage(state, from, msg, ctx) {
    switch (msg.kind) {
      case 'view':
        return adoptView(state, msg.view, ctx);
      case 'request':
        return onRequest(state, from, msg, ctx);
      case 'transfer':
        return onTransfer(state, from, msg, ctx);
      case 'forward':
        return onForward(state, from, msg, ctx);
      case 'transferred':
      case 'forwarded':
        return onBackupAck(state, from, msg, ctx);
    }
  },
  onTimer(state, _timer, ctx) {
    ctx.setTimer(TICK_US, { kind: 'tick' });
    // A primary acknowledges its view only once its backup is ready (0 acknowledges nothing).
    const viewnum = isPrimary(state, ctx) && !isReady(state) ? 0 : state.view.num;
    ctx.send(VIEW_SERVICE, { kind: 'ping', viewnum });
    replicate(state, ctx); // retransmits what may have been lost
  },
});
