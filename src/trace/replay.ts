/**
 * Replay: re-run what a trace header describes and compare the new run with
 * the recorded one event by event. The first line that differs is the
 * divergence; the run stops there.
 */
import type { ModelDefinition } from '../node/model.ts';
import { InputError } from '../sim/errors.ts';
import { Simulation, type ScriptedStep, type SimControl } from '../sim/simulation.ts';
import type { RunResult } from '../sim/result.ts';
import type { SimOptionsInput } from '../sim/options.ts';
import type { ParsedTrace } from './codec.ts';
import type { NodeId, TraceEvent, TraceHeader } from './events.ts';
import type { PartitionShape } from '../sim/network-options.ts';
import type { TraceSink } from './sink.ts';

/** The first place where a replay differs from its trace. */
export interface Divergence {
  /** Event number (1-based) of the first difference. */
  eventNumber: number;
  /** Virtual time of the recorded event there (or of the replayed one when the trace ran out). */
  timeUs: number;
  /**
   * The recorded line (the trace's `end` line if the trace stops here), or null
   * if an edited trace goes on past an `end` line the replay never reached.
   */
  expected: string | null;
  /** The replayed line (the replay's `end` line if it stopped here), or null if it produced no more lines. */
  actual: string | null;
}

/** Outcome of a replay. */
export interface ReplayResult {
  identical: boolean;
  divergence: Divergence | null;
  /** The replayed run's result (cut short at a divergence). */
  result: RunResult;
}

/** Compares produced lines with expected ones and asks the run to stop at the first difference. */
class CompareSink implements TraceSink {
  divergence: Divergence | null = null;
  private seen = 0;

  constructor(
    private readonly expected: readonly string[],
    private readonly expectedEvents: readonly TraceEvent[],
  ) {}

  get stopRequested(): boolean {
    return this.divergence !== null;
  }

  header(): void {}

  event(event: TraceEvent, line: string): void {
    if (this.divergence !== null) return;
    const want = this.expected[this.seen];
    this.seen++;
    // When one side ends early, its `end` line is what differs: it says why that run stopped.
    if (want !== line) {
      this.divergence = {
        eventNumber: event.n,
        timeUs: this.expectedEvents[this.seen - 1]?.timeUs ?? event.timeUs,
        expected: want ?? null,
        actual: line,
      };
    }
  }

  /** After the run: a trace longer than the replay also diverges. */
  finish(lastTimeUs: number): void {
    if (this.divergence === null && this.seen < this.expected.length) {
      const next = this.expectedEvents[this.seen];
      this.divergence = { eventNumber: this.seen + 1, timeUs: next?.timeUs ?? lastTimeUs, expected: this.expected[this.seen] ?? null, actual: null };
    }
  }
}

/** Re-runs `trace` with `model` (loaded from the header's model reference) and compares. */
export function replayTrace(trace: ParsedTrace, model: ModelDefinition, extraSinks: TraceSink[] = []): ReplayResult {
  const replay = prepareReplay(trace, model, extraSinks);
  replay.sim.run();
  return replay.finish();
}

/** A replay set up but not yet run: step `sim` (or run it), then call `finish` for the comparison. */
export interface PreparedReplay {
  sim: Simulation;
  finish(): ReplayResult;
}

/**
 * Sets up the replay of `trace` without running it, so a reader (the HTML
 * viewer) can step it and look at node states between events.
 */
export function prepareReplay(trace: ParsedTrace, model: ModelDefinition, extraSinks: TraceSink[] = []): PreparedReplay {
  if (trace.header.modelName !== model.name) {
    throw new InputError(`the trace was recorded for model "${trace.header.modelName}", not "${model.name}"`);
  }
  const compare = new CompareSink(trace.eventLines, trace.events);
  const script: ScriptedStep[] = [];
  for (const event of trace.events) {
    const apply = scriptedStep(event);
    if (apply !== null) script.push({ eventNumber: event.n, timeUs: event.timeUs, apply });
  }
  const sim = new Simulation(model, optionsFromHeader(trace.header), {
    sinks: [compare, ...extraSinks],
    modelRef: trace.header.model,
    script,
    // The recorded plan, for the header and the report: its options are concrete, so nothing is drawn again.
    ...(trace.header.plan === undefined ? {} : { plan: trace.header.plan }),
  });
  const finish = (): ReplayResult => {
    const result = sim.result();
    compare.finish(result.endTimeUs);
    return { identical: compare.divergence === null, divergence: compare.divergence, result };
  };
  return { sim, finish };
}

/**
 * A test's scripted step recorded in the trace (`"by":"script"`), as an action
 * to apply again. No option describes these, so the trace is their record; the
 * simulation re-applies each right after the event that preceded it, so steps
 * a test took between step() calls, or scheduled from inside another step,
 * land where they did.
 */
function scriptedStep(event: TraceEvent): ((control: SimControl) => void) | null {
  if (!('by' in event) || event.by !== 'script') return null;
  switch (event.kind) {
    case 'crash':
      return (c) => c.crash(event.node);
    case 'restart':
      return (c) => c.restart(event.node);
    case 'partition':
      return partitionStep(event.shape, event.groups);
    case 'heal':
      return (c) => c.heal();
    case 'disk-fault':
      if (event.fault === 'fill' || event.fault === 'free') return (c) => c.diskFull(event.node, event.fault === 'fill');
      return null;
    case 'clog':
    case 'unclog': {
      const target = 'node' in event ? { node: event.node, direction: event.direction } : { from: event.from, to: event.to };
      return event.kind === 'clog' ? (c) => c.clog(target) : (c) => c.unclog(target);
    }
    case 'pause':
      return (c) => c.pause(event.node, event.durationUs);
    case 'clock-skew':
      return (c) => c.skew(event.node, event.skewUs, event.driftPpm);
    case 'clock-jump':
      return (c) => c.jump(event.node, event.deltaUs);
  }
  return null;
}

/** The scripted call that made a partition of `shape` with these recorded groups. */
function partitionStep(shape: PartitionShape | undefined, groups: NodeId[][]): (control: SimControl) => void {
  const [first = [], second = []] = groups;
  switch (shape) {
    case 'isolate':
      return (c) => c.isolate(first[0] as NodeId);
    case 'bridge':
      return (c) => c.bridge(first, second);
    case 'asymmetric':
      return (c) => c.partitionOneWay(first, second);
    default:
      return (c) => c.partition(groups);
  }
}

/** The header's options as input for a new run (they are complete, so no default applies). */
export function optionsFromHeader(header: TraceHeader): SimOptionsInput {
  return header.options as SimOptionsInput;
}
