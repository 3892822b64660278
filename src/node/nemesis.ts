/**
 * Nemeses (in Jepsen's sense): targeted, state-aware fault setups a model
 * declares next to its bug flags. Random faults rarely hit a window of a few
 * milliseconds at the right node; a nemesis looks at the nodes every
 * `intervalUs` and strikes when the state says the window is open (crash a
 * leader holding unreplicated entries, a server that just voted).
 *
 * A run switches one on with the `nemeses` option (`--nemesis <name>`). Its
 * steps are scripted steps: traced with `"by":"script"`, counted in the run's
 * fault stats, re-applied from the trace by replay (where the nemesis itself
 * does not act again). It stops when the liveness phase begins.
 */
import type { SystemView } from '../check/property.ts';
import type { RandomStream } from '../random/stream.ts';
import type { NodeId } from '../trace/events.ts';

/** What a nemesis may do to the cluster when it acts. */
export interface NemesisControl {
  /** Virtual time now, microseconds. */
  readonly nowUs: number;
  /** This nemesis's own stream (`nemesis:<name>`), derived from the run's seed: its only source of choice. */
  readonly random: RandomStream;
  /** Crashes `node` if it is up; with `restartAfterUs`, restarts it that much later (if it is still down then). */
  crash(node: NodeId, restartAfterUs?: number): void;
  /** Restarts `node` if it is down. */
  restart(node: NodeId): void;
  /** Splits nodes into groups that cannot talk; unnamed nodes form one more group. */
  partition(groups: NodeId[][]): void;
  /** Cuts one node off from all others (both directions). */
  isolate(node: NodeId): void;
  /** Removes every partition. */
  heal(): void;
  /** Pauses `node` (stop-the-world) for `durationUs`. */
  pause(node: NodeId, durationUs: number): void;
}

/**
 * One nemesis. `M` is the memory it keeps between looks within one run
 * (made fresh by `init` for every run; none by default).
 */
export interface Nemesis<M = undefined> {
  /** One line for `faultline models` and `run <model> --help`. */
  description: string;
  /** How often it looks, microseconds of virtual time (first look at `intervalUs`). */
  intervalUs: number;
  /** Its memory at the start of a run (for example which votes it has seen). */
  init?(): M;
  /**
   * Looks at the nodes and acts through `control`. `view` is the read-only
   * view properties get: node states must not be changed.
   */
  act(view: SystemView, control: NemesisControl, memory: M): void;
}

/** A nemesis with its memory type erased, so nemeses with different memories can sit in one model. */
export interface ErasedNemesis {
  description: string;
  intervalUs: number;
  init?(): unknown;
  act(view: SystemView, control: NemesisControl, memory: never): void;
}

/** Declares a nemesis with its memory type checked at compile time. */
export function defineNemesis<M = undefined>(nemesis: Nemesis<M>): Nemesis<M> {
  return nemesis;
}

/** Letters, digits and dashes, starting with a letter (a CLI word). */
const NEMESIS_NAME = /^[a-z][a-z0-9-]*$/i;

/** Checks a model's `nemeses` record; `fail` throws the model's ModelDefinitionError. */
export function validateNemeses(nemeses: unknown, fail: (message: string) => never): void {
  if (typeof nemeses !== 'object' || nemeses === null || Array.isArray(nemeses)) {
    fail('"nemeses" must be an object mapping names to { description, intervalUs, act }');
  }
  for (const [name, value] of Object.entries(nemeses as Record<string, unknown>)) {
    const where = `nemeses[${JSON.stringify(name)}]`;
    if (!NEMESIS_NAME.test(name)) fail(`${where}: a nemesis name must be letters, digits and dashes, starting with a letter`);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object { description, intervalUs, act }`);
    const n = value as Record<string, unknown>;
    if (typeof n['description'] !== 'string') fail(`${where}.description must be a one-line string`);
    const intervalUs = n['intervalUs'];
    if (typeof intervalUs !== 'number' || !Number.isSafeInteger(intervalUs) || intervalUs < 1) {
      fail(`${where}.intervalUs must be a positive integer of microseconds, got ${String(intervalUs)}`);
    }
    if (typeof n['act'] !== 'function') fail(`${where}.act must be a function (view, control, memory)`);
    if (n['init'] !== undefined && typeof n['init'] !== 'function') fail(`${where}.init must be a function when given`);
  }
}
