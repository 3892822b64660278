/**
 * Seed sweeps for the bundled models' tests: run a model over a range of
 * seeds and keep what failed, or look for the first seed that catches a bug
 * flag. Each failure keeps its seed, so a failing test can name the command
 * that replays it.
 */
import { runSimulation, type Failure, type ModelDefinition, type SimOptionsInput } from '../../src/index.ts';

/** One failing seed and why it failed. */
export interface SeedFailure {
  seed: number;
  failure: Failure;
}

/** What a sweep saw. */
export interface SweepResult {
  /** Seeds run. */
  seeds: number;
  failures: SeedFailure[];
}

/** Runs `model` on seeds `from` .. `from + count - 1` with `options` and returns every failure. */
export function sweepSeeds(model: ModelDefinition, count: number, options: SimOptionsInput = {}, from = 0): SweepResult {
  const failures: SeedFailure[] = [];
  for (let seed = from; seed < from + count; seed++) {
    const result = runSimulation(model, { ...options, seed });
    if (result.failure !== null) failures.push({ seed, failure: result.failure });
  }
  return { seeds: count, failures };
}

/**
 * The first seed in 0 .. maxSeeds - 1 on which `model` fails with `options`
 * (typically `{ bugs: [flag] }`), or null when none does.
 */
export function firstFailingSeed(model: ModelDefinition, options: SimOptionsInput, maxSeeds = 500): SeedFailure | null {
  for (let seed = 0; seed < maxSeeds; seed++) {
    const result = runSimulation(model, { ...options, seed });
    if (result.failure !== null) return { seed, failure: result.failure };
  }
  return null;
}

/** One line per failure, for an assertion message: seed, kind, property and the start of the message. */
export function describeFailures(modelName: string, failures: readonly SeedFailure[], extraFlags = ''): string {
  return failures
    .slice(0, 5)
    .map(({ seed, failure }) => `seed ${seed}: ${failure.kind} ${failure.property ?? ''}: ${failure.message.split('\n')[0]} (npx faultline run ${modelName} --seed ${seed}${extraFlags})`)
    .join('\n');
}
