/**
 * The figures a model's README gives for a bug flag: over seeds 0 .. count - 1,
 * the first seed that catches it, how many do, and which (kind, property)
 * caught them, so a test can hold all three in one sweep.
 */
import type { ModelDefinition } from '../../src/index.ts';
import { sweepSeeds } from './seed-sweep.ts';

/** What a bug flag's sweep saw. */
export interface BugFlagFigures {
  /** The first failing seed, or null when none failed. */
  firstSeed: number | null;
  /** How many seeds failed. */
  caught: number;
  /** Each distinct `kind: property` among the failures, sorted. */
  caughtBy: string[];
}

/** Runs `model` with bug flag `flag` on seeds 0 .. count - 1 (its default options otherwise). */
export function bugFlagFigures(model: ModelDefinition, flag: string, count: number): BugFlagFigures {
  const { failures } = sweepSeeds(model, count, { bugs: [flag] });
  const caughtBy = [...new Set(failures.map(({ failure }) => `${failure.kind}: ${failure.property ?? '(none)'}`))].sort();
  return { firstSeed: failures[0]?.seed ?? null, caught: failures.length, caughtBy };
}
