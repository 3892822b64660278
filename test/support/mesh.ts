/**
 * A tiny model for the network-fault tests: `count` nodes n0, n1, ... each
 * send a numbered message to every other node every `intervalUs`, so every
 * directed link carries steady traffic. What happened to each message is read
 * back from the trace.
 */
import { defineModel, defineNode, MemorySink, Simulation, type ModelDefinition, type RunResult, type SimOptionsInput, type TraceEvent } from '../../src/index.ts';

/** The mesh's message: who sent it and its number on that sender. */
export type MeshMsg = { from: string; seq: number };

/** A model of `count` nodes sending to each other every `intervalUs` (at most `rounds` rounds). */
export function meshModel(count: number, intervalUs: number, rounds = Number.MAX_SAFE_INTEGER): ModelDefinition<MeshMsg, 'tick'> {
  const node = defineNode<number, MeshMsg, 'tick'>({
    start(ctx) {
      ctx.setTimer(intervalUs, 'tick');
      return 0;
    },
    onTimer(sent, _timer, ctx) {
      for (const peer of ctx.peers) ctx.send(peer, { from: ctx.id, seq: sent + 1 });
      if (sent + 1 < rounds) ctx.setTimer(intervalUs, 'tick');
      return sent + 1;
    },
  });
  return defineModel<MeshMsg, 'tick'>({ name: 'mesh', description: 'every node sends to every other node', roles: { n: { count, node } } });
}

/** One recorded run. */
export interface Recorded {
  sim: Simulation;
  result: RunResult;
  sink: MemorySink;
  events: TraceEvent[];
}

/** Runs `model` with `options` and a memory sink; `script` may add scripted steps. */
export function record(model: ModelDefinition, options: SimOptionsInput, script?: (sim: Simulation) => void): Recorded {
  const sink = new MemorySink();
  const sim = new Simulation(model, options, { sinks: [sink] });
  script?.(sim);
  const result = sim.run();
  return { sim, result, sink, events: sink.events };
}

/** Events of one kind, typed. */
export function ofKind<K extends TraceEvent['kind']>(events: readonly TraceEvent[], kind: K): Extract<TraceEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}
