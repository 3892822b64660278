/**
 * The hostile network: forgeries with a spoofed sender, replays of old
 * messages and tampered fields, at the configured rates. A bank that trusts
 * the `from` field executes forged admin commands; a bank that checks a MAC
 * (over a per-node secret the adversary never sees) and a nonce executes only
 * what was really sent, once. Every adversary action is a trace event that
 * replays identically, and none happens when it is off.
 */
import { describe, expect, it } from 'vitest';
import { defineModel, defineNode, type JsonValue, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { ofKind, record } from '../support/mesh.ts';

type Body = { op: 'grant' | 'withdraw'; amount: number; seq: number };
type Command = { body: Body; mac: number };

/** Per-node secrets: the model's own knowledge; the adversary only ever sees payloads. */
const SECRETS: Record<string, string> = { admin0: 'admin-key-7f3a', user0: 'user-key-19c2', user1: 'user-key-88d0' };

/** FNV-1a over the sender's secret and the body: a MAC only the sender (and the bank) can compute. */
function mac(sender: string, body: Body): number {
  let hash = 0x811c9dc5;
  for (const char of `${SECRETS[sender] ?? ''}|${JSON.stringify(body)}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

/** admin0 grants every 5 ms, users withdraw every millisecond; every command goes to both banks. */
const issuer = defineNode<number, Command, 'tick'>({
  start(ctx) {
    ctx.setTimer(ctx.role === 'admin' ? 5_000 : 1_000, 'tick');
    return 0;
  },
  onTimer(seq, _timer, ctx) {
    const body: Body = ctx.role === 'admin' ? { op: 'grant', amount: 100, seq } : { op: 'withdraw', amount: 5, seq };
    for (const bank of ['trusting0', 'checking0']) ctx.send(bank, { body, mac: mac(ctx.id, body) });
    ctx.setTimer(ctx.role === 'admin' ? 5_000 : 1_000, 'tick');
    return seq + 1;
  },
});

/** Executes what claims to come from admin0: the `from` field is all it checks. */
const trusting = defineNode<{ adminCommands: number }, Command, 'tick'>({
  start: () => ({ adminCommands: 0 }),
  onMessage(state, from) {
    if (from === 'admin0') state.adminCommands++;
  },
});

type Checking = { executed: string[]; rejected: number; seen: Record<string, true> };
/** Executes a command only with a valid MAC for its claimed sender and a nonce (sender, seq) not seen before. */
const checking = defineNode<Checking, Command, 'tick'>({
  start: () => ({ executed: [], rejected: 0, seen: {} }),
  onMessage(state, from, msg) {
    const key = `${from}:${msg.body?.seq}`;
    if (typeof msg.mac !== 'number' || mac(from, msg.body) !== msg.mac || state.seen[key] === true) {
      state.rejected++;
      return;
    }
    state.seen[key] = true;
    state.executed.push(`${key}:${msg.body.op}:${msg.body.amount}`);
  },
});

const BANK = defineModel<Command, 'tick'>({
  name: 'bank',
  description: 'an admin and two users command a trusting and a checking bank',
  roles: {
    admin: { count: 1, node: issuer },
    user: { count: 2, node: issuer },
    trusting: { count: 1, node: trusting },
    checking: { count: 1, node: checking },
  },
});

const HOSTILE: SimOptionsInput = { seed: 5, timeUs: 400_000, network: { adversary: { forgeRate: 0.05, replayRate: 0.05, tamperRate: 0.05 } } };

type AdversaryEvent = Extract<TraceEvent, { kind: 'adversary' }>;
const injected = (events: readonly TraceEvent[]): Map<number, AdversaryEvent> =>
  new Map(ofKind(events, 'adversary').filter((e) => e.action !== 'tamper').map((e) => [e.msg, e]));

describe('a bank that trusts the from field', () => {
  it('executes forged admin commands; with the adversary off it executes exactly the admin\'s own', () => {
    const r = record(BANK, HOSTILE);
    const forged = injected(r.events);
    const fromAdmin = ofKind(r.events, 'deliver').filter((e) => e.to === 'trusting0' && e.from === 'admin0');
    const fake = fromAdmin.filter((e) => forged.get(e.msg)?.action === 'forge');
    expect(fake.length).toBeGreaterThan(0);
    expect(r.sim.stateOf<{ adminCommands: number }>('trusting0')?.adminCommands).toBe(fromAdmin.length);
    // A forged "admin" command is a user's withdrawal (or an old grant) under a spoofed sender.
    expect(fake.some((e) => (e.payload as Command).body.op === 'withdraw')).toBe(true);

    const calm = record(BANK, { ...HOSTILE, network: {} });
    const sentByAdmin = new Set(ofKind(calm.events, 'send').filter((e) => e.from === 'admin0' && e.to === 'trusting0').map((e) => e.msg));
    const arrived = ofKind(calm.events, 'deliver').filter((e) => e.to === 'trusting0' && e.from === 'admin0');
    expect(arrived.every((e) => sentByAdmin.has(e.msg))).toBe(true);
    expect(calm.sim.stateOf<{ adminCommands: number }>('trusting0')?.adminCommands).toBe(arrived.length);
    expect(arrived.length).toBeGreaterThan(70);
  });
});

describe('a bank that checks a MAC and a nonce', () => {
  it('executes each genuine command at most once and nothing forged, replayed or tampered', () => {
    const r = record(BANK, HOSTILE);
    const state = r.sim.stateOf<Checking>('checking0') as Checking;
    const genuine = new Set(
      ofKind(r.events, 'send')
        .filter((e) => e.to === 'checking0')
        .map((e) => `${e.from}:${(e.payload as Command).body.seq}:${(e.payload as Command).body.op}:${(e.payload as Command).body.amount}`),
    );
    expect(state.executed.filter((entry) => !genuine.has(entry))).toEqual([]);
    expect(new Set(state.executed).size).toBe(state.executed.length);
    // Everything the adversary touched that reached this bank was refused.
    const forged = injected(r.events);
    const tampered = new Set(ofKind(r.events, 'adversary').filter((e) => e.action === 'tamper').map((e) => e.msg));
    const hostile = ofKind(r.events, 'deliver').filter((e) => e.to === 'checking0' && (forged.get(e.msg)?.action === 'forge' || tampered.has(e.msg)));
    expect(hostile.length).toBeGreaterThan(20);
    const replays = ofKind(r.events, 'deliver').filter((e) => e.to === 'checking0' && forged.get(e.msg)?.action === 'replay');
    expect(replays.length).toBeGreaterThan(5);
    const delivered = ofKind(r.events, 'deliver').filter((e) => e.to === 'checking0').length;
    expect(state.executed.length + state.rejected).toBe(delivered);
    // Replays are refused by the nonce (each counted once: either the replay or its original came second).
    expect(state.rejected).toBe(hostile.length + replays.length);
  });
});

describe('adversary events', () => {
  it('forgeries spoof another sender, replays repeat the original link, tampering changes one leaf in flight', () => {
    const r = record(BANK, HOSTILE);
    const payloadOf = new Map<number, JsonValue>();
    const sentBy = new Map(ofKind(r.events, 'send').map((e) => [e.msg, e]));
    for (const e of r.events) if (e.kind === 'deliver') payloadOf.set(e.msg, e.payload);
    const actions = ofKind(r.events, 'adversary');
    for (const kind of ['forge', 'replay', 'tamper'] as const) expect(actions.filter((e) => e.action === kind).length).toBeGreaterThan(10);
    for (const e of actions) {
      if (e.action === 'tamper') {
        const send = sentBy.get(e.msg);
        expect(send).toMatchObject({ from: e.from, to: e.to, timeUs: e.timeUs });
        const at = (value: JsonValue): JsonValue => e.path.reduce<JsonValue>((v, step) => (v as Record<string | number, JsonValue>)[step] as JsonValue, value);
        expect(at(send?.payload as JsonValue)).toEqual(e.before);
        if (payloadOf.has(e.msg)) expect(at(payloadOf.get(e.msg) as JsonValue)).toEqual(e.after);
        continue;
      }
      const original = sentBy.get(e.copyOf);
      expect(original).toBeDefined();
      expect(e.msg).toBeGreaterThan(e.copyOf);
      if (e.action === 'replay') expect([e.from, e.to]).toEqual([original?.from, original?.to]);
      else expect(e.from === e.to || e.from === original?.from).toBe(false);
      expect(e.deliverAtUs - e.timeUs).toBeGreaterThanOrEqual(1_000);
      expect(e.deliverAtUs - e.timeUs).toBeLessThanOrEqual(10_000);
    }
    expect(replayTrace(parseTrace(r.sink.text(), 'hostile'), BANK).identical).toBe(true);
  });

  it('acts at the configured rates per message sent', () => {
    const rate = 0.1;
    const r = record(BANK, { seed: 9, timeUs: 1_000_000, network: { adversary: { forgeRate: rate, replayRate: rate, tamperRate: rate } } });
    const sent = r.result.stats.sent;
    // Binomial(sent ~ 4,400, 0.1): sd ~20; 5 sd either side.
    const sd = Math.sqrt(sent * rate * (1 - rate));
    for (const count of [r.result.stats.forged, r.result.stats.replayed, r.result.stats.tampered]) {
      expect(Math.abs(count - sent * rate)).toBeLessThan(5 * sd);
    }
  });

  it('stops at the liveness phase', () => {
    const r = record(BANK, { ...HOSTILE, settleUs: 200_000 });
    const actions = ofKind(r.events, 'adversary');
    expect(actions.length).toBeGreaterThan(30);
    expect(actions.every((e) => e.timeUs < 200_000)).toBe(true);
    // What it injected before may still arrive after; nothing new is sent by it.
    expect(ofKind(r.events, 'send').filter((e) => e.timeUs >= 200_000).length).toBeGreaterThan(500);
  });

  it('off (and all rates 0): no adversary event, and the run is the run without it', () => {
    const off = record(BANK, { seed: 5, timeUs: 100_000 });
    const zero = record(BANK, { seed: 5, timeUs: 100_000, network: { adversary: {} } });
    expect(ofKind(off.events, 'adversary')).toEqual([]);
    expect(zero.sink.lines.slice(1)).toEqual(off.sink.lines.slice(1));
    expect(off.sim.stateOf<Checking>('checking0')?.rejected).toBe(0);
  });

  it('rates outside [0, 1] are InputErrors naming the option', () => {
    expectInputError(() => new Simulation(BANK, { network: { adversary: { forgeRate: 2 } } }), 'network.adversary.forgeRate must be a probability');
    expectInputError(() => new Simulation(BANK, { network: { adversary: { replayRate: -0.1 } } }), 'network.adversary.replayRate');
    expectInputError(() => new Simulation(BANK, { network: { adversary: { spoof: 1 } as never } }), 'network.adversary: unknown option "spoof"');
  });
});
