/**
 * `faultline run` with the network-fault flags: each flag becomes its option,
 * the report names them and shows the busiest nodes, the printed commands
 * (replay of the trace, and re-run without one) reproduce the run exactly, and
 * bad values are one line naming the flag, exit 2.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromFlags } from '../../src/cli/run-command.ts';
import { resolveOptions } from '../../src/sim/options.ts';
import { argsOfCommand, badInputLine, linesOf, makeTempDir, readTrace, removeTempDir, reportField, runCli, runMain } from './helpers.ts';

const FLAGS = [
  '--partition-shapes', 'isolate,bridge', '--partition-every', '300ms',
  '--clog-every', '200ms', '--clog-nodes', '2', '--clog-step', '50ms', '--clog-hold', '150ms',
  '--capacity-inbox', '3', '--capacity-link', '2', '--overflow', 'backpressure',
  '--corrupt', '0.01', '--forge', '0.01', '--replay', '0.02', '--tamper', '0.03', '--load',
];

describe('run: network-fault flags become options', () => {
  it('each flag sets its option, and only when given', () => {
    const parse = (args: string[]) => {
      const flags: Record<string, unknown> = { bug: [] };
      for (let i = 0; i < args.length; i++) {
        const name = (args[i] as string).replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
        if (args[i + 1] === undefined || (args[i + 1] as string).startsWith('--')) flags[name] = true;
        else flags[name] = args[++i];
      }
      return resolveOptions(optionsFromFlags(flags as never, 1));
    };
    const options = parse(FLAGS);
    expect(options.faults.partition?.shapes).toEqual(['isolate', 'bridge']);
    expect(options.faults.clog).toEqual({ meanIntervalUs: 200_000, nodes: 2, stepUs: 50_000, holdUs: 150_000 });
    expect(options.network.capacity).toEqual({ inboxMax: 3, linkInFlightMax: 2, overflow: 'backpressure' });
    expect(options.network.corruptRate).toBe(0.01);
    expect(options.network.adversary).toEqual({ forgeRate: 0.01, replayRate: 0.02, tamperRate: 0.03 });
    expect(options.network.trackLoad).toBe(true);
    // --partition-shapes alone switches partitions on, with the default timing; --forge alone leaves the other rates 0.
    expect(parse(['--partition-shapes', 'majority']).faults.partition).toMatchObject({ meanIntervalUs: 2_000_000, shapes: ['majority'] });
    expect(parse(['--forge', '0.5']).network.adversary).toEqual({ forgeRate: 0.5, replayRate: 0, tamperRate: 0 });
    expect(parse(['--capacity-link', '4']).network.capacity).toEqual({ linkInFlightMax: 4, overflow: 'drop' });
    const none = parse([]);
    expect([none.network.capacity, none.network.adversary, none.faults.clog, none.network.corruptRate, none.network.trackLoad]).toEqual([null, null, null, 0, false]);
  });

  it('--no-faults switches the swizzle-clog off too', () => {
    const options = resolveOptions({ faults: { clog: {} } }, optionsFromFlags({ bug: [], faults: false }, 1));
    expect(options.faults.clog).toBeNull();
  });
});

describe('run: a run with every network fault', () => {
  let dir: string;
  let report: string;
  beforeAll(() => {
    dir = makeTempDir();
    const result = runCli(['run', 'replicated-counter', '--seed', '4', ...FLAGS, '--trace', 'net.jsonl'], dir);
    expect(result.stderr).toBe('');
    report = result.stdout;
  }, 30_000);
  afterAll(() => removeTempDir(dir));

  it('names the faults in the options line and the busiest nodes in a load line, as the trace records them', () => {
    const options = reportField(report, 'options');
    for (const part of ['shapes=isolate,bridge', 'clogs=every~200ms 2 node(s) step 50ms hold 150ms', 'capacity=link 2 inbox 3 backpressure', 'corrupt=0.01', 'adversary=forge 0.01 replay 0.02 tamper 0.03', 'load']) {
      expect(options).toContain(part);
    }
    const trace = readTrace(join(dir, 'net.jsonl'));
    const load = trace.events.find((e) => e['kind'] === 'load')?.['nodes'] as Record<string, { received: number; dropped: number; sent: number; queueDepthMax: number }>;
    const busiest = Object.entries(load).sort(([, a], [, b]) => b.received + b.dropped - (a.received + a.dropped))[0] as [string, { sent: number; received: number; dropped: number; queueDepthMax: number }];
    const [id, figures] = busiest;
    expect(reportField(report, 'load')).toMatch(
      new RegExp(`^busiest: ${id} sent ${figures.sent} received ${figures.received} dropped ${figures.dropped} queue max ${figures.queueDepthMax}`),
    );
    expect(reportField(report, 'network')).toMatch(/held \d+, corrupted \d+, forged \d+, replayed \d+, tampered \d+$/);
  });

  it('the printed replay command replays the trace IDENTICAL', () => {
    const replay = runCli(argsOfCommand(reportField(report, 'replay')), dir);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(linesOf(replay.stdout)[0]).toMatch(/^IDENTICAL net\.jsonl: \d+ events replayed exactly/);
  });

  it('without a trace, the printed re-run command repeats the same run, options included', async () => {
    const original = await runMain(['run', 'replicated-counter', '--seed', '4', ...FLAGS, '--no-trace']);
    const command = reportField(original.stdout, 'replay');
    for (const flag of ['--partition-shapes isolate,bridge', '--clog-every 200ms', '--capacity-inbox 3', '--overflow backpressure', '--corrupt 0.01', '--tamper 0.03', '--load']) {
      expect(command).toContain(flag);
    }
    const rerun = await runMain([...argsOfCommand(command), '--no-trace']);
    expect(reportField(rerun.stdout, 'options')).toBe(reportField(original.stdout, 'options'));
    expect(reportField(rerun.stdout, 'hash')).toBe(reportField(original.stdout, 'hash'));
    expect(reportField(rerun.stdout, 'hash')).toBe(reportField(report, 'hash'));
  });

  it('--json carries the load of every node', async () => {
    const result = await runMain(['run', 'replicated-counter', '--seed', '4', '--capacity-inbox', '3', '--json', '--no-trace']);
    const json = JSON.parse(result.stdout) as { load: Record<string, { sent: number; queueDepthMax: number }> };
    expect(Object.keys(json.load)).toEqual(['replica0', 'replica1', 'replica2', 'client0']);
    expect(Object.values(json.load).every((l) => l.queueDepthMax <= 3 + 2)).toBe(true);
  });

  it('a run without these flags prints no load line', async () => {
    const plain = await runMain(['run', 'replicated-counter', '--seed', '4', '--no-trace']);
    expect(plain.stdout).not.toMatch(/^ {2}load /m);
    expect(reportField(plain.stdout, 'network')).not.toMatch(/held|corrupted|forged/);
  });
});

describe('run: bad network-fault values', () => {
  it.each<[string, string[], string]>([
    ['an unknown partition shape', ['--partition-shapes', 'halves,triangle'], 'faultline: --partition-shapes: unknown partition shape "triangle" (known: halves, isolate, majority, asymmetric, bridge)'],
    ['an empty shape in the list', ['--partition-shapes', 'isolate,'], 'faultline: --partition-shapes: "isolate," is not a comma-separated list of shapes (halves, isolate, majority, asymmetric, bridge)'],
    ['a corruption rate above 1', ['--corrupt', '1.5'], 'faultline: --corrupt: "1.5" is not a probability between 0 and 1'],
    ['a negative forge rate', ['--forge', '-0.1'], 'faultline: --forge: "-0.1" is not a probability between 0 and 1'],
    ['a replay rate that is not a number', ['--replay', 'often'], 'faultline: --replay: "often" is not a probability between 0 and 1'],
    ['a tamper rate above 1', ['--tamper', '2'], 'faultline: --tamper: "2" is not a probability between 0 and 1'],
    ['an unknown overflow policy', ['--capacity-inbox', '3', '--overflow', 'queue'], 'faultline: --overflow: "queue" is not one of drop, backpressure'],
    ['a zero link capacity', ['--capacity-link', '0'], 'faultline: --capacity-link: must be at least 1'],
    ['an inbox capacity that is not an integer', ['--capacity-inbox', '2.5'], 'faultline: --capacity-inbox: "2.5" is not a non-negative integer'],
    ['an overflow policy without a limit', ['--overflow', 'drop'], 'faultline: network.capacity needs linkInFlightMax (--capacity-link) or inboxMax (--capacity-inbox), or both; null means unbounded'],
    ['a clog interval of zero', ['--clog-every', '0ms'], 'faultline: faults.clog.meanIntervalUs must be at least 1'],
    ['a clog step that is not a duration', ['--clog-step', 'soon'], 'faultline: --clog-step: "soon" is not a duration'],
    ['zero clog nodes', ['--clog-nodes', '0'], 'faultline: --clog-nodes: must be at least 1'],
  ])('%s: one line, exit 2', async (_what, args, line) => {
    expect(badInputLine(await runMain(['run', 'ping-pong', '--seed', '1', '--no-trace', ...args]))).toMatch(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});
