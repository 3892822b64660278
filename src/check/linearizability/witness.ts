/**
 * What a person needs when a history is not linearizable: the order of
 * operations the checker got furthest with (the most completed operations
 * placed, and the fewest indeterminate ones), the state it leaves, and the
 * operations that could not come next — Porcupine's "longest partial
 * linearization", trimmed to the part that matters.
 */
import type { Operation } from '../history.ts';
import { ILLEGAL, type SequentialSpec } from './spec.ts';

/** Operations of the prefix shown in a report (the rest are counted). */
const PREFIX_SHOWN = 10;

/** Evidence that a history is not linearizable. */
export interface Witness<I = unknown, O = unknown> {
  /** The partition (key) the evidence is about, or null when the history is not partitioned. */
  partition: string | number | null;
  /** Operations in the partition. */
  partitionSize: number;
  /** The furthest order of operations that could be placed (most completed ones), in that order. */
  prefix: Operation<I, O>[];
  /** The state after `prefix`, for a person. */
  state: string;
  /** The operation whose return came before any order could place it. */
  blocked: Operation<I, O>;
  /** Completed operations that were pending at that point, none of which fits after `prefix` (the blocked one first). */
  stuck: { operation: Operation<I, O>; legalNext: boolean }[];
  /** The evidence as lines of text. */
  lines: string[];
}

/** Builds the witness from the search's deepest dead end. */
export function buildWitness<S, I, O>(
  key: string | number | null,
  operations: readonly Operation<I, O>[],
  prefixOps: readonly number[],
  blockedOp: number,
  spec: SequentialSpec<S, I, O>,
  formatTime: (time: number) => string = String,
): Witness<I, O> {
  const step = (state: S, op: number): S | typeof ILLEGAL => {
    const operation = operations[op]!;
    return spec.step(state, operation.input, operation.status === 'ok' ? operation.output : undefined);
  };
  let state = spec.init();
  for (const op of prefixOps) {
    const after = step(state, op);
    // The search placed these in this order, so each step is legal; a spec whose step is not pure breaks that.
    if (after === ILLEGAL) throw new Error(`${spec.name}: step is not deterministic (a placed operation became illegal on replay)`);
    state = after;
  }
  const placed = new Set(prefixOps);
  const blocked = operations[blockedOp]!;
  const stuck = [blockedOp, ...operations.keys()]
    .filter((op, i) => (i === 0 || op !== blockedOp) && !placed.has(op))
    .filter((op) => operations[op]!.status === 'ok' && operations[op]!.call <= blocked.ret)
    .map((op) => ({ operation: operations[op]!, legalNext: step(state, op) !== ILLEGAL }));
  const describeState = spec.describeState ?? ((s: S) => JSON.stringify(s));
  const witness: Witness<I, O> = {
    partition: key,
    partitionSize: operations.length,
    prefix: prefixOps.map((op) => operations[op]!),
    state: describeState(state),
    blocked,
    stuck,
    lines: [],
  };
  witness.lines = witnessLines(witness, spec, formatTime);
  return witness;
}

function witnessLines<S, I, O>(witness: Witness<I, O>, spec: SequentialSpec<S, I, O>, formatTime: (time: number) => string): string[] {
  const describe = (operation: Operation<I, O>): string => {
    const text = spec.describeOperation?.(operation.input, operation.output) ?? `${JSON.stringify(operation.input)} -> ${JSON.stringify(operation.output)}`;
    const span = `[${formatTime(operation.call)}..${operation.ret === Infinity ? '?' : formatTime(operation.ret)}]`;
    // A file's operations all share its path: the last segment is enough to find the line.
    const where = operation.source !== undefined ? `  ${operation.source.slice(operation.source.lastIndexOf('/') + 1)}` : '';
    return `#${String(operation.id).padEnd(5)} p${String(operation.process).padEnd(4)} ${text.padEnd(28)} ${span}${where}`;
  };
  const lines: string[] = [];
  const scope = witness.partition === null ? '' : ` of partition ${JSON.stringify(witness.partition)}`;
  const shown = witness.prefix.slice(-PREFIX_SHOWN);
  lines.push(`Placed in this order before the checker got stuck: ${witness.prefix.length} of ${witness.partitionSize} operation${witness.partitionSize === 1 ? '' : 's'}${scope}${witness.prefix.length > shown.length ? ` (last ${shown.length} shown)` : ''}:`);
  if (witness.prefix.length > shown.length) lines.push(`    … ${witness.prefix.length - shown.length} earlier`);
  for (const operation of shown) lines.push(`    ${describe(operation)}`);
  if (witness.prefix.length === 0) lines.push('    (none: not even the first operation fits)');
  lines.push(`State after it: ${witness.state}`);
  lines.push(`None of these can come next, yet ${describeShort(witness.blocked, spec)} had returned by ${formatTime(witness.blocked.ret)}:`);
  for (const { operation, legalNext } of witness.stuck) {
    lines.push(`    ${describe(operation)}  ${legalNext ? 'fits here, but nothing fits after it' : `impossible from state ${witness.state}`}`);
  }
  return lines;
}

function describeShort<S, I, O>(operation: Operation<I, O>, spec: SequentialSpec<S, I, O>): string {
  const text = spec.describeOperation?.(operation.input, operation.output) ?? JSON.stringify(operation.input);
  return `#${operation.id} ${text}`;
}
