/**
 * Puts a scenario's steps on a simulation's queue as scripted steps
 * (`sim.at()`), after checking them against the model and the time budget.
 * They are traced with `"by":"script"`, so replay re-applies them from the
 * trace and needs no scenario.
 */
import type { SimControl } from '../sim/simulation.ts';
import type { NodeId } from '../trace/events.ts';
import { findAction } from './scenario-actions.ts';
import { checkScenario, checkScenarioForRun, type Scenario } from './scenario.ts';

/** What scheduling needs of a simulation. */
export interface ScenarioHost {
  readonly nodeIds: readonly NodeId[];
  readonly options: { readonly timeUs: number };
  at(atUs: number, action: (control: SimControl) => void): unknown;
}

/** Checks `scenario` (InputError naming the step) and schedules every step at its time, in order. */
export function scheduleScenario(host: ScenarioHost, scenario: Scenario): void {
  checkScenario(scenario);
  checkScenarioForRun(scenario, host.nodeIds, host.options.timeUs);
  for (const step of scenario.steps) {
    const action = findAction(step.action);
    // checkScenario refused unknown actions; this keeps the type checker honest.
    if (action === undefined) throw new Error(`unknown scenario action ${step.action}`);
    host.at(step.atUs, (control) => action.apply(control, step.args));
  }
}
