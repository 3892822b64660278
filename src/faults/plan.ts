/**
 * A run's fault plan: its options with a profile's swarm choices folded in,
 * and the scripted scenario it plays. Layers, later ones winning:
 *
 *   defaults < the model's defaults < the profile (swarm choices for this seed,
 *   and a liveness phase) < the user's options
 *
 * so a flag the user gave always beats what the swarm chose. The result is
 * concrete options: a trace header stores them, and replay reads them without
 * drawing again. The swarm's choices are also kept (`FaultPlanRecord`) for
 * the header, the result and the report, so a reader sees what was chosen.
 */
import { resolveOptions, type SimOptions, type SimOptionsInput } from '../sim/options.ts';
import { InputError } from '../sim/errors.ts';
import type { JsonValue } from '../trace/events.ts';
import { findProfile, PROFILE_SETTLE_FRACTION } from './profiles.ts';
import { drawSwarm } from './swarm.ts';
import { SWARM_DIMENSIONS } from './swarm-dimensions.ts';
import { checkScenario, type Scenario } from './scenario.ts';

/** What a run's fault plan was, as the trace header and the result record it. */
export interface FaultPlanRecord {
  /** The profile's name, or null when the run named none. */
  profile: string | null;
  /**
   * Each kind of the profile, in profile order: the setting the swarm chose
   * for this seed, or null when it left the kind off (null without a profile).
   * The options in effect may differ where the user overrode them.
   */
  swarm: Record<string, JsonValue> | null;
  /** Kinds the swarm switched on, in profile order (empty without a profile). */
  swarmOn: string[];
  /** The scripted scenario: its file (null when built in code) and its number of steps; null without one. */
  scenario: { file: string | null; steps: number } | null;
}

/** Options of a run, its plan record (null when it has neither profile nor scenario), and its scenario. */
export interface PlannedRun {
  options: SimOptions;
  plan: FaultPlanRecord | null;
  scenario: Scenario | null;
}

/**
 * Resolves `input` over `modelDefaults` (either may name a `profile` or carry
 * a `scenario`; the user's wins). Without either, exactly resolveOptions.
 * Throws InputError for an unknown profile, a bad option or a bad scenario.
 */
export function resolvePlan(modelDefaults: SimOptionsInput | undefined, input: SimOptionsInput = {}): PlannedRun {
  const below = splitPlan(modelDefaults ?? {});
  const user = splitPlan(input);
  const profileName = user.profile !== undefined ? user.profile : below.profile;
  const scenario = user.scenario !== undefined ? user.scenario : below.scenario;
  if (scenario !== undefined) checkScenario(scenario);
  const scenarioRecord = scenario === undefined ? null : { file: scenario.file, steps: scenario.steps.length };
  if (profileName === undefined) {
    const options = resolveOptions(below.rest, user.rest);
    return { options, plan: scenarioRecord === null ? null : { profile: null, swarm: null, swarmOn: [], scenario: scenarioRecord }, scenario: scenario ?? null };
  }
  const profile = findProfile(profileName, 'profile (--profile)');
  // The user's and the model's options alone: the seed to draw with, the time budget to settle in.
  const plain = resolveOptions(below.rest, user.rest);
  const swarm = drawSwarm(profile.entries, plain.seed, SWARM_DIMENSIONS.map((dimension) => dimension.off));
  const settleGiven = user.rest.settleUs !== undefined || (below.rest.settleUs ?? 0) !== 0;
  const layer: SimOptionsInput = settleGiven ? swarm.layer : { ...swarm.layer, settleUs: Math.floor(plain.timeUs * PROFILE_SETTLE_FRACTION) };
  return {
    options: resolveOptions(below.rest, layer, user.rest),
    plan: { profile: profile.name, swarm: swarm.settings, swarmOn: swarm.on, scenario: scenarioRecord },
    scenario: scenario ?? null,
  };
}

/** The plan's own keys taken out of an options layer (resolveOptions does not know them). */
function splitPlan(layer: SimOptionsInput): { profile?: string; scenario?: Scenario; rest: SimOptionsInput } {
  if (typeof layer !== 'object' || layer === null) return { rest: layer };
  const { profile, scenario, ...rest } = layer;
  if (profile !== undefined && typeof profile !== 'string') {
    throw new InputError(`profile must be the name of a profile, got ${JSON.stringify(profile) ?? String(profile)}`);
  }
  return { ...(profile === undefined ? {} : { profile }), ...(scenario === undefined ? {} : { scenario }), rest };
}
