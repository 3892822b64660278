/**
 * The transfers the clients really issued, read from the client history: each
 * `invoke` of a transfer names its client, seq, account and amount. The
 * adversary cannot write to the history, so it is the ground truth the
 * service's log is judged against.
 *
 * The history only grows during a run, and the property reads it after every
 * event, so the map is extended by the new invocations only; a history that
 * does not extend the one seen last (another run) starts it afresh.
 */
import type { HistoryEvent } from '../../src/index.ts';

/** A transfer invocation as the clients record it. */
type TransferInput = { f: 'transfer'; client: string; seq: number; to: string; amount: number };

let issued = new Map<string, string>();
let scanned = 0;
let lastSeen: HistoryEvent | undefined;

/** `"client:seq"` → `"to:amount"` for every transfer invoked in `history`. Shared: read it, do not keep it. */
export function issuedCommands(history: readonly HistoryEvent[]): ReadonlyMap<string, string> {
  if (history.length < scanned || (scanned > 0 && history[scanned - 1] !== lastSeen)) {
    issued = new Map();
    scanned = 0;
  }
  for (; scanned < history.length; scanned++) {
    const event = history[scanned] as HistoryEvent<TransferInput>;
    const input = event.input;
    if (event.type === 'invoke' && input?.f === 'transfer') issued.set(`${input.client}:${input.seq}`, `${input.to}:${input.amount}`);
  }
  lastSeen = history.at(-1);
  return issued;
}
