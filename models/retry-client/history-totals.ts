/**
 * Running totals of the client history that the retry-client properties read
 * after every event: the sum of every add invoked, the sum of the adds
 * acknowledged, and when each process last had an operation acknowledged.
 *
 * The history only grows during a run, so the totals are kept for the last
 * history seen and extended by its new events; a history that is not an
 * extension of it (another run) starts them afresh. Without this, a property
 * checked after every event would rescan the whole history each time.
 */
import type { HistoryEvent } from '../../src/index.ts';
import type { CounterInput } from './counter-spec.ts';

/** What the properties need from the history so far. */
export interface HistoryTotals {
  /** Sum of the amounts of every add invoked (acknowledged, given up, or in flight). */
  invokedSum: number;
  /** Sum of the amounts of the adds completed `ok`. */
  acknowledgedSum: number;
  /** Virtual time of each process's last `ok`, microseconds. */
  lastOkUs: Map<number, number>;
}

interface Cache {
  totals: HistoryTotals;
  /** The amount of the add each process has in flight (0 for a read). */
  pendingAmount: Map<number, number>;
  /** Events consumed so far, and the last of them (to recognise an extension of the same history). */
  scanned: number;
  last: HistoryEvent | undefined;
}

const fresh = (): Cache => ({ totals: { invokedSum: 0, acknowledgedSum: 0, lastOkUs: new Map() }, pendingAmount: new Map(), scanned: 0, last: undefined });

let cache: Cache = fresh();

/** The totals of `history`. The returned object is shared: read it, do not keep it. */
export function historyTotals(history: readonly HistoryEvent[]): HistoryTotals {
  if (history.length < cache.scanned || (cache.scanned > 0 && history[cache.scanned - 1] !== cache.last)) cache = fresh();
  const { totals, pendingAmount } = cache;
  for (let i = cache.scanned; i < history.length; i++) {
    const event = history[i] as HistoryEvent<CounterInput>;
    if (event.type === 'invoke') {
      const amount = event.input?.f === 'add' ? event.input.amount : 0;
      totals.invokedSum += amount;
      pendingAmount.set(event.process, amount);
    } else if (event.type === 'ok') {
      totals.acknowledgedSum += pendingAmount.get(event.process) ?? 0;
      totals.lastOkUs.set(event.process, event.time);
    }
  }
  cache.scanned = history.length;
  cache.last = history.at(-1);
  return totals;
}
