/**
 * The report lines about a run's fault plan: what the profile's swarm
 * switched on and how hard (`swarm`), and the scripted scenario (`scenario`).
 */
import type { FaultPlanRecord } from '../faults/plan.ts';
import { PROFILES } from '../faults/profiles.ts';

/**
 * `chaos: on loss 0.028, crash every~1.422s down 26ms..103ms max 1; off duplicate, reorder`.
 * The options line says what is in effect (a flag may have overridden a choice).
 */
export function describeSwarm(plan: FaultPlanRecord): string {
  const name = plan.profile ?? '(none)';
  const swarm = plan.swarm;
  const settings = typeof swarm === 'object' && swarm !== null && !Array.isArray(swarm) ? Object.entries(swarm) : [];
  if (settings.length === 0) return `${name}: no fault kinds to choose (a calm network)`;
  const entries = PROFILES.find((profile) => profile.name === plan.profile)?.entries ?? [];
  const on: string[] = [];
  const off: string[] = [];
  for (const [kind, setting] of settings) {
    if (setting === null) {
      off.push(kind);
      continue;
    }
    // A trace from another faultline may name a kind this one lacks: show its setting as it was recorded.
    const entry = entries.find((e) => e.kind === kind);
    on.push(entry === undefined ? `${kind} ${JSON.stringify(setting)}` : entry.describe(setting));
  }
  const parts = [`on ${on.length === 0 ? 'nothing' : on.join(', ')}`];
  if (off.length > 0) parts.push(`off ${off.join(', ')}`);
  return `${name}: ${parts.join('; ')}`;
}

/** `plan.json: 4 steps, applied as scripted steps ("by":"script" in the trace)`. */
export function describeScenario(scenario: NonNullable<FaultPlanRecord['scenario']>): string {
  const steps = `${scenario.steps} ${scenario.steps === 1 ? 'step' : 'steps'}`;
  return `${scenario.file ?? 'scenario()'}: ${steps}, applied as scripted steps ("by":"script" in the trace)`;
}
