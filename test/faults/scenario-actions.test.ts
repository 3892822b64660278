/**
 * The scenario actions beyond crash, restart, partition and heal: isolate,
 * bridge, partitionOneWay, clog, unclog, pause, skew, jump and diskFull. Each
 * happens at its time as a `"by":"script"` event with its effect, the trace
 * replays identically, the builder and the JSON file agree, and bad arguments
 * are one line naming the step (exit 2 from the CLI).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemorySink, Simulation, defineModel, defineNode, ms, scenario, type ModelDefinition, type SimOptionsInput, type TraceEvent,
} from '../../src/index.ts';
import { parseScenarioText } from '../../src/faults/scenario-file.ts';
import { actionNames } from '../../src/faults/scenario-actions.ts';
import { parseTrace } from '../../src/trace/codec.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { badInputLine, makeTempDir, removeTempDir, runMain } from '../cli/helpers.ts';
import diskLog, { type LoggerState } from '../fixtures/disk-log-model.ts';
import { chatter } from './chatter-model.ts';

function record(model: ModelDefinition, options: SimOptionsInput) {
  const sink = new MemorySink();
  const result = new Simulation(model, options, { sinks: [sink] }).run();
  return { result, sink, events: sink.events };
}

const scripted = (events: readonly TraceEvent[]) => events.filter((e) => 'by' in e);
const withoutN = (e: TraceEvent) => ({ ...e, n: 0 });

/** One step of every new action, 100 ms apart (the steps a scenario file below also writes). */
const EVERY_ACTION = scenario()
  .at(ms(100)).isolate('peer0')
  .at(ms(200)).bridge(['peer0', 'peer1'], ['peer1', 'peer2'])
  .at(ms(300)).partitionOneWay(['peer0'], ['peer1', 'peer2'])
  .at(ms(400)).heal().clog('peer1', 'inbound').clog({ from: 'peer2', to: 'peer0' })
  .at(ms(500)).unclog('peer1', 'inbound').unclog({ from: 'peer2', to: 'peer0' })
  .at(ms(600)).pause('peer2', '50ms')
  .at(ms(700)).skew('peer0', '-20ms', 300).jump('peer1', -ms(5))
  .at(ms(800)).diskFull('peer2').at(ms(900)).diskFull('peer2', false);

const EVERY_ACTION_FILE = `{ "steps": [
  { "at": "100ms", "isolate": "peer0" },
  { "at": "200ms", "bridge": [["peer0", "peer1"], ["peer1", "peer2"]] },
  { "at": "300ms", "partitionOneWay": { "from": ["peer0"], "to": ["peer1", "peer2"] } },
  { "at": "400ms", "heal": true },
  { "at": "400ms", "clog": { "node": "peer1", "direction": "inbound" } },
  { "at": "400ms", "clog": { "from": "peer2", "to": "peer0" } },
  { "at": "500ms", "unclog": { "node": "peer1", "direction": "inbound" } },
  { "at": "500ms", "unclog": { "from": "peer2", "to": "peer0" } },
  { "at": "600ms", "pause": { "node": "peer2", "for": "50ms" } },
  { "at": "700ms", "skew": { "node": "peer0", "skew": "-20ms", "driftPpm": 300 } },
  { "at": "700ms", "jump": { "node": "peer1", "by": -5000 } },
  { "at": "800ms", "diskFull": { "node": "peer2", "full": true } },
  { "at": 900000, "diskFull": { "node": "peer2", "full": false } } ] }`;

describe('the builder methods of the new actions', () => {
  it('build the steps a scenario file writes (durations kept as given, converted when applied)', () => {
    const fromFile = parseScenarioText(EVERY_ACTION_FILE, 'every.json');
    expect(fromFile.steps.map((s) => s.action)).toEqual(EVERY_ACTION.steps.map((s) => s.action));
    // The file writes the jump as microseconds and the builder as ms(-5): the same number.
    expect(fromFile.steps).toEqual(EVERY_ACTION.steps.map((s) => (s.action === 'jump' ? { ...s, args: { node: 'peer1', by: -5000 } } : s)));
    expect(scenario().clog('peer0').steps[0]?.args).toBe('peer0');
    expect(scenario().diskFull('peer0').steps[0]?.args).toEqual({ node: 'peer0', full: true });
    expect(scenario().skew('peer0', 1000).steps[0]?.args).toEqual({ node: 'peer0', skew: 1000 });
    expect(actionNames()).toEqual(['crash', 'restart', 'partition', 'heal', 'isolate', 'bridge', 'partitionOneWay', 'clog', 'unclog', 'pause', 'skew', 'jump', 'diskFull']);
  });
});

describe('a run playing every new action (chatter, seed 1)', () => {
  const { result, sink, events } = record(chatter, { seed: 1, scenario: EVERY_ACTION });

  it('traces each step at its time, "by":"script", in the order written', () => {
    expect(scripted(events).map(withoutN)).toEqual([
      { n: 0, timeUs: ms(100), kind: 'partition', shape: 'isolate', groups: [['peer0'], ['peer1', 'peer2']], by: 'script' },
      { n: 0, timeUs: ms(200), kind: 'partition', shape: 'bridge', groups: [['peer0', 'peer1'], ['peer1', 'peer2']], by: 'script' },
      { n: 0, timeUs: ms(300), kind: 'partition', shape: 'asymmetric', groups: [['peer0'], ['peer1', 'peer2']], by: 'script' },
      { n: 0, timeUs: ms(400), kind: 'heal', by: 'script' },
      { n: 0, timeUs: ms(400), kind: 'clog', node: 'peer1', direction: 'inbound', by: 'script' },
      { n: 0, timeUs: ms(400), kind: 'clog', from: 'peer2', to: 'peer0', by: 'script' },
      { n: 0, timeUs: ms(500), kind: 'unclog', node: 'peer1', direction: 'inbound', by: 'script' },
      { n: 0, timeUs: ms(500), kind: 'unclog', from: 'peer2', to: 'peer0', by: 'script' },
      { n: 0, timeUs: ms(600), kind: 'pause', node: 'peer2', durationUs: ms(50), untilUs: ms(650), by: 'script' },
      { n: 0, timeUs: ms(700), clockUs: ms(680), kind: 'clock-skew', node: 'peer0', skewUs: -ms(20), driftPpm: 300, by: 'script' },
      { n: 0, timeUs: ms(700), clockUs: ms(695), kind: 'clock-jump', node: 'peer1', deltaUs: -ms(5), by: 'script' },
      { n: 0, timeUs: ms(800), kind: 'disk-fault', node: 'peer2', fault: 'fill', by: 'script' },
      { n: 0, timeUs: ms(900), kind: 'disk-fault', node: 'peer2', fault: 'free', by: 'script' },
    ]);
    expect(result.outcome).toBe('pass');
  });

  it('has their effects: cuts drop only while in force, clogs hold until unclogged, a pause holds until it ends', () => {
    const drops = events.filter((e) => e.kind === 'drop' && e.reason === 'partition');
    expect(drops.length).toBeGreaterThan(10);
    for (const drop of drops) expect(drop.timeUs >= ms(100) && drop.timeUs < ms(410)).toBe(true);
    // One way only: under partitionOneWay (300-400 ms) nothing from peer1 or peer2 to peer0 is cut.
    const oneWay = drops.filter((e) => e.kind === 'drop' && e.timeUs >= ms(300) + ms(2) && e.timeUs < ms(400));
    expect(oneWay.length).toBeGreaterThan(0);
    for (const drop of oneWay) if (drop.kind === 'drop') expect(drop.from).toBe('peer0');
    const holds = events.filter((e) => e.kind === 'hold');
    expect(holds.length).toBeGreaterThan(0);
    for (const hold of holds) expect(hold.timeUs >= ms(400) && hold.timeUs < ms(500)).toBe(true);
    const pauseHolds = events.filter((e) => e.kind === 'pause-hold');
    expect(pauseHolds.length).toBeGreaterThan(0);
    for (const hold of pauseHolds) expect(hold.timeUs >= ms(600) && hold.timeUs < ms(650)).toBe(true);
    expect(events.find((e) => e.kind === 'resume')).toMatchObject({ timeUs: ms(650), node: 'peer2' });
  });

  it('replays identically: replay re-applies every scripted step from the trace', () => {
    const replay = replayTrace(parseTrace(sink.text(), 'every.jsonl'), chatter);
    expect(replay.divergence).toBeNull();
    expect(replay.result.traceHash).toBe(result.traceHash);
  });

  it('is the same run as the same steps from the scenario file, and as sim.at() by hand', () => {
    expect(record(chatter, { seed: 1, scenario: parseScenarioText(EVERY_ACTION_FILE, 'every.json') }).result.traceHash).toBe(result.traceHash);
    const sim = new Simulation(chatter, { seed: 1 });
    sim.at(ms(100), (c) => c.isolate('peer0'));
    sim.at(ms(200), (c) => c.bridge(['peer0', 'peer1'], ['peer1', 'peer2']));
    sim.at(ms(300), (c) => c.partitionOneWay(['peer0'], ['peer1', 'peer2']));
    sim.at(ms(400), (c) => (c.heal(), c.clog({ node: 'peer1', direction: 'inbound' }), c.clog({ from: 'peer2', to: 'peer0' })));
    sim.at(ms(500), (c) => (c.unclog({ node: 'peer1', direction: 'inbound' }), c.unclog({ from: 'peer2', to: 'peer0' })));
    sim.at(ms(600), (c) => c.pause('peer2', ms(50)));
    sim.at(ms(700), (c) => (c.skew('peer0', -ms(20), 300), c.jump('peer1', -ms(5))));
    sim.at(ms(800), (c) => c.diskFull('peer2', true));
    sim.at(ms(900), (c) => c.diskFull('peer2', false));
    expect(sim.run().traceHash).toBe(result.traceHash);
  });
});

describe('steps inside the liveness phase', () => {
  it('still apply: a clog, a pause, a full disk, a cut and clock steps after the settle', () => {
    const late = scenario().at(ms(1_700)).clog('peer0').pause('peer1', ms(50)).diskFull('peer2').isolate('peer2').skew('peer0', 5).jump('peer1', 7);
    const { events } = record(chatter, { seed: 1, settleUs: ms(400), scenario: late });
    const settle = events.find((e) => e.kind === 'settle');
    expect(settle?.timeUs).toBe(ms(1_600));
    expect(scripted(events).map((e) => [e.timeUs, e.kind])).toEqual(
      ['clog', 'pause', 'disk-fault', 'partition', 'clock-skew', 'clock-jump'].map((kind) => [ms(1_700), kind]),
    );
    expect(events.some((e) => e.kind === 'hold' && e.timeUs > ms(1_700))).toBe(true);
    expect(events.some((e) => e.kind === 'drop' && e.reason === 'partition' && e.timeUs > ms(1_700))).toBe(true);
  });
});

describe('diskFull in a scenario', () => {
  it('makes puts fail between the fill and the free (disk-log catches each), and replays identically', () => {
    const steps = scenario().at(ms(20)).diskFull('logger0').at(ms(60)).diskFull('logger0', false);
    const sink = new MemorySink();
    const sim = new Simulation(diskLog as ModelDefinition, { seed: 3, timeUs: ms(100), scenario: steps }, { sinks: [sink] });
    sim.run();
    const events = sink.events;
    const full = events.filter((e) => e.kind === 'disk-fault' && e.fault === 'full');
    expect(full.length).toBeGreaterThan(0);
    for (const e of full) expect(e.timeUs >= ms(20) && e.timeUs < ms(60) && e.kind === 'disk-fault' && e.node === 'logger0').toBe(true);
    expect(sim.stateOf<LoggerState>('logger0')?.fullCaught).toBe(full.length);
    expect(replayTrace(parseTrace(sink.text(), 'full.jsonl'), diskLog as ModelDefinition).divergence).toBeNull();
  });
});

describe("issue 3's example: at(200).partition(['a'], ['b','c']).at(900).heal()", () => {
  // Node ids are a role's name plus an index, so roles a, b and c give the nodes a0, b0 and c0.
  const idle = defineNode<null, null>({ start: () => null, onMessage() {} });
  const abc = defineModel<null>({ name: 'abc', description: 'three idle nodes', roles: { a: { count: 1, node: idle }, b: { count: 1, node: idle }, c: { count: 1, node: idle } } }) as ModelDefinition;

  it('builds verbatim; at() takes integer microseconds, so its steps are at 200 µs and 900 µs', () => {
    const verbatim = scenario().at(200).partition(['a'], ['b', 'c']).at(900).heal();
    expect(verbatim.steps).toEqual([
      { atUs: 200, action: 'partition', args: [['a'], ['b', 'c']] },
      { atUs: 900, action: 'heal', args: true },
    ]);
    // The run checks node ids: "a" is not a node of this model (a0 is), and the message says which step and which nodes exist.
    expectInputError(() => new Simulation(abc, { scenario: verbatim }), 'scenario(): steps[0] (partition): unknown node "a" (nodes: a0, b0, c0)');
  });

  it('runs with the model\'s ids, together with crash, restart, clog, pause and skew', () => {
    const steps = scenario()
      .at(200).partition(['a0'], ['b0', 'c0'])
      .at(900).heal()
      .at(ms(1)).crash('b0').at(ms(2)).restart('b0')
      .at(ms(3)).clog('c0').at(ms(4)).unclog('c0')
      .at(ms(5)).pause('a0', ms(1))
      .at(ms(7)).skew('c0', '-50ms');
    const { result, sink, events } = record(abc, { seed: 1, timeUs: ms(10), scenario: steps });
    expect(scripted(events).map((e) => [e.timeUs, e.kind])).toEqual([
      [200, 'partition'], [900, 'heal'], [ms(1), 'crash'], [ms(2), 'restart'], [ms(3), 'clog'], [ms(4), 'unclog'],
      [ms(5), 'pause'], [ms(7), 'clock-skew'],
    ]);
    expect(replayTrace(parseTrace(sink.text(), 'abc.jsonl'), abc).divergence).toBeNull();
    expect(result.outcome).toBe('pass');
  });
});

/** [action, arguments, what the one-line message says after `f.json: steps[1] (action): `]. */
const BAD_ARGS: Array<[string, string, string]> = [
  ['isolate', '["peer0"]', 'expects a node id (a non-empty string), got ["peer0"]'],
  ['bridge', '[["peer0"], ["peer1"]]', 'the two sides share no node'],
  ['bridge', '[["peer0", "peer1"]]', 'expects two sides that share the bridge node'],
  ['bridge', '[["peer0", "peer0"], ["peer0"]]', 'side A names node "peer0" twice'],
  ['partitionOneWay', '{ "from": ["peer0"], "to": ["peer0", "peer1"] }', 'node "peer0" is on both sides'],
  ['partitionOneWay', '{ "from": ["peer0"] }', 'missing "to"'],
  ['partitionOneWay', '{ "from": [], "to": ["peer1"] }', '"from" must be a non-empty list of node ids'],
  ['clog', '{ "node": "peer0", "direction": "sideways" }', '"direction" must be one of inbound, outbound, both, got "sideways"'],
  ['clog', '{ "from": "peer0" }', 'missing "to"'],
  ['clog', '7', 'expects a node id, { "node": ..., "direction": ... } or { "from": ..., "to": ... }, got 7'],
  ['unclog', '{ "node": "peer0", "dir": "inbound" }', 'unknown key "dir" (known: node, direction)'],
  ['pause', '{ "node": "peer0" }', 'missing "for"'],
  ['pause', '{ "node": "peer0", "for": "-5ms" }', '"for": "-5ms" is not a duration'],
  ['pause', '{ "node": "peer0", "for": 0 }', '"for" must be longer than 0, got 0'],
  ['pause', '{ "node": "peer0", "for": 1.5 }', '"for" must be a non-negative integer of microseconds'],
  ['skew', '{ "node": "peer0", "skew": "soon" }', '"skew": "soon" is not a duration'],
  ['skew', '{ "node": "peer0", "skew": "2d" }', '"skew": "2d" is not a duration'],
  ['skew', '{ "node": "peer0", "skew": "25h" }', '"skew" must be at most a day either way'],
  ['skew', '{ "node": "peer0", "skew": "5ms", "driftPpm": 0.5 }', '"driftPpm" must be an integer between -500000 and 500000, got 0.5'],
  ['jump', '{ "node": "peer0", "by": true }', '"by" must be a duration such as "-50ms" or an integer of microseconds, got true'],
  ['jump', '{ "peer": "peer0", "by": "1s" }', 'unknown key "peer" (known: node, by)'],
  ['diskFull', '{ "node": "peer0", "full": "yes" }', '"full" must be true or false, got "yes"'],
  ['diskFull', '"peer0"', 'expects an object like { "node": "server0", "full": true }, got "peer0"'],
];

describe('bad arguments of the new actions', () => {
  const fileWith = (action: string, args: string): string => `{ "steps": [ { "at": "1ms", "heal": true }, { "at": "2ms", "${action}": ${args} } ] }`;

  it.each(BAD_ARGS)('%s %s: one InputError naming the file, the step and the action', (action, args, message) => {
    expectInputError(() => parseScenarioText(fileWith(action, args), 'f.json'), `f.json: steps[1] (${action}): ${message}`, `; e.g. { "at": "1s", "${action}": `);
  });

  it('are refused by the builder too, naming the step', () => {
    expectInputError(() => scenario().heal().pause('peer0', -1), 'scenario(): steps[1] (pause): "for" must be a non-negative integer');
    expectInputError(() => scenario().clog('peer0', 'up' as 'inbound'), 'scenario(): steps[0] (clog): "direction" must be one of');
    expectInputError(() => scenario().bridge(['peer0'], ['peer1']), 'scenario(): steps[0] (bridge): the two sides share no node');
  });

  it('an unknown node in any of them is refused against the model, naming the step', () => {
    const steps = scenario().at(ms(1)).clog({ from: 'peer0', to: 'peer7' });
    expectInputError(() => new Simulation(chatter, { scenario: steps }), 'scenario(): steps[0] (clog): unknown node "peer7" (nodes: peer0, peer1, peer2)');
    expectInputError(() => new Simulation(chatter, { scenario: scenario().skew('nobody', 5) }), 'steps[0] (skew): unknown node "nobody"');
  });

  describe('from the command line', () => {
    let dir: string;
    beforeAll(() => {
      dir = makeTempDir('faultline-actions-');
    });
    afterAll(() => removeTempDir(dir));

    it.each(BAD_ARGS)('%s %s: exit 2, one line naming the step', async (action, args, message) => {
      const path = join(dir, `${action}.json`);
      writeFileSync(path, fileWith(action, args));
      const line = badInputLine(await runMain(['run', 'ping-pong', '--scenario', path]));
      expect(line).toContain(`${path}: steps[1] (${action}): ${message}`);
    });

    it('a good file of every new action runs and the run replays identically', async () => {
      const steps = join(dir, 'every.json');
      writeFileSync(steps, EVERY_ACTION_FILE.replaceAll('peer0', 'client0').replaceAll('peer1', 'server0').replaceAll('peer2', 'server1'));
      const trace = join(dir, 'every.jsonl');
      const run = await runMain(['run', 'ping-pong', '--seed', '2', '--time', '1s', '--scenario', steps, '--trace', trace]);
      expect(run.stderr).toBe('');
      const replay = await runMain(['replay', trace]);
      expect(replay.stdout).toMatch(/^IDENTICAL /);
    });
  });
});
