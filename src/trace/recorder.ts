/**
 * Records every event of a run: always into the rolling hash (cheap, no
 * allocation), and, when sinks are attached, as event objects and JSON lines.
 * Node indices are turned into ids only when a line is built.
 */
import { RollingHash } from './hash.ts';
import { sealPayload } from '../node/payload.ts';
import type { HistoryEventType } from '../check/history.ts';
import { PARTITION_SHAPES, type PartitionShape } from '../sim/network-options.ts';
import {
  TRACE_EVENT_KINDS,
  type DiskFault,
  type DropReason,
  type EndReason,
  type FailureKind,
  type JsonValue,
  type NodeId,
  type TraceEvent,
  type TraceEventKind,
  type TraceHeader,
} from './events.ts';
import type { TraceSink } from './sink.ts';

/** Mixed in after a fault event that a scripted step caused. */
const SCRIPT_WORD = 0x5c219707;
const DROP_CODE: Record<DropReason, number> = { loss: 1, partition: 2, 'node-down': 3, overflow: 4 };
const OP_CODE: Record<HistoryEventType, number> = { invoke: 1, ok: 2, fail: 3, info: 4 };
const DISK_FAULT_CODE: Record<DiskFault['fault'], number> = { 'corrupt-read': 1, full: 2, fill: 3, free: 4 };
const CODE = Object.fromEntries(TRACE_EVENT_KINDS.map((kind, i) => [kind, i])) as Record<TraceEventKind, number>;

/** The simulator's single writer of trace events. */
export class Recorder {
  /** Rolling hash of every event so far, payloads included. */
  readonly hash = new RollingHash();
  /** Number of events recorded. */
  count = 0;
  /** Whether any sink wants event objects (false on the fuzz hot path). */
  readonly emitting: boolean;
  /**
   * Reads a node's own clock now; set only while clocks are on, and then its
   * reading is recorded (`clockUs`) on the events where that node's handler runs.
   */
  nodeClock: ((node: number) => number) | null = null;

  constructor(
    private readonly ids: readonly NodeId[],
    private readonly sinks: readonly TraceSink[],
    /** Checking mode: also refuse accessor properties in payloads (costly, so not on the fuzz path). */
    private readonly strictPayloads = false,
  ) {
    this.emitting = sinks.length > 0;
    this.quoted = this.emitting ? ids.map((id) => JSON.stringify(id)) : [];
  }

  /** Node ids as JSON strings, for lines built by hand. */
  private readonly quoted: readonly string[];

  /** True once a sink asked the run to stop. */
  get stopRequested(): boolean {
    for (const sink of this.sinks) if (sink.stopRequested === true) return true;
    return false;
  }

  header(header: TraceHeader): void {
    if (!this.emitting) return;
    const line = JSON.stringify(header);
    for (const sink of this.sinks) sink.header(header, line);
  }

  /** Seals a payload (see sealPayload) and mixes it into the hash; throws if it is not JSON data. */
  absorb(payload: unknown, where: string | (() => string)): JsonValue {
    return sealPayload(payload, this.hash, where, this.strictPayloads);
  }

  start(timeUs: number, node: number): void {
    this.begin('start', timeUs, node);
    const clockUs = this.clockOf(node);
    if (this.emitting) this.emit(withClock({ n: this.count, timeUs, kind: 'start', node: this.id(node) }, clockUs));
  }

  send(timeUs: number, from: number, to: number, msg: number, deliverAtUs: number | null, payload: JsonValue): void {
    this.begin('send', timeUs, from);
    this.hash.number(to);
    this.hash.number(msg);
    this.hash.number(deliverAtUs ?? -1);
    if (this.emitting) {
      const n = this.count;
      const line = `{"n":${n},"timeUs":${timeUs},"kind":"send","from":${this.quote(from)},"to":${this.quote(to)},"msg":${msg},"deliverAtUs":${deliverAtUs ?? 'null'},"payload":${this.json(payload)}}`;
      this.emitLine({ n, timeUs, kind: 'send', from: this.id(from), to: this.id(to), msg, deliverAtUs, payload }, line);
    }
  }

  deliver(timeUs: number, from: number, to: number, msg: number, payload: JsonValue): void {
    this.begin('deliver', timeUs, to);
    this.hash.number(msg);
    const clockUs = this.nodeClock === null ? undefined : this.clockOf(to);
    if (this.emitting) {
      const n = this.count;
      const clock = clockUs === undefined ? '' : `"clockUs":${clockUs},`;
      const line = `{"n":${n},"timeUs":${timeUs},${clock}"kind":"deliver","from":${this.quote(from)},"to":${this.quote(to)},"msg":${msg},"payload":${this.json(payload)}}`;
      const event: TraceEvent = { n, timeUs, kind: 'deliver', from: this.id(from), to: this.id(to), msg, payload };
      this.emitLine(clockUs === undefined ? event : withClock(event, clockUs), line);
    }
  }

  drop(timeUs: number, from: number, to: number, msg: number, reason: DropReason, payload: JsonValue): void {
    this.begin('drop', timeUs, to);
    this.hash.number(msg);
    this.hash.word(DROP_CODE[reason]);
    if (this.emitting) {
      this.emit({ n: this.count, timeUs, kind: 'drop', from: this.id(from), to: this.id(to), msg, reason, payload });
    }
  }

  duplicate(timeUs: number, from: number, to: number, msg: number, copyOf: number, deliverAtUs: number): void {
    this.begin('duplicate', timeUs, to);
    this.hash.number(msg);
    this.hash.number(copyOf);
    this.hash.number(deliverAtUs);
    if (this.emitting) {
      this.emit({ n: this.count, timeUs, kind: 'duplicate', from: this.id(from), to: this.id(to), msg, copyOf, deliverAtUs });
    }
  }

  timerSet(timeUs: number, node: number, timer: number, fireAtUs: number, payload: JsonValue): void {
    this.begin('timer-set', timeUs, node);
    this.hash.number(timer);
    this.hash.number(fireAtUs);
    if (this.emitting) {
      this.emit({ n: this.count, timeUs, kind: 'timer-set', node: this.id(node), timer, fireAtUs, payload });
    }
  }

  timerFire(timeUs: number, node: number, timer: number, payload: JsonValue): void {
    this.begin('timer-fire', timeUs, node);
    this.hash.number(timer);
    const clockUs = this.clockOf(node);
    if (this.emitting) this.emit(withClock({ n: this.count, timeUs, kind: 'timer-fire', node: this.id(node), timer, payload }, clockUs));
  }

  timerCancel(timeUs: number, node: number, timer: number): void {
    this.begin('timer-cancel', timeUs, node);
    this.hash.number(timer);
    if (this.emitting) this.emit({ n: this.count, timeUs, kind: 'timer-cancel', node: this.id(node), timer });
  }

  /** `survivedWrites`: keys whose unsynced write a torn crash kept (null: not a torn crash, the field is left out). */
  crash(timeUs: number, node: number, lostWrites: number, lostTimers: number, scripted: boolean, survivedWrites: readonly string[] | null = null): void {
    this.begin('crash', timeUs, node);
    this.hash.number(lostWrites);
    this.hash.number(lostTimers);
    if (survivedWrites !== null) {
      this.hash.number(survivedWrites.length);
      for (const key of survivedWrites) this.hash.string(key);
    }
    this.mark(scripted);
    if (this.emitting) {
      const base: TraceEvent = { n: this.count, timeUs, kind: 'crash', node: this.id(node), lostWrites, lostTimers };
      const event: TraceEvent = survivedWrites === null ? base : { ...base, survivedWrites: [...survivedWrites] };
      this.emit(scripted ? { ...event, by: 'script' } : event);
    }
  }

  restart(timeUs: number, node: number, scripted: boolean): void {
    this.begin('restart', timeUs, node);
    this.mark(scripted);
    const clockUs = this.clockOf(node);
    if (this.emitting) {
      const event: TraceEvent = { n: this.count, timeUs, kind: 'restart', node: this.id(node) };
      this.emit(withClock(scripted ? { ...event, by: 'script' } : event, clockUs));
    }
  }

  /** `shape` null or `halves` is a split into groups and is not written (so version-1 traces keep their lines and hashes). */
  partition(timeUs: number, groups: readonly (readonly number[])[], scripted: boolean, shape: PartitionShape | null = null): void {
    this.begin('partition', timeUs, -1);
    for (const group of groups) {
      this.hash.number(group.length);
      for (const node of group) this.hash.number(node);
    }
    const shown = shape === 'halves' ? null : shape;
    if (shown !== null) this.hash.word(0x5a4e0000 | PARTITION_SHAPES.indexOf(shown));
    this.mark(scripted);
    if (this.emitting) {
      const named = groups.map((g) => g.map((i) => this.id(i)));
      const event: TraceEvent =
        shown === null ? { n: this.count, timeUs, kind: 'partition', groups: named } : { n: this.count, timeUs, kind: 'partition', shape: shown, groups: named };
      this.emit(scripted ? { ...event, by: 'script' } : event);
    }
  }

  heal(timeUs: number, scripted: boolean): void {
    this.begin('heal', timeUs, -1);
    this.mark(scripted);
    if (this.emitting) this.emit(scripted ? { n: this.count, timeUs, kind: 'heal', by: 'script' } : { n: this.count, timeUs, kind: 'heal' });
  }

  /** The liveness phase begins (the heals and restarts it causes are recorded after it). */
  settle(timeUs: number): void {
    this.begin('settle', timeUs, -1);
    if (this.emitting) this.emit({ n: this.count, timeUs, kind: 'settle' });
  }

  /** Something happened to `node`'s disk (see DiskFault). */
  diskFault(timeUs: number, node: number, fault: DiskFault, scripted: boolean): void {
    this.begin('disk-fault', timeUs, node);
    this.hash.word(DISK_FAULT_CODE[fault.fault]);
    if (fault.fault === 'corrupt-read') {
      this.hash.string(fault.key);
      this.hash.number(fault.path.length);
      for (const step of fault.path) {
        if (typeof step === 'number') this.hash.number(step);
        else this.hash.string(step);
      }
      this.hash.number(fault.bit);
    } else if (fault.fault === 'full') {
      this.hash.string(fault.key);
      this.hash.number(fault.bytes);
      this.hash.number(fault.freeBytes);
    }
    this.mark(scripted);
    if (this.emitting) {
      const event: TraceEvent = { n: this.count, timeUs, kind: 'disk-fault', node: this.id(node), ...fault };
      this.emit(scripted ? { ...event, by: 'script' as const } : event);
    }
  }

  /** A client history event; `value` (undefined: none) must already have been absorbed. */
  op(timeUs: number, node: number, type: HistoryEventType, process: number, value: JsonValue | undefined): void {
    this.begin('op', timeUs, node);
    this.hash.word(OP_CODE[type]);
    this.hash.number(process);
    // The value's words are already in the hash; mark whether there was one.
    this.hash.word(value === undefined ? 0 : 1);
    if (this.emitting) {
      const event: TraceEvent = { n: this.count, timeUs, kind: 'op', node: this.id(node), process, type };
      this.emit(value === undefined ? event : { ...event, value });
    }
  }

  /** `data` must already have been absorbed (frozen and hashed). */
  log(timeUs: number, node: number, text: string, data: JsonValue): void {
    this.begin('log', timeUs, node);
    this.hash.string(text);
    if (this.emitting) {
      this.emit({ n: this.count, timeUs, kind: 'log', node: node < 0 ? null : this.id(node), text, data });
    }
  }

  failure(timeUs: number, failure: FailureKind, property: string | null, node: number, message: string): void {
    this.begin('failure', timeUs, node);
    this.hash.string(failure);
    this.hash.string(message);
    if (this.emitting) {
      this.emit({
        n: this.count,
        timeUs,
        kind: 'failure',
        failure,
        property,
        node: node < 0 ? null : this.id(node),
        message,
      });
    }
  }

  /**
   * Records an event of a kind whose recording lives in its own file (the
   * network faults: src/trace/network-events.ts): `mix` puts the event's own
   * fields into the hash, `build` makes the event (only called when a sink
   * wants it). `node` (-1: none) goes into the hash with the kind.
   */
  record(kind: TraceEventKind, timeUs: number, node: number, scripted: boolean, mix: (hash: RollingHash) => void, build: (n: number) => TraceEvent): void {
    this.begin(kind, timeUs, node);
    mix(this.hash);
    this.mark(scripted);
    if (this.emitting) {
      const event = build(this.count);
      this.emit(scripted ? ({ ...event, by: 'script' } as TraceEvent) : event);
    }
  }

  /** `node` stops handling anything until `untilUs` (a pause of `durationUs` from now, or an extension). */
  pause(timeUs: number, node: number, durationUs: number, untilUs: number, scripted: boolean): void {
    this.begin('pause', timeUs, node);
    this.hash.number(durationUs);
    this.hash.number(untilUs);
    this.mark(scripted);
    if (this.emitting) {
      const event: TraceEvent = { n: this.count, timeUs, kind: 'pause', node: this.id(node), durationUs, untilUs };
      this.emit(scripted ? { ...event, by: 'script' } : event);
    }
  }

  /** `node`'s pause ends; it held `heldMessages` deliveries and `heldTimers` timers, which run next. */
  resume(timeUs: number, node: number, heldMessages: number, heldTimers: number): void {
    this.begin('resume', timeUs, node);
    this.hash.number(heldMessages);
    this.hash.number(heldTimers);
    if (this.emitting) this.emit({ n: this.count, timeUs, kind: 'resume', node: this.id(node), heldMessages, heldTimers });
  }

  /** Message `msg` from `from` reached paused `node` and waits in its inbox. */
  holdMessage(timeUs: number, node: number, from: number, msg: number): void {
    this.begin('pause-hold', timeUs, node);
    this.hash.word(0);
    this.hash.number(from);
    this.hash.number(msg);
    if (this.emitting) this.emit({ n: this.count, timeUs, kind: 'pause-hold', node: this.id(node), from: this.id(from), msg });
  }

  /** Timer `timer` came due on paused `node` and waits. */
  holdTimer(timeUs: number, node: number, timer: number): void {
    this.begin('pause-hold', timeUs, node);
    this.hash.word(1);
    this.hash.number(timer);
    if (this.emitting) this.emit({ n: this.count, timeUs, kind: 'pause-hold', node: this.id(node), timer });
  }

  /** `node`'s clock reads `clockUs` (true time + `skewUs`) now and runs `driftPpm` fast. */
  clockSkew(timeUs: number, node: number, clockUs: number, skewUs: number, driftPpm: number, scripted: boolean): void {
    this.begin('clock-skew', timeUs, node);
    this.hash.number(clockUs);
    this.hash.number(skewUs);
    this.hash.number(driftPpm);
    this.mark(scripted);
    if (this.emitting) {
      const event: TraceEvent = { n: this.count, timeUs, clockUs, kind: 'clock-skew', node: this.id(node), skewUs, driftPpm };
      this.emit(scripted ? { ...event, by: 'script' } : event);
    }
  }

  /** `node`'s clock stepped by `deltaUs` and now reads `clockUs`. */
  clockJump(timeUs: number, node: number, clockUs: number, deltaUs: number, scripted: boolean): void {
    this.begin('clock-jump', timeUs, node);
    this.hash.number(clockUs);
    this.hash.number(deltaUs);
    this.mark(scripted);
    if (this.emitting) {
      const event: TraceEvent = { n: this.count, timeUs, clockUs, kind: 'clock-jump', node: this.id(node), deltaUs };
      this.emit(scripted ? { ...event, by: 'script' } : event);
    }
  }

  /** The last line: why the run stopped, and the hash of everything before it. */
  end(timeUs: number, reason: EndReason, steps: number): string {
    const hash = this.hash.hex();
    this.count++;
    if (this.emitting) this.emit({ n: this.count, timeUs, kind: 'end', reason, steps, hash });
    return hash;
  }

  private begin(kind: TraceEventKind, timeUs: number, node: number): void {
    this.count++;
    // Kind and node share one word (node -1, "none", included): the hash runs on every event.
    // Kind codes must fit 5 bits: at most 32 kinds (test/trace/kinds.test.ts holds that).
    this.hash.word((node << 5) | CODE[kind]);
    this.hash.number(timeUs);
  }

  /** `node`'s clock reading, mixed into the hash, when clocks are on; undefined (and nothing hashed) otherwise. */
  private clockOf(node: number): number | undefined {
    const read = this.nodeClock;
    if (read === null) return undefined;
    const clockUs = read(node);
    this.hash.number(clockUs);
    return clockUs;
  }

  private mark(scripted: boolean): void {
    if (scripted) this.hash.word(SCRIPT_WORD);
  }

  private id(node: number): NodeId {
    return this.ids[node] as NodeId;
  }

  private emit(event: TraceEvent): void {
    this.emitLine(event, JSON.stringify(event));
  }

  /** `line` must be exactly JSON.stringify(event) (a test holds the hand-built lines to that). */
  private emitLine(event: TraceEvent, line: string): void {
    for (const sink of this.sinks) sink.event(event, line);
  }

  private quote(node: number): string {
    return this.quoted[node] as string;
  }

  private json(payload: JsonValue): string {
    // A WeakMap cache of payload JSON was tried: ephemeron upkeep cost more than it saved.
    return JSON.stringify(payload);
  }
}

/** `event` with `clockUs` right after `timeUs` (so the line reads n, timeUs, clockUs, kind, ...), or as it is when undefined. */
function withClock(event: TraceEvent, clockUs: number | undefined): TraceEvent {
  if (clockUs === undefined) return event;
  const { n, timeUs, ...rest } = event;
  return { n, timeUs, clockUs, ...rest } as TraceEvent;
}
