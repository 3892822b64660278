/**
 * Scenario actions on nodes, clocks and disks: `pause`, `skew`, `jump` and
 * `diskFull`. Durations are integer microseconds or strings as on the command
 * line (`"200ms"`, `"-50ms"`). Each calls the SimControl method of the same
 * name, which traces the step with `"by":"script"` so replay re-applies it;
 * the checks here refuse what that method would, so a bad step is refused
 * (naming its index) before the run starts.
 */
import { MAX_CLOCK_OFFSET_US, MAX_DRIFT_PPM } from '../sim/node-time-options.ts';
import type { NodeId } from '../trace/events.ts';
import { checkFields, defineAction, durationUs, isNodeId, readDuration, showValue, type ScenarioAction, type ScenarioDuration } from './scenario-args.ts';

/** `{ node, for }`: pause a node for a while. */
export type PauseArgs = { node: NodeId; for: ScenarioDuration };
/** `{ node, skew, driftPpm? }`: set a node's clock to true time + skew (and its drift). */
export type SkewArgs = { node: NodeId; skew: ScenarioDuration; driftPpm?: number };
/** `{ node, by }`: step a node's clock (negative: back). */
export type JumpArgs = { node: NodeId; by: ScenarioDuration };
/** `{ node, full }`: make a node's disk full, or give it room again. */
export type DiskFullArgs = { node: NodeId; full: boolean };

const DAY = 'a day';

/** Null when `args` has its fields and a node id; else what is wrong. */
function checkNodeStep(args: unknown, required: readonly string[], optional: readonly string[], example: string): string | null {
  const problem = checkFields(args, ['node', ...required], optional, example);
  if (problem !== null) return problem;
  const node = (args as { node: unknown }).node;
  return isNodeId(node) ? null : `"node" must be a node id (a non-empty string), got ${showValue(node)}`;
}

/** Null for a signed clock offset within a day either way; else what is wrong. */
function checkOffset(value: unknown, what: string): string | null {
  const us = readDuration(value, what, true);
  if (typeof us === 'string') return us;
  return Math.abs(us) <= MAX_CLOCK_OFFSET_US ? null : `"${what}" must be at most ${DAY} either way, got ${showValue(value)}`;
}

/** The node, clock and disk actions, in the order the README's table lists them. */
export const NODE_ACTIONS: readonly ScenarioAction[] = [
  defineAction<PauseArgs>({
    name: 'pause',
    example: '"pause": { "node": "server0", "for": "300ms" }',
    check: (args) => {
      const problem = checkNodeStep(args, ['for'], [], '{ "node": "server0", "for": "300ms" }');
      if (problem !== null) return problem;
      const us = readDuration((args as PauseArgs).for, 'for', false);
      if (typeof us === 'string') return us;
      return us > 0 ? null : `"for" must be longer than 0, got ${showValue((args as PauseArgs).for)}`;
    },
    nodes: ({ node }) => [node],
    apply: (control, { node, for: duration }) => control.pause(node, durationUs(duration, false)),
  }),
  defineAction<SkewArgs>({
    name: 'skew',
    example: '"skew": { "node": "server0", "skew": "-50ms", "driftPpm": 200 }',
    check: (args) => {
      const problem = checkNodeStep(args, ['skew'], ['driftPpm'], '{ "node": "server0", "skew": "-50ms" }') ?? checkOffset((args as SkewArgs).skew, 'skew');
      if (problem !== null) return problem;
      const drift = (args as SkewArgs).driftPpm;
      if (drift === undefined || (Number.isSafeInteger(drift) && Math.abs(drift) <= MAX_DRIFT_PPM)) return null;
      return `"driftPpm" must be an integer between -${MAX_DRIFT_PPM} and ${MAX_DRIFT_PPM}, got ${showValue(drift)}`;
    },
    nodes: ({ node }) => [node],
    apply: (control, { node, skew, driftPpm }) => control.skew(node, durationUs(skew, true), driftPpm),
  }),
  defineAction<JumpArgs>({
    name: 'jump',
    example: '"jump": { "node": "server0", "by": "-1s" }',
    check: (args) => checkNodeStep(args, ['by'], [], '{ "node": "server0", "by": "-1s" }') ?? checkOffset((args as JumpArgs).by, 'by'),
    nodes: ({ node }) => [node],
    apply: (control, { node, by }) => control.jump(node, durationUs(by, true)),
  }),
  defineAction<DiskFullArgs>({
    name: 'diskFull',
    example: '"diskFull": { "node": "server0", "full": true }',
    check: (args) => {
      const problem = checkNodeStep(args, ['full'], [], '{ "node": "server0", "full": true }');
      if (problem !== null) return problem;
      const full = (args as DiskFullArgs).full;
      return typeof full === 'boolean' ? null : `"full" must be true or false, got ${showValue(full)}`;
    },
    nodes: ({ node }) => [node],
    apply: (control, { node, full }) => control.diskFull(node, full),
  }),
];
