/**
 * The determinism guard. While a simulation runs (synchronously, in one turn of
 * the event loop) the ways to read real time, real randomness or the
 * environment, or to schedule real callbacks, are replaced by traps that throw
 * a DeterminismError naming the call and the node. The originals come back when
 * the run ends. Calls made by Node's own internals (console.log reading
 * FORCE_COLOR, a stream's nextTick) pass through, and so do reads of NODE_ENV
 * (immer consults it): everything else, the model's code and the packages it
 * calls, is held to the rules.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';
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

// Loaded once: creating a require function per run cost more than the rest of the guard.
const requireBuiltin = createRequire(import.meta.url);
const nodeCryptoModule = requireBuiltin('node:crypto') as object;
const nodeTimersModule = requireBuiltin('node:timers') as Record<string, (...args: never[]) => unknown>;

const THIS_URL = import.meta.url;
const THIS_FILE = fileURLToPath(import.meta.url);
const STACK_FRAMES = 16;

/**
 * True when the code calling a trap is Node's own (a `node:` module). Reads
 * V8's call sites rather than the stack text, so no file name, path spelling or
 * model setting of Error.stackTraceLimit / prepareStackTrace can fool it.
 */
function calledByNode(): boolean {
  const originalPrepare = Error.prepareStackTrace;
  const originalLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = STACK_FRAMES;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, calledByNode);
    for (const site of holder.stack ?? []) {
      const file = site.getFileName() ?? '';
      if (file === THIS_FILE || file === THIS_URL) continue; // the trap itself
      return file.startsWith('node:');
    }
    return false;
  } finally {
    Error.prepareStackTrace = originalPrepare;
    Error.stackTraceLimit = originalLimit;
  }
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
      return calledByNode() ? Reflect.apply(original, this, args) : violation(call, advice);
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

let modulesWrapped = false;

/**
 * The random and timer functions of `node:crypto` and `node:timers` are
 * wrapped once, for good, by pass-throughs that refuse only while a run is in
 * progress; the ESM view of those modules is re-synced that one time. Patching
 * and re-syncing them on every run cost more than the rest of the guard.
 */
function wrapModuleExportsOnce(): void {
  if (modulesWrapped) return;
  modulesWrapped = true;
  const wrap = (module: object, name: string, call: string, advice: string): void => {
    const descriptor = Object.getOwnPropertyDescriptor(module, name);
    const original: unknown = descriptor?.value;
    if (descriptor === undefined || typeof original !== 'function' || descriptor.configurable === false) return;
    const wrapper = function (this: unknown, ...args: unknown[]): unknown {
      if (depth > 0 && !calledByNode()) return violation(call, advice);
      return Reflect.apply(original, this, args);
    };
    Object.defineProperty(module, name, { ...descriptor, value: wrapper });
  };
  for (const name of ['randomBytes', 'pseudoRandomBytes', 'prng', 'rng', 'randomUUID', 'randomInt', 'randomFillSync', 'randomFill', 'getRandomValues']) {
    wrap(nodeCryptoModule, name, `crypto.${name}()`, 'use ctx.random');
  }
  for (const name of ['setTimeout', 'setInterval', 'setImmediate']) wrap(nodeTimersModule, name, `${name}()`, 'use ctx.setTimer');
  syncBuiltinESMExports();
}

function patchGlobals(): () => void {
  wrapModuleExportsOnce();
  const patcher = new Patcher();
  // Local-time Date methods follow TZ, which differs between machines: pin it to UTC for the run.
  const env = process.env;
  const savedTz = env['TZ'];
  // Assigning TZ makes V8 reload time-zone data, so only when it changes.
  if (savedTz !== 'UTC') env['TZ'] = 'UTC';
  patchTime(patcher);
  patchRandomness(patcher);
  patchScheduling(patcher);
  patchEnvironment(patcher);
  return () => {
    patcher.restore();
    if (savedTz === undefined) delete env['TZ'];
    else if (savedTz !== 'UTC') env['TZ'] = savedTz;
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
  Object.defineProperty(GuardedDate, 'name', { value: 'Date' });
  Object.defineProperty(GuardedDate, 'length', { value: 7 });
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
  const formatToParts = Intl.DateTimeFormat.prototype.formatToParts;
  p.replace(Intl.DateTimeFormat.prototype, 'formatToParts', function (this: Intl.DateTimeFormat, date?: Date | number) {
    return date === undefined ? violation('Intl.DateTimeFormat().formatToParts()', 'pass a date from ctx.now') : formatToParts.call(this, date);
  });
  p.getter(performance, 'timeOrigin', () => (calledByNode() ? timeOrigin : violation('performance.timeOrigin', 'use ctx.now')));
}

function patchRandomness(p: Patcher): void {
  const advice = 'use ctx.random';
  p.replace(Math, 'random', () => violation('Math.random()', advice));
  const webCrypto = globalThis.crypto as unknown as object;
  p.replace(webCrypto, 'randomUUID', () => violation('crypto.randomUUID()', advice));
  p.replace(webCrypto, 'getRandomValues', () => violation('crypto.getRandomValues()', advice));
}

function patchScheduling(p: Patcher): void {
  for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
    const original = (globalThis as unknown as Record<string, (...args: never[]) => unknown>)[name];
    if (original === undefined) continue;
    p.replace(globalThis, name, p.trap(original, `${name}()`, 'use ctx.setTimer'));
  }
  // A callback after the handler returns would act outside the run's order of events.
  p.replace(globalThis, 'queueMicrotask', p.trap(queueMicrotask, 'queueMicrotask()', 'do the work in the handler or use ctx.setTimer'));
  p.replace(process, 'nextTick', p.trap(process.nextTick, 'process.nextTick()', 'do the work in the handler or use ctx.setTimer'));
}

function patchEnvironment(p: Patcher): void {
  // The environment differs between machines and CI; a model must take settings from its options.
  const refuse = (): never => violation('process.env', 'pass settings through the model or its options');
  const env = process.env;
  const allowed = (key: string | symbol): boolean => key === 'NODE_ENV' || calledByNode();
  p.replace(
    process,
    'env',
    new Proxy(env, {
      get: (target, key) => (allowed(key) ? Reflect.get(target, key) : refuse()),
      has: (target, key) => (allowed(key) ? Reflect.has(target, key) : refuse()),
      ownKeys: (target) => (calledByNode() ? Reflect.ownKeys(target) : refuse()),
      getOwnPropertyDescriptor: (target, key) => (allowed(key) ? Reflect.getOwnPropertyDescriptor(target, key) : refuse()),
      set: refuse,
      deleteProperty: refuse,
    }),
  );
}
