/**
 * The short fixed-column timeline printed with a failure (and by replay):
 * virtual time, event number, node, kind, peer, and a one-line summary.
 */
import pc from 'picocolors';
import type { TraceEvent } from '../trace/events.ts';
import { formatDuration } from '../sim/duration.ts';
import { formatSignedDuration } from '../sim/signed-duration.ts';

/** Column widths in characters, so every line lines up. */
const WIDTH = { time: 14, number: 7, kind: 12, detail: 72 } as const;

/**
 * The node and peer columns are as wide as the longest name among the events
 * shown, at least NAME_MIN (so short names keep the familiar layout) and at
 * most NAME_MAX; a longer name is clipped in the middle, keeping its end,
 * where ids usually differ (`participant3`).
 */
const NAME_MIN = 10;
const NAME_MAX = 24;

/** Formatting choices for the timeline. */
export interface TimelineOptions {
  /** Colour output (only when writing to a terminal). */
  color: boolean;
}

/** Formats events as aligned lines, with a header line first. */
export function formatTimeline(events: readonly TraceEvent[], options: TimelineOptions): string[] {
  const colors = pc.createColors(options.color);
  const described = events.map(describe);
  const widthOf = (names: string[]): number => Math.min(NAME_MAX, Math.max(NAME_MIN, ...names.map((name) => oneLine(name).length)));
  const widths: NameWidths = { node: widthOf(described.map(([node]) => node)), peer: widthOf(described.map(([, peer]) => peer)) };
  const head = row(widths, 'time', '#', 'node', 'kind', 'peer', 'detail');
  const lines = [colors.dim(head)];
  events.forEach((event, i) => {
    const [node, peer, summary] = described[i] as [string, string, string];
    // With clocks on, what the node's own clock read (events of other kinds have none).
    const detail = event.clockUs === undefined || event.kind === 'clock-skew' || event.kind === 'clock-jump'
      ? summary
      : `[clock ${formatSignedDuration(event.clockUs)}] ${summary}`;
    const line = row(widths, formatDuration(event.timeUs), String(event.n), node, event.kind, peer, detail);
    lines.push(colorFor(event, colors)(line));
  });
  return lines;
}

/** Widths of the node and peer columns of one timeline. */
interface NameWidths {
  node: number;
  peer: number;
}

function row(widths: NameWidths, time: string, n: string, node: string, kind: string, peer: string, detail: string): string {
  return [
    time.padStart(WIDTH.time),
    n.padStart(WIDTH.number),
    clipMiddle(oneLine(node), widths.node).padEnd(widths.node),
    clip(kind, WIDTH.kind).padEnd(WIDTH.kind),
    clipMiddle(oneLine(peer), widths.peer).padEnd(widths.peer),
    clip(detail, WIDTH.detail),
  ].join('  ').trimEnd();
}

/** One event, one line: line breaks in logs or error messages would break the columns. */
function oneLine(text: string): string {
  return text.replace(/\r?\n|\r|\t/g, ' ⏎ ');
}

function clip(raw: string, width: number): string {
  const text = oneLine(raw);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A name clipped to `width` by cutting its middle, so both its start and its end (often an index) stay. */
function clipMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  const tail = Math.floor((width - 1) / 2);
  return `${text.slice(0, width - 1 - tail)}…${text.slice(text.length - tail)}`;
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

/** [node, peer, detail] columns of one event. */
function describe(e: TraceEvent): [string, string, string] {
  switch (e.kind) {
    case 'start':
    case 'restart':
      return [e.node, '', ''];
    case 'send':
      return [e.from, e.to, `msg ${e.msg} ${e.deliverAtUs === null ? 'not sent on' : `arrives ${formatDuration(e.deliverAtUs)}`} ${json(e.payload)}`];
    case 'deliver':
      return [e.to, e.from, `msg ${e.msg} ${json(e.payload)}`];
    case 'drop':
      return [e.to, e.from, `msg ${e.msg} (${e.reason}) ${json(e.payload)}`];
    case 'duplicate':
      return [e.to, e.from, `msg ${e.msg} copies ${e.copyOf}, arrives ${formatDuration(e.deliverAtUs)}`];
    case 'timer-set':
      return [e.node, '', `timer ${e.timer} fires ${formatDuration(e.fireAtUs)} ${json(e.payload)}`];
    case 'timer-fire':
      return [e.node, '', `timer ${e.timer} ${json(e.payload)}`];
    case 'timer-cancel':
      return [e.node, '', `timer ${e.timer}`];
    case 'crash': {
      const lost = `lost ${e.lostWrites} unsynced write(s), ${e.lostTimers} timer(s)`;
      return [e.node, '', e.survivedWrites === undefined ? lost : `${lost}; torn: kept ${e.survivedWrites.length} ${json(e.survivedWrites)}`];
    }
    case 'partition':
      return ['', '', describePartition(e)];
    case 'heal':
      return ['', '', 'all links restored'];
    case 'settle':
      return ['', '', 'liveness phase: random faults stop; heal, unclog, resume, restart'];
    case 'op':
      return [e.node, '', `process ${e.process} ${e.type}${e.value === undefined ? '' : ` ${json(e.value)}`}`];
    case 'log':
      return [e.node ?? '', '', e.data === null ? e.text : `${e.text} ${json(e.data)}`];
    case 'failure':
      return [e.node ?? '', '', `${e.failure}${e.property === null ? '' : ` "${e.property}"`}: ${e.message}`];
    case 'end':
      return ['', '', `${e.reason} after ${e.steps} steps, hash ${e.hash}`];
    case 'clog':
    case 'unclog':
      return 'node' in e ? [e.node, '', e.direction] : [e.from, e.to, 'link'];
    case 'hold':
      return [e.to, e.from, `msg ${e.msg} (${e.reason})`];
    case 'release':
      return [e.to, e.from, `msg ${e.msg} ${e.deliverAtUs === null ? 'dropped on the way' : `arrives ${formatDuration(e.deliverAtUs)}`}`];
    case 'corrupt':
      return [e.to, e.from, `msg ${e.msg} ${pathText(e.path)}: ${json(e.before)} -> ${json(e.after)}`];
    case 'adversary':
      return e.action === 'tamper'
        ? [e.to, e.from, `tamper msg ${e.msg} ${pathText(e.path)}: ${json(e.before)} -> ${json(e.after)}`]
        : [e.to, e.from, `${e.action} msg ${e.msg} copies ${e.copyOf}, arrives ${formatDuration(e.deliverAtUs)}`];
    case 'load':
      return ['', '', describeLoad(e.nodes)];
    case 'disk-fault':
      return [e.node, '', describeDiskFault(e)];
    case 'pause':
      return [e.node, '', `stops the world for ${formatDuration(e.durationUs)}, until ${formatDuration(e.untilUs)}`];
    case 'resume':
      return [e.node, '', `held ${e.heldMessages} message(s) and ${e.heldTimers} timer(s), handled next`];
    case 'clock-skew':
      return [e.node, '', `clock reads ${formatSignedDuration(e.clockUs ?? 0)}: skew ${formatSignedDuration(e.skewUs)}, drift ${e.driftPpm}ppm`];
    case 'clock-jump':
      return [e.node, '', `clock jumps ${e.deltaUs >= 0 ? '+' : ''}${formatSignedDuration(e.deltaUs)} to ${formatSignedDuration(e.clockUs ?? 0)}`];
    case 'pause-hold':
      return 'msg' in e ? [e.node, e.from, `msg ${e.msg} waits in the paused node's inbox`] : [e.node, '', `timer ${e.timer} waits for the resume`];
  }
}

function describeDiskFault(e: Extract<TraceEvent, { kind: 'disk-fault' }>): string {
  switch (e.fault) {
    case 'corrupt-read': {
      const where = e.path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
      return `corrupt read of ${json(e.key)}${where === '' ? '' : ` at ${where}`} (bit ${e.bit})`;
    }
    case 'full':
      return `put ${json(e.key)} refused, disk full: needs ${e.bytes} bytes, ${e.freeBytes} free`;
    case 'fill':
      return 'disk made full';
    case 'free':
      return 'disk has room again';
  }
}

function describePartition(e: Extract<TraceEvent, { kind: 'partition' }>): string {
  const groups = e.groups.map((g) => `[${g.join(' ')}]`);
  if (e.shape === 'asymmetric') return `asymmetric: ${groups[0] ?? '[]'} -/-> ${groups[1] ?? '[]'}`;
  return `${e.shape === undefined ? '' : `${e.shape}: `}${groups.join(' | ')}`;
}

/** A payload path as `.key[2].other` (`(top)` for the payload itself). */
function pathText(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(top)';
  return path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
}

/** The busiest nodes first (most received plus dropped), three of them. */
function describeLoad(nodes: Extract<TraceEvent, { kind: 'load' }>['nodes']): string {
  const busiest = Object.entries(nodes)
    .map(([id, load], index) => ({ id, load, index }))
    .sort((a, b) => b.load.received + b.load.dropped - (a.load.received + a.load.dropped) || a.index - b.index)
    .slice(0, 3);
  return busiest.map(({ id, load }) => `${id} recv ${load.received} drop ${load.dropped} depth ${load.queueDepthMax}`).join('; ');
}

type Paint = (text: string) => string;

function colorFor(event: TraceEvent, colors: ReturnType<typeof pc.createColors>): Paint {
  switch (event.kind) {
    case 'failure':
      return colors.red;
    case 'drop':
    case 'crash':
    case 'partition':
    case 'disk-fault':
    case 'clog':
    case 'hold':
    case 'corrupt':
    case 'adversary':
    case 'pause':
    case 'clock-jump':
      return colors.yellow;
    case 'restart':
    case 'heal':
    case 'settle':
    case 'unclog':
    case 'resume':
      return colors.green;
    case 'log':
      return colors.cyan;
    default:
      return (text) => text;
  }
}
