/**
 * `faultline run --nodes role=n[,role=n]`: the counts reach the run and its
 * trace header, the trace replays IDENTICAL, the re-run flags reproduce the
 * counts, and bad input is one line on stderr with exit 2.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromFlags } from '../../src/cli/run-command.ts';
import { flagsForOptions } from '../../src/cli/rerun-flags.ts';
import { resolveOptions } from '../../src/index.ts';
import { badInputLine, makeTempDir, readTrace, removeTempDir, runMain } from './helpers.ts';

let dir = '';
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => removeTempDir(dir));

describe('--nodes', () => {
  it('parses role=count pairs into the nodes option', () => {
    expect(optionsFromFlags({ bug: [], nodes: 'server=5' }, 1).nodes).toEqual({ server: 5 });
    expect(optionsFromFlags({ bug: [], nodes: 'server=5, client=2' }, 1).nodes).toEqual({ server: 5, client: 2 });
    expect('nodes' in optionsFromFlags({ bug: [] }, 1)).toBe(false);
  });

  it('runs that many nodes, records them in the header, and the trace replays IDENTICAL', async () => {
    const trace = join(dir, 'pp.jsonl');
    const run = await runMain(['run', 'ping-pong', '--seed', '1', '--nodes', 'server=6', '--no-faults', '--trace', trace]);
    expect(run.code, run.stderr).toBe(0);
    const { header, events } = readTrace(trace);
    expect((header['options'] as Record<string, unknown>)['nodes']).toEqual({ server: 6 });
    const started = events.filter((event) => event['kind'] === 'start').map((event) => event['node']);
    expect(started).toEqual(['client0', 'server0', 'server1', 'server2', 'server3', 'server4', 'server5']);
    const replay = await runMain(['replay', trace]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('IDENTICAL');
  });

  it('the re-run flags name the counts that differ from the baseline', () => {
    const baseline = resolveOptions({ seed: 2 });
    expect(flagsForOptions(resolveOptions({ seed: 2, nodes: { server: 6, client: 2 } }), baseline)).toContain('--nodes server=6,client=2');
    expect(flagsForOptions(baseline, baseline).some((flag) => flag.startsWith('--nodes'))).toBe(false);
  });

  it.each([
    ['server=0', '--nodes server: must be at least 1'],
    ['server=x', '--nodes server: "x" is not a non-negative integer'],
    ['server', '--nodes: "server" is not <role>=<count>'],
    ['server=2,server=3', '--nodes: role "server" is given twice'],
    ['servers=3', 'nodes: unknown role "servers" (roles of ping-pong: client, server)'],
  ])('--nodes %s: one line, exit 2', async (value, message) => {
    const line = badInputLine(await runMain(['run', 'ping-pong', '--seed', '1', '--no-trace', '--nodes', value]));
    expect(line).toContain(message);
  });
});
