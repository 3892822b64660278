/**
 * The determinism guard. While a simulation runs (synchronously, in one turn of
 * the event loop) the ways to read real time, real randomness or the
 * environment, or to schedule real callbacks, are replaced by traps that throw
 * a DeterminismError naming the call and the node. The originals come back when
 * the run ends. Calls made by Node's own internals or by installed packages
 * (console.log reading FORCE_COLOR, a stream's nextTick, immer reading
 * NODE_ENV) pass through: only the model's own code is held to the rules.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
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

const THIS_FILE = new URL(import.meta.url).pathname;

/** True when the code calling a trap is Node itself or an installed package, not the model. */
function calledByLibrary(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  // Skip the frames of this file (the trap and this function); the next frame is the caller.
  const caller = frames.find((frame) => !frame.includes(THIS_FILE)) ?? '';
  // "    at name (location)" or "    at location": judge the location only, never the function's name.
  const location = caller.trimEnd().endsWith(')') ? caller.slice(caller.lastIndexOf('(') + 1, -1) : caller.trim().slice(3);
  return location.startsWith('node:') || location.includes('/node_modules/');
}

/** Replaces properties and remembers how to put them back. */
class Patcher {
  private readonly saved: [object, string, PropertyDescriptor | undefined][] = [];

  /** Replaces a data property (fixed ones are left alone; the globals they alias are trapped instead). */
  replace(owner: object, key: string, value: unknown): void {
    const descriptor = Object.getOwnPropertyDescriptor(owner, key);
    if (descriptor !== undefined && descriptor.configurable === false) return;
    this.saved.push([owner, key, descriptor]);
    Object.defineProperty(owner, key, { value, configurable: true, writable: true });
  }

  /** Replaces a property by a getter. */
  getter(owner: object, key: string, get: () => unknown): void {
    this.saved.push([owner, key, Object.getOwnPropertyDescriptor(owner, key)]);
    Object.defineProperty(owner, key, { get, configurable: true });
  }

  /** A function that lets library callers through to `original` and stops the model. */
  trap(original: (...args: never[]) => unknown, call: string, advice: string): (...args: never[]) => unknown {
    return function (this: unknown, ...args: never[]): unknown {
      return calledByLibrary() ? Reflect.apply(original, this, args) : violation(call, advice);
    };
  }

  restore(): void {
    for (let i = this.saved.length - 1; i >= 0; i--) {
      const [owner, key, descriptor] = this.saved[i] as [object, string, PropertyDescriptor | undefined];
      if (descriptor === undefined) delete (owner as Record<string, unknown>)[key];
      else Object.defineProperty(owner, key, descriptor);
    }
    this.saved.length = 0;
  }
}

function patchGlobals(): () => void {
  const patcher = new Patcher();
  // Local-time Date methods follow TZ, which differs between machines: pin it to UTC for the run.
  const env = process.env;
  const savedTz = env['TZ'];
  env['TZ'] = 'UTC';
  patchTime(patcher);
  patchRandomness(patcher);
  patchScheduling(patcher);
  patchEnvironment(patcher);
  syncBuiltinESMExports(); // so `import { env } from 'node:process'` and friends see the traps too
  return () => {
    patcher.restore();
    if (savedTz === undefined) delete env['TZ'];
    else env['TZ'] = savedTz;
    syncBuiltinESMExports();
  };
}

function patchTime(p: Patcher): void {
  const RealDate = Date;
  // A Date that still parses explicit timestamps but refuses to read the clock.
  const GuardedDate = function (this: unknown, ...args: unknown[]) {
    if (!new.target) violation('Date()', 'use ctx.now');
    if (args.length === 0) violation('new Date()', 'use ctx.now');
    return Reflect.construct(RealDate, args, new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(GuardedDate, RealDate);
  Object.defineProperty(GuardedDate, 'prototype', { value: RealDate.prototype });
  // The real Date stays reachable (Date.prototype.constructor, Object.getPrototypeOf(Date)): guard its clock too.
  p.replace(RealDate, 'now', p.trap(RealDate.now, 'Date.now()', 'use ctx.now'));
  p.replace(RealDate.prototype, 'constructor', GuardedDate);
  p.replace(globalThis, 'Date', GuardedDate);
  const performanceProto = Object.getPrototypeOf(performance) as object;
  p.replace(performanceProto, 'now', p.trap(performance.now.bind(performance), 'performance.now()', 'use ctx.now'));
  const hrtime = p.trap(process.hrtime, 'process.hrtime()', 'use ctx.now') as typeof process.hrtime;
  hrtime.bigint = p.trap(process.hrtime.bigint, 'process.hrtime.bigint()', 'use ctx.now') as typeof process.hrtime.bigint;
  p.replace(process, 'hrtime', hrtime);
  p.replace(process, 'uptime', p.trap(process.uptime, 'process.uptime()', 'use ctx.now'));
  // timeOrigin is the real clock at process start: a value that differs between processes.
  const timeOrigin = performance.timeOrigin;
  // format() with no date formats the real clock.
  const intlFormat = Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, 'format')?.get;
  if (intlFormat !== undefined) {
    p.getter(Intl.DateTimeFormat.prototype, 'format', function (this: Intl.DateTimeFormat) {
      const format = intlFormat.call(this) as (date?: Date | number) => string;
      return (date?: Date | number) => (date === undefined ? violation('Intl.DateTimeFormat().format()', 'pass a date from ctx.now') : format(date));
    });
  }
  p.getter(performance, 'timeOrigin', () => (calledByLibrary() ? timeOrigin : violation('performance.timeOrigin', 'use ctx.now')));
}

function patchRandomness(p: Patcher): void {
  const advice = 'use ctx.random';
  p.replace(Math, 'random', () => violation('Math.random()', advice));
  const webCrypto = globalThis.crypto as unknown as object;
  p.replace(webCrypto, 'randomUUID', () => violation('crypto.randomUUID()', advice));
  p.replace(webCrypto, 'getRandomValues', () => violation('crypto.getRandomValues()', advice));
  const nodeCrypto = createRequire(import.meta.url)('node:crypto') as object;
  for (const name of ['randomBytes', 'randomUUID', 'randomInt', 'randomFillSync', 'randomFill', 'getRandomValues']) {
    p.replace(nodeCrypto, name, () => violation(`crypto.${name}()`, advice));
  }
}

function patchScheduling(p: Patcher): void {
  const timers = createRequire(import.meta.url)('node:timers') as Record<string, (...args: never[]) => unknown>;
  for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
    const original = (globalThis as unknown as Record<string, (...args: never[]) => unknown>)[name];
    if (original === undefined) continue;
    const guarded = p.trap(original, `${name}()`, 'use ctx.setTimer');
    p.replace(globalThis, name, guarded);
    p.replace(timers, name, guarded);
  }
  // A callback after the handler returns would act outside the run's order of events.
  p.replace(globalThis, 'queueMicrotask', p.trap(queueMicrotask, 'queueMicrotask()', 'do the work in the handler or use ctx.setTimer'));
  p.replace(process, 'nextTick', p.trap(process.nextTick, 'process.nextTick()', 'do the work in the handler or use ctx.setTimer'));
}

function patchEnvironment(p: Patcher): void {
  // The environment differs between machines and CI; a model must take settings from its options.
  const refuse = (): never => violation('process.env', 'pass settings through the model or its options');
  const env = process.env;
  const allowed = (key: string | symbol): boolean => key === 'NODE_ENV' || calledByLibrary();
  p.replace(
    process,
    'env',
    new Proxy(env, {
      get: (target, key) => (allowed(key) ? Reflect.get(target, key) : refuse()),
      has: (target, key) => (allowed(key) ? Reflect.has(target, key) : refuse()),
      ownKeys: (target) => (calledByLibrary() ? Reflect.ownKeys(target) : refuse()),
      getOwnPropertyDescriptor: (target, key) => (allowed(key) ? Reflect.getOwnPropertyDescriptor(target, key) : refuse()),
      set: refuse,
      deleteProperty: refuse,
    }),
  );
}
