/**
 * Puts a model's nemeses (src/node/nemesis.ts) on a simulation: each looks
 * every `intervalUs` through a scripted step (`sim.at()`), so what it does is
 * traced with `"by":"script"` and replay re-applies it from the trace without
 * the nemesis. A look that does nothing leaves no mark in the trace.
 */
import type { ErasedNemesis, NemesisControl } from '../node/nemesis.ts';
import type { ModelDefinition } from '../node/model.ts';
import type { SystemView } from '../check/property.ts';
import type { SimControl } from '../sim/simulation.ts';
import { RandomStream, StreamName } from '../random/stream.ts';
import { InputError } from '../sim/errors.ts';
import type { NodeId } from '../trace/events.ts';

/** What scheduling needs of a simulation. */
export interface NemesisHost {
  readonly options: { readonly seed: number };
  /** The read-only view properties get. */
  readonly view: SystemView;
  /** True once the liveness phase began: a nemesis stops there. */
  readonly settled: boolean;
  /** Whether anything but the look now running is pending (a quiet run ends; a nemesis must not keep it going). */
  readonly othersPending: boolean;
  isUp(node: NodeId): boolean;
  /** A nemesis threw: the model's code failed (a model crash, or nondeterminism if the guard caught it). */
  fail(error: unknown): void;
  at(atUs: number, action: (control: SimControl) => void): unknown;
}

/** Throws InputError for a nemesis name the model does not declare, or one named twice. */
export function checkNemesisNames(model: ModelDefinition, names: readonly string[]): void {
  const known = Object.keys(model.nemeses ?? {});
  names.forEach((name, i) => {
    if (!known.includes(name)) {
      const list = known.length === 0 ? 'it has none' : `known: ${known.join(', ')}`;
      throw new InputError(`unknown nemesis "${name}" for model ${model.name} (${list})`);
    }
    if (names.indexOf(name) !== i) throw new InputError(`nemesis "${name}" is named twice`);
  });
}

/** Schedules the first look of nemesis `name`; each look schedules the next while the run goes on. */
export function scheduleNemesis(host: NemesisHost, name: string, nemesis: ErasedNemesis): void {
  const random = new RandomStream(host.options.seed, StreamName.nemesis(name));
  const memory = nemesis.init?.() as never;
  const look = (atUs: number): void => {
    host.at(atUs, (sim) => {
      if (host.settled) return;
      try {
        nemesis.act(host.view, nemesisControl(host, sim, random), memory);
      } catch (error) {
        return host.fail(error);
      }
      if (host.othersPending) look(atUs + nemesis.intervalUs);
    });
  };
  look(nemesis.intervalUs);
}

/** The control a nemesis gets for one look: scripted steps on `sim`, restarts scheduled through `host`. */
function nemesisControl(host: NemesisHost, sim: SimControl, random: RandomStream): NemesisControl {
  return {
    nowUs: sim.nowUs,
    random,
    crash(node, restartAfterUs) {
      if (!host.isUp(node)) return;
      sim.crash(node);
      if (restartAfterUs === undefined) return;
      if (!Number.isSafeInteger(restartAfterUs) || restartAfterUs < 1) {
        throw new InputError(`nemesis crash(${JSON.stringify(node)}): restartAfterUs must be a positive integer of microseconds, got ${restartAfterUs}`);
      }
      host.at(sim.nowUs + restartAfterUs, (later) => {
        if (!host.isUp(node)) later.restart(node);
      });
    },
    restart: (node) => sim.restart(node),
    partition: (groups) => sim.partition(groups),
    isolate: (node) => sim.isolate(node),
    heal: () => sim.heal(),
    pause: (node, durationUs) => sim.pause(node, durationUs),
  };
}
