/**
 * The guard's wider net: the back doors to real time and randomness (the real
 * Date through its prototype, crypto, hrtime, Intl's clock, timeOrigin,
 * microtasks and node:timers), the machine's time zone pinned to UTC for a run,
 * and what must still work (console.log, which reads the environment inside
 * Node). Globals are back afterwards.
 */
import * as nodeCrypto from 'node:crypto';
import * as timers from 'node:timers';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, runSimulation, type JsonValue } from '../../src/index.ts';

/** One node that runs `act` in start and logs what it returns. */
function modelDoing(act: () => unknown) {
  const node = defineNode<null, JsonValue>({
    start(ctx) {
      ctx.log('result', String(act()));
      return null;
    },
  });
  return defineModel<JsonValue>({ name: 'act', description: 'runs one action at start', roles: { n: { count: 1, node } } });
}

const backDoors: [string, () => unknown][] = [
  ['Date.now()', () => (Object.getPrototypeOf(Date) as DateConstructor).now()],
  ['new Date()', () => new (Date.prototype.constructor as DateConstructor)().getTime()],
  ['crypto.randomUUID()', () => crypto.randomUUID()],
  ['crypto.getRandomValues()', () => crypto.getRandomValues(new Uint8Array(4))[0]],
  ['crypto.randomBytes()', () => nodeCrypto.randomBytes(4).toString('hex')],
  ['crypto.randomInt()', () => nodeCrypto.randomInt(10)],
  ['process.hrtime()', () => process.hrtime()[1]],
  ['process.hrtime.bigint()', () => String(process.hrtime.bigint())],
  ['process.uptime()', () => process.uptime()],
  ['performance.timeOrigin', () => performance.timeOrigin],
  ['performance.now()', () => (Object.getPrototypeOf(performance).now as () => number).call(performance)],
  ['Intl.DateTimeFormat().format()', () => new Intl.DateTimeFormat('en').format()],
  ['queueMicrotask()', () => queueMicrotask(() => undefined)],
  ['process.nextTick()', () => process.nextTick(() => undefined)],
  ['setTimeout()', () => timers.setTimeout(() => undefined, 1)],
];

describe('determinism guard: back doors', () => {
  it.each(backDoors)('catches %s', (call, act) => {
    const result = runSimulation(modelDoing(act), { seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure?.node).toBe('n0');
    expect(result.failure?.message).toContain(`called ${call}`);
  });

  it('lets explicit dates and formatting of a given date through', () => {
    const result = runSimulation(modelDoing(() => new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).format(new Date(0))), { seed: 1 });
    expect(result.outcome).toBe('pass');
  });

  it('lets console.log through, although Node reads the environment inside it', () => {
    const written: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    });
    // A real Console (colour mode 'auto' makes Node consult FORCE_COLOR, NO_COLOR and TERM as it writes).
    const console = new Console({ stdout: sink, colorMode: 'auto' });
    const result = runSimulation(modelDoing(() => { console.log('model says hi'); return 1; }), { seed: 1 });
    expect(result.failure).toBeNull();
    expect(written.join('')).toContain('model says hi');
  });

  it('pins the time zone to UTC for the run, so local-time Date methods agree on every machine', () => {
    const saved = process.env['TZ'];
    const results: string[] = [];
    try {
      for (const zone of ['Asia/Tokyo', 'America/New_York']) {
        process.env['TZ'] = zone;
        const result = runSimulation(modelDoing(() => `${new Date(2020, 0, 1).getTime()} ${new Date(0).getTimezoneOffset()}`), { seed: 1 });
        expect(result.outcome).toBe('pass');
        results.push(result.traceHash);
        expect(process.env['TZ']).toBe(zone); // restored after the run
      }
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
    expect(results[0]).toBe(results[1]);
  });

  it('puts every global back after the run', () => {
    const before = { uptime: process.uptime, nextTick: process.nextTick, hrtime: process.hrtime, uuid: crypto.randomUUID, qm: queueMicrotask };
    runSimulation(modelDoing(() => process.uptime()), { seed: 1 });
    expect(process.uptime).toBe(before.uptime);
    expect(process.nextTick).toBe(before.nextTick);
    expect(process.hrtime).toBe(before.hrtime);
    expect(crypto.randomUUID).toBe(before.uuid);
    expect(queueMicrotask).toBe(before.qm);
    expect(typeof performance.timeOrigin).toBe('number');
    expect(Date.prototype.constructor).toBe(Date);
  });
});
