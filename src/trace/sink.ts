/**
 * Where trace lines go. The simulator hands each sink the event object and its
 * JSON line (serialised once, shared by all sinks).
 */
import type { TraceEvent, TraceHeader } from './events.ts';

/** A consumer of a run's trace. */
export interface TraceSink {
  /** Receives the header before any event. */
  header(header: TraceHeader, line: string): void;
  /** Receives each event in order. */
  event(event: TraceEvent, line: string): void;
  /** When true after an event, the simulation stops (used by replay at the first divergence). */
  readonly stopRequested?: boolean;
}

/** Keeps every line in memory (tests, replay comparisons, small runs). */
export class MemorySink implements TraceSink {
  readonly lines: string[] = [];
  readonly events: TraceEvent[] = [];
  headerValue: TraceHeader | null = null;

  header(header: TraceHeader, line: string): void {
    this.headerValue = header;
    this.lines.push(line);
  }

  event(event: TraceEvent, line: string): void {
    this.events.push(event);
    this.lines.push(line);
  }

  /** The whole trace as file text. */
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** Keeps only the last `capacity` events: the short timeline printed with a failure. */
export class RingSink implements TraceSink {
  private readonly buffer: TraceEvent[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  header(): void {}

  event(event: TraceEvent): void {
    if (this.buffer.length < this.capacity) this.buffer.push(event);
    else this.buffer[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The retained events, oldest first. */
  recent(): TraceEvent[] {
    if (this.buffer.length < this.capacity) return this.buffer.slice();
    return [...this.buffer.slice(this.next), ...this.buffer.slice(0, this.next)];
  }
}
