/**
 * `faultline run --profile P` and `--scenario FILE`: the swarm line and the
 * header's plan, flags overriding the swarm, a printed re-run command that
 * repeats the run, replays that say IDENTICAL, and one-line refusals (exit 2)
 * for every bad profile or scenario file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePlan } from '../../src/faults/plan.ts';
import pingPong from '../../models/ping-pong/model.ts';
import { REPO_ROOT, argsOfCommand, badInputLine, makeTempDir, readTrace, removeTempDir, reportField, runCli, runMain } from './helpers.ts';

let dir: string;
beforeAll(() => {
  dir = makeTempDir('faultline-plans-');
});
afterAll(() => removeTempDir(dir));

/** Writes a scenario file into the temp folder and returns its path. */
function scenarioFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('run --profile', () => {
  it('prints a swarm line naming what is on and how hard, and stores the choices and concrete options in the header', async () => {
    const tracePath = join(dir, 'chaos3.jsonl');
    const run = await runMain(['run', 'ping-pong', '--seed', '3', '--profile', 'chaos', '--trace', tracePath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const planned = resolvePlan(pingPong.defaults, { seed: 3, profile: 'chaos' });
    expect(planned.plan?.swarmOn).toEqual(['loss', 'duplicate', 'latency', 'partition', 'clock', 'disk-corrupt']);
    expect(reportField(run.stdout, 'swarm')).toBe(
      'chaos: on loss 0.099, duplicate 0.033, latency 1ms..5ms normal, partition every~271ms for 226ms..904ms, clock skew ±340ms drift ±105ppm, ' +
        'disk-corrupt 0.014; off reorder, crash, partition-shapes, clog, pause, clock-jump, corrupt, adversary, torn-writes',
    );
    expect(reportField(run.stdout, 'options')).toBe(
      'time=2s settle=400ms latency=1ms..5ms/normal loss=0.099 dup=0.033 fifo crashes=off partitions=every~271ms for 226ms..904ms ' +
        'disk-corrupt=0.014 clocks=skew -340ms..340ms drift -105..105ppm no jumps',
    );
    const trace = readTrace(tracePath);
    expect(trace.header['plan']).toEqual(planned.plan);
    expect(trace.header['options']).toEqual(planned.options);
    const replay = await runMain(['replay', tracePath]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/^IDENTICAL /);
  });

  it('lets a flag override the swarm: --loss beats the chosen loss, --no-faults the chosen partitions', async () => {
    const run = await runMain(['run', 'ping-pong', '--seed', '3', '--profile', 'chaos', '--loss', '0.3', '--no-faults', '--no-trace']);
    expect(run.code).toBe(0);
    expect(reportField(run.stdout, 'options')).toContain('loss=0.3 ');
    expect(reportField(run.stdout, 'options')).toContain('crashes=off partitions=off');
    expect(reportField(run.stdout, 'faults')).toBe('crashes 0, restarts 0, partitions 0');
    // The swarm line still says what the swarm chose.
    expect(reportField(run.stdout, 'swarm')).toContain('loss 0.099');
  });

  it('prints a re-run command (no trace kept) with --profile that gives the same run', async () => {
    const first = await runMain(['run', 'ping-pong', '--seed', '8', '--profile', 'crashes', '--time', '3s', '--dup', '0.1', '--no-trace']);
    const command = reportField(first.stdout, 'replay');
    expect(command).toBe('npx faultline run ping-pong --seed 8 --profile crashes --time 3s --settle 600ms --dup 0.1');
    const again = await runMain(argsOfCommand(command));
    expect(reportField(again.stdout, 'hash')).toBe(reportField(first.stdout, 'hash'));
  });

  it('--json carries the plan', async () => {
    const run = await runMain(['run', 'ping-pong', '--seed', '3', '--profile', 'partitions', '--no-trace', '--json']);
    const json = JSON.parse(run.stdout) as { plan: { profile: string; swarmOn: string[] } };
    expect(json.plan.profile).toBe('partitions');
    expect(json.plan.swarmOn).toEqual(['partition']);
  });

  it('refuses an unknown profile in one line naming it and the known ones (exit 2), also through the binary', async () => {
    const known = 'known: calm, flaky, partitions, crashes, disk, clocks, hostile, chaos';
    expect(badInputLine(await runMain(['run', 'ping-pong', '--profile', 'earthquake']))).toBe(`faultline: --profile: unknown profile "earthquake" (${known})`);
    expect(badInputLine(runCli(['run', 'ping-pong', '--seed', '1', '--profile', 'meteor'], dir))).toBe(
      `faultline: --profile: unknown profile "meteor" (${known})`,
    );
  });
});

describe('run --scenario', () => {
  const GOOD = `{ "steps": [
    { "at": "200ms", "partition": [["server0"], ["server1", "server2"]] },
    { "at": "900ms", "heal": true },
    { "at": "1s", "crash": "server1" },
    { "at": "1500ms", "restart": "server1" } ] }`;

  it('applies the steps at their times as scripted steps, and the trace replays IDENTICAL', async () => {
    const path = scenarioFile('good.json', GOOD);
    const tracePath = join(dir, 'scenario.jsonl');
    const run = await runMain(['run', 'ping-pong', '--seed', '5', '--no-faults', '--scenario', path, '--trace', tracePath]);
    expect(run.code).toBe(0);
    expect(reportField(run.stdout, 'scenario')).toBe(`${path}: 4 steps, applied as scripted steps ("by":"script" in the trace)`);
    const trace = readTrace(tracePath);
    const scripted = trace.events.filter((e) => e['by'] === 'script').map((e) => [e['timeUs'], e['kind']]);
    expect(scripted).toEqual([[200_000, 'partition'], [900_000, 'heal'], [1_000_000, 'crash'], [1_500_000, 'restart']]);
    expect(trace.header['plan']).toEqual({ profile: null, swarm: null, swarmOn: [], scenario: { file: path, steps: 4 } });
    const replay = await runMain(['replay', tracePath]);
    expect(replay.stdout).toMatch(/^IDENTICAL /);
    expect(replay.code).toBe(0);
  });

  it('repeats --scenario in the printed re-run command', async () => {
    const path = scenarioFile('again.json', GOOD);
    const first = await runMain(['run', 'ping-pong', '--seed', '5', '--profile', 'flaky', '--scenario', path, '--no-trace']);
    const command = reportField(first.stdout, 'replay');
    expect(command).toBe(`npx faultline run ping-pong --seed 5 --profile flaky --scenario ${path}`);
    const again = await runMain(argsOfCommand(command));
    expect(reportField(again.stdout, 'hash')).toBe(reportField(first.stdout, 'hash'));
  });

  const bad: Array<[string, string | null, RegExp]> = [
    ['a missing file', null, /^faultline: scenario file .*missing\.json: no such file$/],
    ['invalid JSON (line:column)', '{ "steps": [\n  { "at": "1s" crash: 1 } ] }', /^faultline: .*bad\.json:2:16: invalid JSON \(/],
    ['an unknown action', '{ "steps": [ { "at": "1s", "heal": true }, { "at": "2s", "explode": "server0" } ] }', /bad\.json: steps\[1\]: unknown action "explode" \(known: crash, restart, partition, heal, isolate, bridge, partitionOneWay, clog, unclog, pause, skew, jump, diskFull\)$/],
    ['bad arguments', '{ "steps": [ { "at": "1s", "partition": "server0" } ] }', /bad\.json: steps\[0\] \(partition\): expects a list of node groups/],
    ['an unknown node id', '{ "steps": [ { "at": "1s", "heal": true }, { "at": "1s", "crash": "server7" } ] }', /bad\.json: steps\[1\] \(crash\): unknown node "server7" \(nodes: client0, server0, server1, server2\)$/],
    ['time not increasing', '{ "steps": [ { "at": "1s", "heal": true }, { "at": "500ms", "heal": true } ] }', /bad\.json: steps\[1\]: at 500ms is before the step ahead of it \(1s\); steps go in time order$/],
    ['a step beyond the time budget', '{ "steps": [ { "at": "5s", "crash": "server0" } ] }', /bad\.json: steps\[0\] \(crash\): at 5s is after the time budget timeUs \(--time\) of 2s$/],
  ];

  it.each(bad)('refuses %s in one line naming the file and step (exit 2)', async (_what, text, message) => {
    const path = text === null ? join(dir, 'missing.json') : scenarioFile('bad.json', text);
    expect(badInputLine(await runMain(['run', 'ping-pong', '--seed', '1', '--scenario', path, '--no-trace']))).toMatch(message);
  });
});

describe('README: fault plans', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Fault plans: profiles, swarm, scenarios'), readme.indexOf('## Command line'));
  const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] as string }));

  it('shows the report lines and the header plan exactly as `run ping-pong --seed 3 --profile chaos` writes them', async () => {
    expect(section).toContain('From `faultline run ping-pong --seed 3 --profile chaos`:');
    const tracePath = join(dir, 'readme-chaos.jsonl');
    const run = await runMain(['run', 'ping-pong', '--seed', '3', '--profile', 'chaos', '--trace', tracePath]);
    const report = blocks.find((b) => b.lang === '' && b.text.includes('  swarm '));
    expect(report?.text).toBe(`  options   ${reportField(run.stdout, 'options')}\n  swarm     ${reportField(run.stdout, 'swarm')}\n`);
    const plan = blocks.find((b) => b.lang === 'json' && b.text.startsWith('"plan"'));
    expect(JSON.parse(`{${plan?.text ?? ''}}`)).toEqual({ plan: readTrace(tracePath).header['plan'] });
  });

  it("runs the scenario file it shows on ping-pong, each step at its time", async () => {
    const file = blocks.find((b) => b.lang === 'json' && b.text.includes('"steps"'));
    const path = scenarioFile('readme-steps.json', file?.text ?? '');
    const tracePath = join(dir, 'readme-steps.jsonl');
    const run = await runMain(['run', 'ping-pong', '--seed', '7', '--scenario', path, '--trace', tracePath]);
    expect(run.code).toBe(0);
    const scripted = readTrace(tracePath).events.filter((e) => e['by'] === 'script').map((e) => [e['timeUs'], e['kind']]);
    expect(scripted).toEqual([
      [200_000, 'partition'], [900_000, 'heal'], [1_000_000, 'crash'], [1_000_000, 'clog'], [1_200_000, 'unclog'], [1_200_000, 'pause'],
      [1_500_000, 'clock-skew'], [2_000_000, 'restart'],
    ]);
  });
});
