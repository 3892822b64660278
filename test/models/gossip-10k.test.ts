/**
 * gossip at scale: one seed with 10,000 peers (`nodes: { peer: 10000 }`) under
 * the model's default faults; every value reaches every live peer by the end.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/index.ts';
import model from '../../models/gossip/model.ts';
import type { PeerState } from '../../models/gossip/peer.ts';

describe('models/gossip with 10,000 peers', () => {
  it('seed 0: passes, and the value count of every peer is the 4 values broadcast', () => {
    let counts: number[] = [];
    const scaled = {
      ...model,
      properties: [
        ...(model.properties ?? []),
        // Reads the final states for the assertion below; true always, so it changes no verdict.
        { kind: 'eventually' as const, name: 'test: final value counts', holds: (view: { nodes: readonly { state: unknown }[] }) => {
          counts = view.nodes.map((node) => (node.state as PeerState).values.length);
          return true;
        } },
      ],
    };
    const result = runSimulation(scaled, { seed: 0, nodes: { peer: 10_000 }, maxEvents: 5_000_000 });
    expect(result.failure).toBeNull();
    expect(result.endReason).toBe('time-budget');
    expect(result.sometimes[0]?.firstSeenUs).not.toBeNull();
    expect(counts).toHaveLength(10_000);
    expect(counts.every((count) => count === 4)).toBe(true);
    expect(result.history.filter((event) => event.type === 'ok')).toHaveLength(4);
  }, 180_000);
});
