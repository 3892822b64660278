/**
 * What the HTML space-time diagram draws, worked out once from a trace: the
 * lanes (one per node), which lane each event sits on, every message as an
 * arrow from where it left to where it ended (delivered, dropped, or still in
 * flight at the end), and the spans that shade a lane or the whole diagram
 * (a node down between crash and restart, a pause, a clog, a partition).
 * Positions are event indices (event number - 1); the page maps them to rows.
 */
import type { NodeId, TraceEvent } from '../trace/events.ts';

/** How a message's arrow ends. */
export const MESSAGE_END = { delivered: 0, dropped: 1, inFlight: 2 } as const;

/**
 * One arrow: `[sendIndex, endIndex, fromLane, toLane, end, copy, msg]`,
 * where `end` is a MESSAGE_END code, `copy` is 1 for a duplicate or an
 * adversary's forgery or replay (drawn dashed from the event that made it,
 * else 0), and `msg` the message's id.
 */
export type Arrow = [number, number, number, number, number, number, number];

/** What a shaded span stands for. */
export type SpanKind = 'down' | 'pause' | 'clog' | 'partition';

/** A shaded span from one event index to another; `lane` is -1 for the whole diagram. */
export interface Span {
  kind: SpanKind;
  lane: number;
  fromIndex: number;
  toIndex: number;
  label: string;
}

/** The diagram's shapes. */
export interface Diagram {
  /** Node ids in the order they first appear (their start events). */
  nodes: NodeId[];
  /** Lane of each event (by index), -1 for a cluster-wide event (partition, heal, settle, end). */
  lanes: number[];
  /** Arrows in order of their first index. */
  arrows: Arrow[];
  spans: Span[];
  /** Index of the failure event, or -1 when the run passed. */
  failureIndex: number;
}

/** The node an event is drawn on: the sender for a send, the receiver for what happens to a message, else its node. */
export function laneNode(event: TraceEvent): NodeId | null {
  if (event.kind === 'send') return event.from;
  if ('to' in event) return event.to;
  if ('node' in event && typeof event.node === 'string') return event.node;
  return null;
}

/** Lays out `events` as lanes, arrows and spans. */
export function buildDiagram(events: readonly TraceEvent[]): Diagram {
  const nodes: NodeId[] = [];
  const laneOf = new Map<NodeId, number>();
  const lane = (node: NodeId): number => {
    let index = laneOf.get(node);
    if (index === undefined) {
      index = nodes.length;
      nodes.push(node);
      laneOf.set(node, index);
    }
    return index;
  };
  const lanes = events.map((event) => {
    const node = laneNode(event);
    if (event.kind === 'partition') for (const group of event.groups) for (const member of group) lane(member);
    return node === null ? -1 : lane(node);
  });
  return {
    nodes,
    lanes,
    arrows: buildArrows(events, lane),
    spans: buildSpans(events, lane),
    failureIndex: events.findIndex((event) => event.kind === 'failure'),
  };
}

function buildArrows(events: readonly TraceEvent[], lane: (node: NodeId) => number): Arrow[] {
  const open = new Map<number, Arrow>();
  const arrows: Arrow[] = [];
  const start = (msg: number, index: number, from: NodeId, to: NodeId, copy: number): void => {
    const arrow: Arrow = [index, events.length - 1, lane(from), lane(to), MESSAGE_END.inFlight, copy, msg];
    open.set(msg, arrow);
    arrows.push(arrow);
  };
  events.forEach((event, index) => {
    switch (event.kind) {
      case 'send':
        start(event.msg, index, event.from, event.to, 0);
        break;
      case 'duplicate':
      case 'adversary':
        if (event.kind === 'duplicate' || event.action !== 'tamper') start(event.msg, index, event.from, event.to, 1);
        break;
      case 'deliver':
      case 'drop': {
        const arrow = open.get(event.msg);
        if (arrow === undefined) break;
        arrow[1] = index;
        arrow[4] = event.kind === 'deliver' ? MESSAGE_END.delivered : MESSAGE_END.dropped;
        open.delete(event.msg);
        break;
      }
    }
  });
  return arrows;
}

function buildSpans(events: readonly TraceEvent[], lane: (node: NodeId) => number): Span[] {
  const spans: Span[] = [];
  const open = new Map<string, Span>();
  const begin = (key: string, span: Omit<Span, 'toIndex'>): void => {
    if (open.has(key)) return; // a pause of a paused node extends it; the first event still marks its start
    const full: Span = { ...span, toIndex: events.length - 1 };
    open.set(key, full);
    spans.push(full);
  };
  const close = (key: string, index: number): void => {
    const span = open.get(key);
    if (span === undefined) return;
    span.toIndex = index;
    open.delete(key);
  };
  events.forEach((event, index) => {
    switch (event.kind) {
      case 'crash':
        begin(`down ${event.node}`, { kind: 'down', lane: lane(event.node), fromIndex: index, label: `${event.node} down` });
        break;
      case 'restart':
        close(`down ${event.node}`, index);
        break;
      case 'pause':
        begin(`pause ${event.node}`, { kind: 'pause', lane: lane(event.node), fromIndex: index, label: `${event.node} paused` });
        break;
      case 'resume':
        close(`pause ${event.node}`, index);
        break;
      case 'clog':
      case 'unclog': {
        const key = 'node' in event ? `clog ${event.node} ${event.direction}` : `clog ${event.from}>${event.to}`;
        // Unclogging a node's traffic in one direction, or both, ends every clog of it that direction covers.
        if (event.kind === 'unclog' && 'node' in event) {
          const directions = event.direction === 'both' ? ['inbound', 'outbound', 'both'] : [event.direction];
          for (const direction of directions) close(`clog ${event.node} ${direction}`, index);
        } else if (event.kind === 'unclog') close(key, index);
        else if ('node' in event) begin(key, { kind: 'clog', lane: lane(event.node), fromIndex: index, label: `${event.node} clogged (${event.direction})` });
        else begin(key, { kind: 'clog', lane: lane(event.to), fromIndex: index, label: `link ${event.from} -> ${event.to} clogged` });
        break;
      }
      case 'partition':
        // A new partition replaces the one in effect.
        close('partition', index);
        begin('partition', { kind: 'partition', lane: -1, fromIndex: index, label: partitionLabel(event) });
        break;
      case 'heal':
        close('partition', index);
        break;
    }
  });
  return spans;
}

function partitionLabel(event: Extract<TraceEvent, { kind: 'partition' }>): string {
  const groups = event.groups.map((group) => `[${group.join(' ')}]`);
  if (event.shape === 'asymmetric') return `partition (one-way): ${groups[0] ?? '[]'} -/-> ${groups[1] ?? '[]'}`;
  return `partition${event.shape === undefined ? '' : ` (${event.shape})`}: ${groups.join(' | ')}`;
}
