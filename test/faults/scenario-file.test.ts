/**
 * Scenario files: the JSON form of scenario(), and one clear message for
 * each way a file can be wrong, naming the file and the step by index.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ms, sec, scenario } from '../../src/index.ts';
import { parseScenarioText, readScenarioFile } from '../../src/faults/scenario-file.ts';
import { expectInputError } from '../support/expect-input-error.ts';
import { makeTempDir, removeTempDir } from '../cli/helpers.ts';

const GOOD = `{
  "description": "split, heal, crash and bring back",
  "steps": [
    { "at": "200ms", "partition": [["server0"], ["server1", "server2"]] },
    { "at": "900ms", "heal": true },
    { "at": "1s", "crash": "server1" },
    { "at": 2000000, "restart": "server1" },
    { "at": "2000", "heal": true }
  ]
}`;

describe('parseScenarioText', () => {
  it('reads the same steps scenario() builds: durations as strings (bare = ms) or integers of microseconds', () => {
    const parsed = parseScenarioText(GOOD, 'plan.json');
    const built = scenario().at(ms(200)).partition(['server0'], ['server1', 'server2']).at(ms(900)).heal().at(sec(1)).crash('server1').at(sec(2)).restart('server1').heal();
    expect(parsed.steps).toEqual(built.steps);
    expect(parsed.source).toBe('plan.json');
    expect(parsed.file).toBe('plan.json');
  });

  it('accepts an empty list of steps and a byte-order mark', () => {
    expect(parseScenarioText('\uFEFF{ "steps": [] }', 'empty.json').steps).toEqual([]);
  });

  const bad: Array<[string, string, string[]]> = [
    ['invalid JSON, with line and column', '{ "steps": [\n  { "at": "1s",\n    crash: "a" } ] }', ['f.json:3:5: invalid JSON (']],
    ['JSON cut short', '{ "steps": [', ['f.json:1:13: invalid JSON (']],
    ['not an object', '[1, 2]', ['f.json: expected { "steps": [']],
    ['no steps', '{}', ['f.json: "steps" must be a list']],
    ['an unknown top-level key', '{ "steps": [], "stpes": [] }', ['f.json: unknown key "stpes" (known: steps, description)']],
    ['a step that is not an object', '{ "steps": [ "crash" ] }', ['f.json: steps[0]: expected an object like']],
    ['a step without "at"', '{ "steps": [ { "crash": "a" } ] }', ['f.json: steps[0]: missing "at"']],
    ['a bad duration', '{ "steps": [ { "at": "soon", "crash": "a" } ] }', ['f.json: steps[0]: "at": "soon" is not a duration']],
    ['a negative time', '{ "steps": [ { "at": -5, "crash": "a" } ] }', ['f.json: steps[0]: "at" must be a duration string such as "200ms" or an integer of microseconds, got -5']],
    ['a fractional microsecond', '{ "steps": [ { "at": 1.5, "crash": "a" } ] }', ['steps[0]: "at" must be']],
    ['no action', '{ "steps": [ { "at": "1s" } ] }', ['f.json: steps[0]: names no action (known: crash, restart, partition, heal, isolate, bridge, partitionOneWay, clog, unclog, pause, skew, jump, diskFull)']],
    ['two actions', '{ "steps": [ { "at": "1s", "crash": "a", "heal": true } ] }', ['f.json: steps[0]: names 2 actions ("crash", "heal"); a step does one thing']],
    ['an unknown action', '{ "steps": [ { "at": "1s", "heal": true }, { "at": "2s", "explode": "a" } ] }', ['f.json: steps[1]: unknown action "explode" (known: crash, restart, partition, heal, isolate, bridge, partitionOneWay, clog, unclog, pause, skew, jump, diskFull)']],
    ['bad arguments', '{ "steps": [ { "at": "1s", "crash": ["a"] } ] }', ['f.json: steps[0] (crash): expects a node id (a non-empty string), got ["a"]; e.g. { "at": "1s", "crash": "server0" }']],
    ['bad partition groups', '{ "steps": [ { "at": "1s", "partition": ["a", "b"] } ] }', ['f.json: steps[0] (partition): expects a list of node groups']],
    ['heal with a value', '{ "steps": [ { "at": "1s", "heal": "now" } ] }', ['f.json: steps[0] (heal): expects true, got "now"']],
    ['time going back', '{ "steps": [ { "at": "900ms", "heal": true }, { "at": "200ms", "heal": true } ] }', ['f.json: steps[1]: at 200ms is before the step ahead of it (900ms); steps go in time order']],
  ];

  it.each(bad)('refuses %s', (_what, text, fragments) => {
    expectInputError(() => parseScenarioText(text, 'f.json'), ...fragments);
  });
});

describe('readScenarioFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('faultline-scenario-');
  });
  afterAll(() => removeTempDir(dir));

  it('reads a file, named by its path', () => {
    const path = join(dir, 'plan.json');
    writeFileSync(path, GOOD);
    const read = readScenarioFile(path);
    expect(read.file).toBe(path);
    expect(read.steps).toHaveLength(5);
  });

  it('refuses a missing file and a folder, naming them', () => {
    expectInputError(() => readScenarioFile(join(dir, 'nope.json')), `scenario file ${join(dir, 'nope.json')}: no such file`);
    expectInputError(() => readScenarioFile(dir), `scenario file ${dir}: is a folder, not a file`);
  });
});
