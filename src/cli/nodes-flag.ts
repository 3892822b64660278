/**
 * The `--nodes <role=n>[,<role=n>]` flag of `faultline run`: node counts that
 * replace the model's (`--nodes peer=10000`), parsed into the `nodes` option,
 * and the flag that re-creates them for the printed re-run command.
 */
import { InputError } from '../sim/errors.ts';
import type { SimOptions } from '../sim/options.ts';
import { parsePositiveInteger } from './flags.ts';

/** `peer=10000,client=3` → `{ peer: 10000, client: 3 }`; whether the roles exist is checked when the run is built. */
export function parseNodeCounts(text: string, flag: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z][\w-]*)\s*=\s*(\S+)\s*$/.exec(part);
    if (match === null) throw new InputError(`${flag}: "${part}" is not <role>=<count> (e.g. ${flag} peer=100)`);
    const [, role, count] = match as unknown as [string, string, string];
    if (Object.hasOwn(counts, role)) throw new InputError(`${flag}: role "${role}" is given twice`);
    counts[role] = parsePositiveInteger(count, `${flag} ${role}`);
  }
  return counts;
}

/** `--nodes` for the counts in `options` that differ from `baseline`'s; none when they agree. */
export function nodeCountFlags(options: SimOptions, baseline: SimOptions): string[] {
  const changed = Object.entries(options.nodes ?? {}).filter(([role, count]) => baseline.nodes?.[role] !== count);
  return changed.length === 0 ? [] : [`--nodes ${changed.map(([role, count]) => `${role}=${count}`).join(',')}`];
}
