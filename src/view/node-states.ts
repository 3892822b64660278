/**
 * Node states for the viewer. A trace records messages and faults, not what
 * each node held, so the viewer replays the run step by step and notes every
 * node's state whenever it changes. States are kept as JSON text, each
 * distinct text once, so a 100,000-event trace stays small enough to embed.
 */
import { dirname } from 'node:path';
import type { ParsedTrace } from '../trace/codec.ts';
import { prepareReplay } from '../trace/replay.ts';
import type { TraceSink } from '../trace/sink.ts';
import type { TraceEvent } from '../trace/events.ts';
import { formatDuration } from '../sim/duration.ts';
import { loadModel } from '../cli/load-model.ts';

/** Every node's state over a run, as changes. */
export interface NodeStates {
  /** Distinct state texts (JSON); `"null"` stands for a node that holds nothing (down). */
  texts: string[];
  /**
   * Per node (in the order of `nodes`), a flat list of pairs
   * `[eventNumber, textIndex, ...]`, ascending: from that event on, the node
   * held that state. A change is credited to the first event of the scheduler
   * step that made it (the delivery, timer or start whose handler ran).
   */
  changes: Record<string, number[]>;
  /** Null when the states are complete; otherwise why they are missing or stop early. */
  note: string | null;
}

/** Counts the events a replay writes, so a state change can be credited to the event that began its step. */
class CountingSink implements TraceSink {
  count = 0;
  header(): void {}
  event(_event: TraceEvent): void {
    this.count++;
  }
}

/**
 * Replays `trace` (loading its model relative to the trace file at
 * `tracePath`) and records the states. Never throws for a model that cannot
 * be loaded or a replay that diverges: the page shows the note instead.
 */
export async function captureNodeStates(trace: ParsedTrace, tracePath: string, nodes: readonly string[]): Promise<NodeStates> {
  const empty = (note: string): NodeStates => ({ texts: [], changes: {}, note });
  const counter = new CountingSink();
  let replay;
  try {
    const { model } = await loadModel(trace.header.model, dirname(tracePath));
    replay = prepareReplay(trace, model, [counter]);
  } catch (error) {
    return empty(`node states are not shown: the model "${trace.header.model}" could not be replayed (${oneLine(error)})`);
  }
  const { sim } = replay;
  const textIndex = new Map<string, number>();
  const texts: string[] = [];
  const changes: Record<string, number[]> = {};
  const last = new Map<string, unknown>();
  for (const node of nodes) changes[node] = [];
  const note = (eventNumber: number): void => {
    for (const node of nodes) {
      const state = sim.nodeIds.includes(node) ? sim.stateOf(node) : undefined;
      // Immer shares unchanged states, so an identical reference means no change and costs no serialising.
      if (last.has(node) && last.get(node) === state) continue;
      last.set(node, state);
      const text = JSON.stringify(state ?? null);
      let index = textIndex.get(text);
      if (index === undefined) {
        index = texts.length;
        texts.push(text);
        textIndex.set(text, index);
      }
      const list = changes[node] as number[];
      if (list.length >= 2 && list[list.length - 1] === index) continue;
      list.push(eventNumber, index);
    }
  };
  try {
    for (let more = true; more; ) {
      const firstOfStep = counter.count + 1;
      more = sim.step();
      note(Math.min(firstOfStep, Math.max(counter.count, 1)));
    }
  } catch (error) {
    return { texts, changes, note: `node states stop at event #${counter.count}: the replay threw (${oneLine(error)})` };
  }
  const { divergence } = replay.finish();
  if (divergence !== null) {
    return {
      texts,
      changes,
      note: `node states are shown up to event #${divergence.eventNumber} (${formatDuration(divergence.timeUs)}) only: the replay diverged there (the model changed since the trace was recorded)`,
    };
  }
  return { texts, changes, note: null };
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
