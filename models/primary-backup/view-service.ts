/**
 * The view service (MIT 6.824's viewservice): the one node that decides who is
 * primary and who is backup. Servers ping it every tick; one that has not
 * pinged for `DEAD_US` is presumed dead. It moves from view N to view N+1 only
 * after the primary of view N has acknowledged N (pinged with that number),
 * and the primary acknowledges only once its backup holds its whole state.
 * So a backup promoted to primary always has every write the old primary
 * answered, and a view whose primary never got that far is never left: the
 * service waits for that primary to come back rather than promote a server
 * without the data.
 */
import { defineNode, ms } from '../../src/index.ts';
import { NO_VIEW, type Msg, type Timer, type View } from './messages.ts';

/** How often servers ping and the view service looks for dead servers. */
export const TICK_US = ms(20);
/** A server silent this long is presumed dead (three missed pings). */
export const DEAD_US = 3 * TICK_US;

/** The view service's state (not crashable, so in memory only). */
export type ViewServiceState = {
  view: View;
  /** Whether the primary of `view` has acknowledged it. */
  acked: boolean;
  /** When each server last pinged, by the view service's clock. */
  lastPingUs: Record<string, number>;
  /** The first view whose primary took over from another primary (0: no failover yet). */
  firstFailoverView: number;
};

/** The next view, or null to stay: promote the backup if the primary died, fill an empty or dead backup slot. */
function nextView(state: ViewServiceState, servers: readonly string[], nowUs: number): View | null {
  const alive = (id: string | null): id is string => id !== null && nowUs - (state.lastPingUs[id] ?? -Infinity) <= DEAD_US;
  const { view } = state;
  const idle = (primary: string | null, backup: string | null): string | null =>
    servers.find((id) => id !== primary && id !== backup && alive(id)) ?? null;
  if (view.num === 0) {
    const primary = servers.find(alive) ?? null;
    return primary === null ? null : { num: 1, primary, backup: idle(primary, null) };
  }
  if (!state.acked) return null;
  if (!alive(view.primary)) {
    // Only the backup has the data; without a live one the service must wait for the primary.
    return alive(view.backup) ? { num: view.num + 1, primary: view.backup, backup: idle(view.backup, null) } : null;
  }
  if (view.backup !== null && !alive(view.backup)) return { num: view.num + 1, primary: view.primary, backup: idle(view.primary, null) };
  if (view.backup === null) {
    const backup = idle(view.primary, null);
    return backup === null ? null : { num: view.num + 1, primary: view.primary, backup };
  }
  return null;
}

/** The view service node. */
export const viewService = defineNode<ViewServiceState, Msg, Timer>({
  start(ctx) {
    ctx.setTimer(TICK_US, { kind: 'tick' });
    return { view: NO_VIEW, acked: false, lastPingUs: {}, firstFailoverView: 0 };
  },
  onMessage(state, from, msg, ctx) {
    if (msg.kind === 'ping') {
      state.lastPingUs[from] = ctx.now;
      if (from === state.view.primary && msg.viewnum === state.view.num) state.acked = true;
    } else if (msg.kind !== 'get-view') {
      return;
    }
    ctx.send(from, { kind: 'view', view: state.view });
  },
  onTimer(state, _timer, ctx) {
    ctx.setTimer(TICK_US, { kind: 'tick' });
    const next = nextView(state, ctx.nodesOf('server'), ctx.now);
    if (next === null) return;
    if (state.firstFailoverView === 0 && state.view.primary !== null && next.primary !== state.view.primary) state.firstFailoverView = next.num;
    ctx.log(`view ${next.num}: primary ${next.primary}, backup ${next.backup ?? 'none'}`);
    state.view = next;
    state.acked = false;
    // Tell the new primary and backup now rather than at their next ping: the sooner the primary
    // acknowledges, the shorter the time in which its failure would leave the service stuck.
    for (const id of [next.primary, next.backup]) if (id !== null) ctx.send(id, { kind: 'view', view: next });
  },
});
