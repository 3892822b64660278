/**
 * Scripted scenarios: a list of timed steps (crash, restart, partitions of
 * every shape, heal, clogs, pauses, clock skews and jumps, full disks) that a
 * simulation applies as a test's scripted steps, marked `"by":"script"` in
 * the trace so `faultline replay` re-applies them.
 *
 *   scenario().at(ms(200)).partition(['server0'], ['server1', 'server2'])
 *             .at(ms(900)).heal()
 *             .at(sec(1)).crash('server1').at(sec(2)).restart('server1')
 *             .at(sec(3)).clog('server0', 'inbound').pause('server2', '300ms')
 *
 * Pass it as the `scenario` option (`new Simulation(model, { seed, scenario })`),
 * or write the same as a JSON file for `faultline run --scenario FILE`
 * (scenario-file.ts). Steps at the same time run in the order given.
 */
import { formatDuration } from '../sim/duration.ts';
import { InputError } from '../sim/errors.ts';
import type { ClogRequest } from '../sim/network-control.ts';
import type { ClogDirection, JsonValue, NodeId } from '../trace/events.ts';
import { actionNames, findAction } from './scenario-actions.ts';
import type { ScenarioDuration } from './scenario-args.ts';
import { clogArgs } from './scenario-network-actions.ts';

/** One step: at virtual time `atUs`, do `action` with `args` (its JSON form, as in a scenario file). */
export interface ScenarioStep {
  readonly atUs: number;
  readonly action: string;
  readonly args: JsonValue;
}

/** A list of timed steps, in time order. */
export interface Scenario {
  /** How messages name it: the file's path, or `scenario()`. */
  readonly source: string;
  /** The file it was read from (so a printed command can repeat `--scenario`), or null. */
  readonly file: string | null;
  readonly steps: readonly ScenarioStep[];
}

/** Where a step is, for messages: `plan.json: steps[2] (crash)`. */
export function stepWhere(source: string, index: number, action?: string): string {
  return `${source}: steps[${index}]${action === undefined ? '' : ` (${action})`}`;
}

/**
 * Checks what can be checked without a model: times are non-negative integer
 * microseconds that never go back, every action exists, every argument has its
 * shape. Throws an InputError naming the source and the step's index.
 */
export function checkScenario(scenario: Scenario): void {
  if (typeof scenario !== 'object' || scenario === null || !Array.isArray(scenario.steps)) {
    throw new InputError(`scenario must be a scenario() or { source, file, steps: [...] }, got ${JSON.stringify(scenario) ?? String(scenario)}`);
  }
  let previousUs = 0;
  scenario.steps.forEach((step, index) => {
    checkStep(scenario.source, index, step, previousUs);
    previousUs = step.atUs;
  });
}

function checkStep(source: string, index: number, step: ScenarioStep, previousUs: number): void {
  const where = stepWhere(source, index);
  if (typeof step !== 'object' || step === null) throw new InputError(`${where}: not a step`);
  if (!Number.isSafeInteger(step.atUs) || step.atUs < 0) {
    throw new InputError(`${where}: time must be a non-negative integer of microseconds, got ${String(step.atUs)}`);
  }
  if (step.atUs < previousUs) {
    throw new InputError(
      `${where}: at ${formatDuration(step.atUs)} is before the step ahead of it (${formatDuration(previousUs)}); steps go in time order`,
    );
  }
  const action = typeof step.action === 'string' ? findAction(step.action) : undefined;
  if (action === undefined) {
    throw new InputError(`${where}: unknown action ${JSON.stringify(step.action) ?? String(step.action)} (known: ${actionNames().join(', ')})`);
  }
  const problem = action.check(step.args);
  if (problem !== null) throw new InputError(`${stepWhere(source, index, action.name)}: ${problem}; e.g. { "at": "1s", ${action.example} }`);
}

/**
 * Checks a scenario against the run it is given to: every node it names
 * exists, and no step comes after the time budget (it would never happen).
 */
export function checkScenarioForRun(scenario: Scenario, nodeIds: readonly NodeId[], timeUs: number): void {
  scenario.steps.forEach((step, index) => {
    const action = findAction(step.action);
    if (action === undefined) return;
    const where = stepWhere(scenario.source, index, action.name);
    for (const node of action.nodes(step.args)) {
      if (!nodeIds.includes(node)) throw new InputError(`${where}: unknown node "${node}" (nodes: ${nodeIds.join(', ')})`);
    }
    if (step.atUs > timeUs) {
      throw new InputError(`${where}: at ${formatDuration(step.atUs)} is after the time budget timeUs (--time) of ${formatDuration(timeUs)}`);
    }
  });
}

/** Builds a scenario step by step: `at(time)` sets the time of the steps that follow it. */
export class ScenarioBuilder implements Scenario {
  readonly source = 'scenario()';
  readonly file = null;
  private readonly list: ScenarioStep[] = [];
  private currentUs = 0;

  /** The steps so far, in order. */
  get steps(): readonly ScenarioStep[] {
    return this.list;
  }

  /** The steps after this run at virtual time `atUs` (integer microseconds: `ms(200)`, `sec(1)`), not before the previous `at`. */
  at(atUs: number): this {
    if (!Number.isSafeInteger(atUs) || atUs < 0) {
      throw new InputError(`scenario().at(${String(atUs)}): time must be a non-negative integer of microseconds (use ms() or sec())`);
    }
    if (atUs < this.currentUs) {
      throw new InputError(`scenario().at(${formatDuration(atUs)}) comes after at(${formatDuration(this.currentUs)}); steps go in time order`);
    }
    this.currentUs = atUs;
    return this;
  }

  /** Adds a step of any action, by name, with its JSON arguments (how actions without a method of their own are used). */
  step(action: string, args: JsonValue): this {
    const step: ScenarioStep = { atUs: this.currentUs, action, args };
    checkStep(this.source, this.list.length, step, this.currentUs);
    // A copy: the caller's arrays may change after this call; the step must not.
    this.list.push({ ...step, args: structuredClone(args) });
    return this;
  }

  /** Crashes `node` (a node already down stays down; nothing is traced). */
  crash(node: NodeId): this {
    return this.step('crash', node);
  }

  /** Restarts `node` (a node that is up is left alone; nothing is traced). */
  restart(node: NodeId): this {
    return this.step('restart', node);
  }

  /** Splits the nodes into groups that cannot talk; nodes not named form one more group. */
  partition(...groups: NodeId[][]): this {
    return this.step('partition', groups);
  }

  /** Removes every partition. */
  heal(): this {
    return this.step('heal', true);
  }

  /** Cuts `node` off from every other node, both ways (replaces the partition in effect). */
  isolate(node: NodeId): this {
    return this.step('isolate', node);
  }

  /** Two sides that cannot talk except through the node(s) named on both; nodes on neither form one more group. */
  bridge(sideA: NodeId[], sideB: NodeId[]): this {
    return this.step('bridge', [sideA, sideB]);
  }

  /** Drops every message from a `from` node to a `to` node; `to` still reaches `from`; other nodes are untouched. */
  partitionOneWay(from: NodeId[], to: NodeId[]): this {
    return this.step('partitionOneWay', { from, to });
  }

  /** Holds a node's traffic (`direction` inbound, outbound or both, the default), or one directed link's `{ from, to }`, until unclogged. */
  clog(target: NodeId | ClogRequest, direction?: ClogDirection): this {
    return this.step('clog', clogArgs(target, direction));
  }

  /** Lifts a clog (same shapes as clog); what it held goes on now, in the order it was held. */
  unclog(target: NodeId | ClogRequest, direction?: ClogDirection): this {
    return this.step('unclog', clogArgs(target, direction));
  }

  /** Pauses `node` (stop-the-world) for `duration`: integer microseconds or a string such as `'300ms'`. */
  pause(node: NodeId, duration: ScenarioDuration): this {
    return this.step('pause', { node, for: duration });
  }

  /** Sets `node`'s clock to read true time + `skew` (signed: `'-50ms'` or microseconds), and its drift when given. */
  skew(node: NodeId, skew: ScenarioDuration, driftPpm?: number): this {
    return this.step('skew', driftPpm === undefined ? { node, skew } : { node, skew, driftPpm });
  }

  /** Steps `node`'s clock by `by` (signed: `'-1s'` goes back). */
  jump(node: NodeId, by: ScenarioDuration): this {
    return this.step('jump', { node, by });
  }

  /** Makes `node`'s disk full (every put throws DiskFullError), or with `full` false gives it room again. */
  diskFull(node: NodeId, full = true): this {
    return this.step('diskFull', { node, full });
  }
}

/** Starts a scenario: `scenario().at(ms(200)).crash('server0')`. */
export function scenario(): ScenarioBuilder {
  return new ScenarioBuilder();
}
