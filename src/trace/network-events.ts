/**
 * Recording of the network-fault events (clog, unclog, hold, release,
 * corrupt, adversary, load) through the Recorder's generic `record`: each
 * hashes its own fields (node indices and numbers, never strings it can
 * avoid) and builds its event only when a sink wants it.
 */
import type { Recorder } from './recorder.ts';
import type { RollingHash } from './hash.ts';
import type { ClogDirection, HoldReason, JsonPath, JsonValue, NodeId, NodeLoad, TraceEvent } from './events.ts';

/** A clog's target by node index: one node's traffic, or one directed link. */
export type ClogTarget = { node: number; direction: ClogDirection } | { from: number; to: number };

const DIRECTION_CODE: Record<ClogDirection, number> = { inbound: 1, outbound: 2, both: 3 };
const HOLD_CODE: Record<HoldReason, number> = { clog: 1, backpressure: 2 };
const ACTION_CODE = { forge: 1, replay: 2, tamper: 3 } as const;

/** Writes the network-fault events of one run. */
export class NetworkRecorder {
  constructor(
    private readonly recorder: Recorder,
    private readonly ids: readonly NodeId[],
  ) {}

  /** A clog (`on`) or unclog of `target`. */
  clog(timeUs: number, target: ClogTarget, on: boolean, scripted: boolean): void {
    const kind = on ? 'clog' : 'unclog';
    if ('node' in target) {
      // A target-type word first (0 node, 1 link), so a node clog never hashes like a link clog to node 1..3.
      this.recorder.record(kind, timeUs, target.node, scripted, (h) => (h.word(0), h.word(DIRECTION_CODE[target.direction])), (n) => ({
        n, timeUs, kind, node: this.id(target.node), direction: target.direction,
      }) as TraceEvent);
    } else {
      this.recorder.record(kind, timeUs, target.from, scripted, (h) => (h.word(1), h.number(target.to)), (n) => ({
        n, timeUs, kind, from: this.id(target.from), to: this.id(target.to),
      }) as TraceEvent);
    }
  }

  hold(timeUs: number, from: number, to: number, msg: number, reason: HoldReason): void {
    this.recorder.record('hold', timeUs, to, false, (h) => {
      h.number(from);
      h.number(msg);
      h.word(HOLD_CODE[reason]);
    }, (n) => ({ n, timeUs, kind: 'hold', from: this.id(from), to: this.id(to), msg, reason }));
  }

  release(timeUs: number, from: number, to: number, msg: number, deliverAtUs: number | null): void {
    this.recorder.record('release', timeUs, to, false, (h) => {
      h.number(from);
      h.number(msg);
      h.number(deliverAtUs ?? -1);
    }, (n) => ({ n, timeUs, kind: 'release', from: this.id(from), to: this.id(to), msg, deliverAtUs }));
  }

  /** `after` must be part of a payload already absorbed (it is in the hash through it). */
  corrupt(timeUs: number, from: number, to: number, msg: number, path: JsonPath, before: JsonValue, after: JsonValue): void {
    this.recorder.record('corrupt', timeUs, to, false, (h) => {
      h.number(from);
      h.number(msg);
      hashPath(h, path);
    }, (n) => ({ n, timeUs, kind: 'corrupt', from: this.id(from), to: this.id(to), msg, path, before, after }));
  }

  /** The adversary injected `msg` (a forgery claiming to come from `from`, or a replay), a copy of `copyOf`'s payload. */
  inject(timeUs: number, action: 'forge' | 'replay', from: number, to: number, msg: number, copyOf: number, deliverAtUs: number): void {
    this.recorder.record('adversary', timeUs, to, false, (h) => {
      h.word(ACTION_CODE[action]);
      h.number(from);
      h.number(msg);
      h.number(copyOf);
      h.number(deliverAtUs);
    }, (n) => ({ n, timeUs, kind: 'adversary', action, from: this.id(from), to: this.id(to), msg, copyOf, deliverAtUs }));
  }

  /** The adversary changed a leaf of `msg` in flight; `after` is in the hash through the absorbed payload. */
  tamper(timeUs: number, from: number, to: number, msg: number, path: JsonPath, before: JsonValue, after: JsonValue): void {
    this.recorder.record('adversary', timeUs, to, false, (h) => {
      h.word(ACTION_CODE.tamper);
      h.number(from);
      h.number(msg);
      hashPath(h, path);
    }, (n) => ({ n, timeUs, kind: 'adversary', action: 'tamper', from: this.id(from), to: this.id(to), msg, path, before, after }));
  }

  /** Every node's load, in node order. */
  load(timeUs: number, loads: readonly NodeLoad[]): void {
    this.recorder.record('load', timeUs, -1, false, (h) => {
      for (const load of loads) {
        h.number(load.sent);
        h.number(load.received);
        h.number(load.dropped);
        h.number(load.queueDepthMax);
        h.number(load.waitingMax);
      }
    }, (n) => ({ n, timeUs, kind: 'load', nodes: Object.fromEntries(loads.map((load, i) => [this.id(i), { ...load }])) }));
  }

  private id(node: number): NodeId {
    return this.ids[node] as NodeId;
  }
}

function hashPath(hash: RollingHash, path: JsonPath): void {
  hash.number(path.length);
  for (const step of path) {
    if (typeof step === 'number') hash.number(step);
    else hash.string(step);
  }
}
