/**
 * The vocabulary of the primary-backup model: views, the key-value operations
 * clients ask for, and every message and timer of the protocol.
 */
import type { KvInput } from '../../src/index.ts';

/** Who is primary and who is backup in view `num` (0: no view yet). */
export type View = { num: number; primary: string | null; backup: string | null };

/** The view before the view service has made one. */
export const NO_VIEW: View = { num: 0, primary: null, backup: null };

/** What a client asks for: a get or a put (the shapes of `kvSpec`). */
export type Op = Extract<KvInput, { f: 'get' } | { f: 'put' }>;

/** Messages of the protocol. */
export type Msg =
  // Servers ping the view service; `viewnum` is the view the sender acknowledges.
  | { kind: 'ping'; viewnum: number }
  | { kind: 'get-view' }
  | { kind: 'view'; view: View }
  // Client ↔ server.
  | { kind: 'request'; seq: number; op: Op }
  | { kind: 'reply'; seq: number; value: string | null; viewnum: number }
  | { kind: 'not-primary'; seq: number }
  // Primary ↔ backup. `opId` names the primary's attempt to replicate one operation.
  | { kind: 'forward'; viewnum: number; opId: number; version: number; client: string; seq: number; op: Op }
  | { kind: 'forwarded'; viewnum: number; opId: number }
  | { kind: 'transfer'; viewnum: number; version: number; kv: Record<string, string>; applied: Record<string, number> }
  | { kind: 'transferred'; viewnum: number; version: number };

/** Timer payloads. */
export type Timer = { kind: 'tick' } | { kind: 'next' } | { kind: 'timeout'; seq: number; attempt: number };
