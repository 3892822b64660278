/**
 * Node states for the viewer. A trace records messages and faults, not what
 * each node held, so the viewer replays the run step by step and notes every
 * node's state whenever it changes: as a whole state (a snapshot) now and
 * then, and otherwise as a patch against the state before (state-patch.ts). A
 * node takes a new snapshot once its patches since the last one outweigh it,
 * so the embedded text grows with what changed, not with the state's size
 * times the number of events, and the page rebuilds any state from at most
 * one snapshot's worth of patches.
 */
import { dirname } from 'node:path';
import type { ParsedTrace } from '../trace/codec.ts';
import { prepareReplay } from '../trace/replay.ts';
import type { TraceSink } from '../trace/sink.ts';
import type { TraceEvent } from '../trace/events.ts';
import { formatDuration } from '../sim/duration.ts';
import { loadModel } from '../cli/load-model.ts';
import { diffStates } from './state-patch.ts';

/** Every node's state over a run, as changes. */
export interface NodeStates {
  /**
   * Distinct change texts: `{"s":state}` (a snapshot; `null` for a node that
   * holds nothing, being down or not started) or `{"p":[ops]}` (a patch).
   */
  texts: string[];
  /**
   * Per node, a flat list of pairs `[eventNumber, textIndex, ...]`,
   * ascending: from that event on, the node held the state that change
   * makes. A node's first change is a snapshot. A change is credited to the
   * first event of the scheduler step that made it (the delivery, timer or
   * start whose handler ran).
   */
  changes: Record<string, number[]>;
  /** Null when the states are complete; otherwise why they are missing or stop early. */
  note: string | null;
  /**
   * The first event whose node states are not known, or null when all are:
   * the replay could not give them from there on (it diverged, threw or
   * passed the size limit; 1 when the model could not be loaded). No change
   * is credited to this event or a later one, so the page says "unknown"
   * there rather than showing the last state it had as if it still held.
   */
  stopsAt: number | null;
}

/** Most characters of change text one page embeds (a browser parses about this much in a second). */
export const MAX_STATE_CHARS = 50_000_000;

/** What is remembered of one node between steps. */
interface NodeTrack {
  state: unknown;
  /** Characters of the node's last snapshot, and of its patches since. */
  snapshotChars: number;
  patchChars: number;
}

/**
 * The change text for `node`'s state now, or null when it did not change.
 * Immer shares unchanged states, so an identical reference costs nothing.
 */
function changeText(tracks: Map<string, NodeTrack>, node: string, state: unknown): string | null {
  const track = tracks.get(node);
  if (track !== undefined && track.state === state) return null;
  if (track !== undefined && track.state !== null && state !== null) {
    const ops = diffStates(track.state, state);
    if (ops.length === 0) {
      track.state = state;
      return null;
    }
    const patch = JSON.stringify({ p: ops });
    if (track.patchChars + patch.length <= track.snapshotChars) {
      track.state = state;
      track.patchChars += patch.length;
      return patch;
    }
  }
  const snapshot = JSON.stringify({ s: state });
  tracks.set(node, { state, snapshotChars: snapshot.length, patchChars: 0 });
  return snapshot;
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
export async function captureNodeStates(
  trace: ParsedTrace,
  tracePath: string,
  nodes: readonly string[],
  maxStateChars = MAX_STATE_CHARS,
): Promise<NodeStates> {
  const empty = (note: string): NodeStates => ({ texts: [], changes: {}, note, stopsAt: 1 });
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
  let totalChars = 0;
  const changes: Record<string, number[]> = {};
  const tracks = new Map<string, NodeTrack>();
  for (const node of nodes) changes[node] = [];
  const note = (eventNumber: number): void => {
    for (const node of nodes) {
      const state: unknown = sim.nodeIds.includes(node) ? sim.stateOf(node) ?? null : null;
      const text = changeText(tracks, node, state);
      if (text === null) continue;
      let index = textIndex.get(text);
      if (index === undefined) {
        index = texts.length;
        texts.push(text);
        textIndex.set(text, index);
        totalChars += text.length;
      }
      (changes[node] as number[]).push(eventNumber, index);
    }
  };
  // The first event of the step being run (or last run): a step's changes are credited to it.
  let firstOfStep = 1;
  try {
    for (let more = true; more; ) {
      firstOfStep = counter.count + 1;
      more = sim.step();
      note(Math.min(firstOfStep, Math.max(counter.count, 1)));
      if (totalChars > maxStateChars) {
        const stopsAt = counter.count + 1;
        return { texts, changes, note: `node states stop at event #${stopsAt}: they passed ${maxStateChars / 1e6} million characters, the most one page embeds`, stopsAt };
      }
    }
  } catch (error) {
    // The throwing step's changes were never noted: its events have no known state.
    return { texts, changes, note: `node states stop at event #${firstOfStep}: the replay threw (${oneLine(error)})`, stopsAt: firstOfStep };
  }
  const { divergence } = replay.finish();
  if (divergence !== null) {
    // The run stops after the step that diverged; what that step left is suspect, so states stop where it began.
    const stopsAt = divergence.eventNumber > counter.count ? divergence.eventNumber : Math.min(firstOfStep, divergence.eventNumber);
    for (const node of nodes) changes[node] = keepBefore(changes[node] as number[], stopsAt);
    return {
      texts,
      changes,
      note: `node states stop at event #${stopsAt}: the replay diverged at #${divergence.eventNumber} (${formatDuration(divergence.timeUs)}) (the model changed since the trace was recorded)`,
      stopsAt,
    };
  }
  return { texts, changes, note: null, stopsAt: null };
}

/** A node's flat [eventNumber, textIndex, ...] change list without the changes credited at `stopsAt` or later. */
function keepBefore(changes: number[], stopsAt: number): number[] {
  let pairs = changes.length / 2;
  while (pairs > 0 && (changes[(pairs - 1) * 2] as number) >= stopsAt) pairs--;
  return changes.slice(0, pairs * 2);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
