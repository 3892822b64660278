/**
 * The simulator side of the core benchmark: a ping-pong model that keeps a fixed
 * number of messages in flight, a sink that counts trace lines without keeping
 * them, and one run of it. Shared by core.bench.ts and profile-sim.ts.
 */
import { Simulation } from '../../src/sim/simulation.ts';
import { defineModel, defineNode, type ModelDefinition } from '../../src/node/model.ts';
import type { TraceSink } from '../../src/trace/sink.ts';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.ts';

/** Messages kept in flight: the simulator's queue depth, matched by the bare loops. */
export const PENDING = 10_000;
const PINGERS = 100;
const ECHOES = 100;
const PINGS_PER_PINGER = PENDING / PINGERS;

type Msg = { kind: 'ping'; seq: number } | { kind: 'pong'; seq: number };

const echoIds = Array.from({ length: ECHOES }, (_, i) => `echo${i}`);

/**
 * PINGERS pingers each send PINGS_PER_PINGER pings at start (spread over the
 * echo nodes) and answer every pong with a new ping to the same echo node;
 * echo nodes answer every ping. So PENDING messages are always in flight and
 * every scheduler event (after the starts) is one delivery that sends one message.
 * `counting`: both roles keep `{ count }` and bump it on every event (one immer
 * produce per event); otherwise state is `null` and immer is skipped.
 */
export function pingPongModel(counting: boolean): ModelDefinition {
  type Counter = { count: number } | null;
  const pinger = defineNode<Counter, Msg>({
    start(ctx) {
      const base = Number(ctx.id.slice('pinger'.length));
      for (let i = 0; i < PINGS_PER_PINGER; i++) ctx.send(echoIds[(base + i) % ECHOES] as string, { kind: 'ping', seq: i });
      return counting ? { count: 0 } : null;
    },
    onMessage(state, from, msg, ctx) {
      if (state !== null) state.count++;
      ctx.send(from, { kind: 'ping', seq: msg.seq + 1 });
    },
  });
  const echo = defineNode<Counter, Msg>({
    start: () => (counting ? { count: 0 } : null),
    onMessage(state, from, msg, ctx) {
      if (state !== null) state.count++;
      ctx.send(from, { kind: 'pong', seq: msg.seq });
    },
  });
  return defineModel<Msg>({
    name: counting ? 'bench-ping-pong-counting' : 'bench-ping-pong-stateless',
    description: 'benchmark: pingers keep ~10k pings in flight to echo nodes',
    roles: { pinger: { count: PINGERS, node: pinger }, echo: { count: ECHOES, node: echo } },
  }) as unknown as ModelDefinition;
}

/** Recording on without keeping the trace: sums line lengths so memory stays flat. */
export class CountingSink implements TraceSink {
  lines = 0;
  chars = 0;
  header(_header: TraceHeader, line: string): void {
    this.lines++;
    this.chars += line.length;
  }
  event(_event: TraceEvent, line: string): void {
    this.lines++;
    this.chars += line.length;
  }
}

export interface SimRun {
  steps: number;
  traceEvents: number;
  hash: string;
  chars: number;
}

export function simulatorRun(model: ModelDefinition, events: number, recording: boolean): SimRun {
  const sink = recording ? new CountingSink() : null;
  const sim = new Simulation(model, { seed: 1, maxEvents: events, timeUs: 3_600_000_000 }, { sinks: sink === null ? [] : [sink] });
  const result = sim.run();
  if (result.outcome !== 'pass' || result.endReason !== 'event-budget' || result.steps !== events) {
    throw new Error(`benchmark run went wrong: ${result.outcome} ${result.endReason} after ${result.steps} steps: ${result.failure?.message ?? ''}`);
  }
  return { steps: result.steps, traceEvents: result.events, hash: result.traceHash, chars: sink?.chars ?? 0 };
}
