/*
 * The viewer page's pure helpers (no DOM): durations as the terminal shows
 * them, the from/to rule of `faultline view`, which events a filter keeps,
 * binary searches over rows, node states before and after an event, and the
 * short text drawn beside each row. viewer.js draws with them.
 */
'use strict';

/** Height of one event row in CSS pixels. */
const ROW_HEIGHT_PX = 20;

/** Microseconds for people, exactly as src/sim/duration.ts formatDuration writes them. */
function formatUs(micros) {
  const trim = (fixed) => (fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed);
  if (micros < 1000) return `${micros}us`;
  if (micros < 1000000) return `${trim((micros / 1000).toFixed(3))}ms`;
  return `${trim((micros / 1000000).toFixed(6))}s`;
}

const UNIT_US = { us: 1, ms: 1000, s: 1000000, m: 60000000, h: 3600000000 };

/**
 * A from/to box: empty is no bound, a bare integer an event number, a number
 * with a unit (1.5s, 200ms) a virtual time. Throws an Error naming the box.
 */
function parseBound(text, name) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return { eventNumber: Number(trimmed) };
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(trimmed);
  if (match === null) throw new Error(`${name}: "${text}" is neither an event number (120) nor a time with a unit (1.5s, 200ms)`);
  return { timeUs: Math.round(Number(match[1]) * UNIT_US[match[2]]) };
}

function boundValue(event, bound) {
  return 'eventNumber' in bound ? [event.n, bound.eventNumber] : [event.timeUs, bound.timeUs];
}

/** The `kind` of each event's message ('' when it carries none); copies and forgeries take their original's. */
function messageKinds(events) {
  const byMsg = new Map();
  return events.map((event) => {
    let kind = '';
    const payload = event.payload;
    if (payload !== null && typeof payload === 'object' && !Array.isArray(payload) && typeof payload.kind === 'string') kind = payload.kind;
    else if (event.copyOf !== undefined) kind = byMsg.get(event.copyOf) || '';
    else if (event.msg !== undefined) kind = byMsg.get(event.msg) || '';
    if (event.msg !== undefined && kind !== '' && !byMsg.has(event.msg)) byMsg.set(event.msg, kind);
    return kind;
  });
}

/**
 * The indices of the events a filter keeps, ascending. `filter`: visibleLanes
 * (booleans by lane), messageKind and eventKind ('' for all), from and to
 * (parseBound results or null), search (lower-case text, '' for none) with
 * `haystack(i)` giving event i's lower-case text. A message-kind filter hides
 * the other messages' events and keeps events that carry no message.
 */
function computeRows(events, lanes, kinds, filter, haystack) {
  const rows = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const lane = lanes[i];
    if (lane >= 0 && !filter.visibleLanes[lane]) continue;
    if (filter.eventKind !== '' && event.kind !== filter.eventKind) continue;
    if (filter.messageKind !== '' && kinds[i] !== '' && kinds[i] !== filter.messageKind) continue;
    if (filter.messageKind !== '' && kinds[i] === '' && event.msg !== undefined) continue;
    if (filter.from !== null) {
      const [value, bound] = boundValue(event, filter.from);
      if (value < bound) continue;
    }
    if (filter.to !== null) {
      const [value, bound] = boundValue(event, filter.to);
      if (value > bound) continue;
    }
    if (filter.search !== '' && !haystack(i).includes(filter.search)) continue;
    rows.push(i);
  }
  return Int32Array.from(rows);
}

/** First position in the ascending `values` whose value is >= `target` (values.length when none). */
function lowerBound(values, target, read) {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((read === undefined ? values[mid] : read(values[mid])) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The state text index a node held just before event `n` (inclusive false)
 * or just after it (inclusive true), from its flat [eventNumber, text, ...]
 * change list; -1 when nothing is known yet.
 */
function stateAt(changes, n, inclusive) {
  let lo = 0;
  let hi = changes.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const at = changes[mid * 2];
    if (at < n || (inclusive && at === n)) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? -1 : changes[(lo - 1) * 2 + 1];
}

/** The short text beside an event's row. */
function shortText(event, kind) {
  const what = kind === '' ? '' : ` ${kind}`;
  switch (event.kind) {
    case 'send':
      return `send${what} → ${event.to}${event.deliverAtUs === null ? ' (not sent on)' : ''}`;
    case 'deliver':
      return `deliver${what} ← ${event.from}`;
    case 'drop':
      return `drop${what} (${event.reason}) ${event.from} → ${event.to}`;
    case 'duplicate':
      return `duplicate of msg ${event.copyOf}${what}`;
    case 'timer-set':
    case 'timer-fire':
      return `${event.kind} ${JSON.stringify(event.payload)}`;
    case 'partition':
      return `partition ${event.groups.map((g) => `[${g.join(' ')}]`).join(event.shape === 'asymmetric' ? ' -/-> ' : ' | ')}`;
    case 'failure':
      return `FAILURE ${event.failure}${event.property === null ? '' : ` "${event.property}"`}`;
    case 'op':
      return `op ${event.type}${event.value === undefined ? '' : ` ${JSON.stringify(event.value)}`}`;
    case 'log':
      return `log ${event.text}`;
    case 'end':
      return `end: ${event.reason}`;
    default:
      return event.kind;
  }
}
