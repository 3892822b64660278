/**
 * The determinism guard. While a simulation runs (synchronously, in one turn of
 * the event loop) the globals that read real time, real randomness or the
 * environment, or that schedule real callbacks, are replaced by traps that throw a DeterminismError
 * naming the call and the node. The originals are restored when the run ends.
 */
import { DeterminismError } from './errors.ts';

/** Who is running now, so the error can name the node. */
export type CulpritLookup = () => string;

/** Called with the error before it is thrown, so a model that catches it still fails. */
export type ViolationReport = (error: DeterminismError) => void;

let depth = 0;
let restoreAll: (() => void) | null = null;
let active: { culprit: CulpritLookup; report: ViolationReport } | null = null;

/**
 * Installs the traps (nesting-safe) and returns a function that removes them.
 * Only the innermost run's culprit lookup is used while runs nest.
 */
export function installDeterminismGuard(culprit: CulpritLookup, report: ViolationReport): () => void {
  const previous = active;
  active = { culprit, report };
  if (depth++ === 0) restoreAll = patchGlobals();
  return () => {
    active = previous;
    if (--depth === 0 && restoreAll !== null) {
      restoreAll();
      restoreAll = null;
    }
  };
}

function violation(call: string, advice: string): never {
  const who = active?.culprit() ?? 'the simulation';
  const error = new DeterminismError(`${who} called ${call} during a run; ${advice}`);
  active?.report(error);
  throw error;
}

function patchGlobals(): () => void {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved: [object, string, unknown][] = [];
  const replace = (owner: object, key: string, value: unknown): void => {
    saved.push([owner, key, (owner as Record<string, unknown>)[key]]);
    Object.defineProperty(owner, key, { value, configurable: true, writable: true });
  };

  replace(Math, 'random', () => violation('Math.random()', 'use ctx.random'));
  const RealDate = Date;
  // A Date that still parses explicit timestamps but refuses to read the clock.
  const GuardedDate = function (this: unknown, ...args: unknown[]) {
    if (!new.target) violation('Date()', 'use ctx.now');
    if (args.length === 0) violation('new Date()', 'use ctx.now');
    return Reflect.construct(RealDate, args, new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(GuardedDate, RealDate);
  Object.defineProperty(GuardedDate, 'prototype', { value: RealDate.prototype });
  replace(GuardedDate, 'now', () => violation('Date.now()', 'use ctx.now'));
  replace(g, 'Date', GuardedDate);
  if (typeof performance !== 'undefined') {
    replace(performance, 'now', () => violation('performance.now()', 'use ctx.now'));
  }
  for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
    replace(g, name, () => violation(`${name}()`, 'use ctx.setTimer'));
  }
  // The environment differs between machines and CI; a model must take settings from its options.
  // NODE_ENV stays readable: libraries (immer's development build) consult it on every draft operation.
  const refuseEnv = (): never => violation('process.env', 'pass settings through the model or its options');
  const env = process.env;
  const guardedEnv = new Proxy(env, {
    get: (target, key) => (key === 'NODE_ENV' ? target['NODE_ENV'] : refuseEnv()),
    has: (target, key) => (key === 'NODE_ENV' ? 'NODE_ENV' in target : refuseEnv()),
    ownKeys: refuseEnv,
    set: refuseEnv,
    getOwnPropertyDescriptor: refuseEnv,
  });
  replace(process, 'env', guardedEnv);

  return () => {
    for (let i = saved.length - 1; i >= 0; i--) {
      const [owner, key, value] = saved[i] as [object, string, unknown];
      Object.defineProperty(owner, key, { value, configurable: true, writable: true });
    }
  };
}
