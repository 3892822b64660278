/**
 * Node states for the page stop where the replay stops giving them: at a
 * divergence (where the diverging step began), at the size limit, or at once
 * when the model cannot be loaded; nothing is credited from there on, so the
 * page can say "unknown" rather than show the last state as if it held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureNodeStates, type NodeStates } from '../../src/view/node-states.ts';
import { readTraceFile } from '../../src/trace/file.ts';
import { makeTempDir, removeTempDir } from '../cli/helpers.ts';
import { divergedTrace, PING_PONG } from '../support/diverged-trace.ts';

const NODES = ['client0', 'server0', 'server1', 'server2'];

/** Every event number a change is credited to, over all nodes. */
const credited = (states: NodeStates): number[] => Object.values(states.changes).flatMap((pairs) => pairs.filter((_, i) => i % 2 === 0));

describe('captureNodeStates: where node states stop', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('faultline-node-states-');
  });
  afterAll(() => removeTempDir(dir));

  it('a complete replay knows every state', async () => {
    const states = await captureNodeStates(readTraceFile(PING_PONG), PING_PONG, NODES);
    expect(states.note).toBeNull();
    expect(states.stopsAt).toBeNull();
    // The tick step at #199 changed client0: the diverged case below must drop exactly such a change.
    expect((states.changes['client0'] as number[]).filter((_, i) => i % 2 === 0)).toContain(199);
  });

  it('a diverged replay stops at the first event of the step that diverged, and credits nothing from there', async () => {
    const { trace, path } = divergedTrace(dir);
    const states = await captureNodeStates(trace, path, NODES);
    expect(states.stopsAt).toBe(199);
    expect(states.note).toBe('node states stop at event #199: the replay diverged at #202 (897.274ms) (the model changed since the trace was recorded)');
    expect(Math.max(...credited(states))).toBeLessThan(199);
    expect(credited(states).length).toBeGreaterThan(20);
  });

  it('passing the size limit stops the states after the step that passed it', async () => {
    const states = await captureNodeStates(readTraceFile(PING_PONG), PING_PONG, NODES, 2_000);
    expect(states.stopsAt).toBeGreaterThan(1);
    expect(states.stopsAt).toBeLessThan(418);
    expect(states.note).toBe(`node states stop at event #${states.stopsAt}: they passed 0.002 million characters, the most one page embeds`);
    expect(Math.max(...credited(states))).toBeLessThan(states.stopsAt as number);
    expect(states.texts.join('').length).toBeGreaterThan(2_000);
  });

  it('a model that cannot be loaded gives no state from the first event on', async () => {
    const trace = readTraceFile(PING_PONG);
    const unloadable = { ...trace, header: { ...trace.header, model: './no-such-model.ts' } };
    const states = await captureNodeStates(unloadable, PING_PONG, NODES);
    expect(states.stopsAt).toBe(1);
    expect(credited(states)).toEqual([]);
  });
});
