/*
 * The viewer page's pure helpers (no DOM): durations as the terminal shows
 * them, the from/to rule of `faultline view` (and when a window is empty),
 * which events a filter keeps, binary searches over rows, node states before
 * and after an event (and whether they are known), and the short text drawn
 * beside each row. viewer.js draws with them.
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
  const match = /^(\d+)(?:\.(\d+))?(us|ms|s|m|h)$/.exec(trimmed);
  if (match === null) throw new Error(`${name}: "${text}" is neither an event number (120) nor a time with a unit (1.5s, 200ms)`);
  const decimals = match[2] === undefined ? '' : match[2];
  // Exact, in decimal digits: 1.000001s is a whole number of microseconds, 0.5us is not.
  if (decimals !== '' && (BigInt(decimals) * BigInt(UNIT_US[match[3]])) % 10n ** BigInt(decimals.length) !== 0n) {
    throw new Error(`${name}: "${text}" is not a whole number of microseconds`);
  }
  return { timeUs: Math.round(Number(`${match[1]}.${decimals || '0'}`) * UNIT_US[match[3]]) };
}

/**
 * Why a from/to window can hold no event (both event numbers, or both times,
 * and from after to), as src/view/filter.ts emptyWindowReason says it; null
 * when it can.
 */
function emptyWindowReason(from, to) {
  if (from === null || to === null) return null;
  if ('eventNumber' in from && 'eventNumber' in to && from.eventNumber > to.eventNumber) {
    return `event #${from.eventNumber} comes after #${to.eventNumber}`;
  }
  if ('timeUs' in from && 'timeUs' in to && from.timeUs > to.timeUs) return `${formatUs(from.timeUs)} comes after ${formatUs(to.timeUs)}`;
  return null;
}

/**
 * The indices of the events a filter keeps, ascending, read from the
 * per-event columns (src/view/event-columns.ts). `filter`: visibleLanes
 * (booleans by lane), messageKind and eventKind (codes, -1 for all), from and
 * to (parseBound results or null), search (lower-case text, '' for none)
 * with `haystack(i)` giving event i's lower-case line. A message-kind filter
 * hides the other messages' events and keeps events that carry no message.
 */
function computeRows(columns, lanes, filter, haystack) {
  const rows = [];
  const count = columns.kinds.length;
  const outside = (i, bound, below) => {
    const value = 'eventNumber' in bound ? i + 1 : columns.timesUs[i];
    const limit = 'eventNumber' in bound ? bound.eventNumber : bound.timeUs;
    return below ? value < limit : value > limit;
  };
  for (let i = 0; i < count; i++) {
    const lane = lanes[i];
    if (lane >= 0 && !filter.visibleLanes[lane]) continue;
    if (filter.eventKind >= 0 && columns.kinds[i] !== filter.eventKind) continue;
    // -1: no message (kept); any other code must match.
    if (filter.messageKind >= 0 && columns.messageKinds[i] !== -1 && columns.messageKinds[i] !== filter.messageKind) continue;
    if (filter.from !== null && outside(i, filter.from, true)) continue;
    if (filter.to !== null && outside(i, filter.to, false)) continue;
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
 * Position (in pairs) of the change in force just before event `n`
 * (inclusive false) or just after it (inclusive true), in a node's flat
 * [eventNumber, textIndex, ...] change list; -1 when there is none yet.
 */
function changeAt(changes, n, inclusive) {
  let lo = 0;
  let hi = changes.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const at = changes[mid * 2];
    if (at < n || (inclusive && at === n)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Whether a node's state before and after event `n` is known, given the
 * first event whose states are not (`stopsAt`, null when all are): the
 * state before event stopsAt is the last the replay gave; after it, none is.
 */
function stateKnown(n, stopsAt) {
  return { before: stopsAt === null || n <= stopsAt, after: stopsAt === null || n < stopsAt };
}

/** Applies patch operations (see src/view/state-patch.ts) to a state and returns it. */
function applyPatch(state, ops) {
  let top = state;
  for (const op of ops) {
    const path = op[1];
    if (path.length === 0 && op[0] === 's') {
      top = op[2];
      continue;
    }
    const parentPath = op[0] === 'a' || op[0] === 't' ? path : path.slice(0, -1);
    let target = top;
    for (const key of parentPath) target = target[key];
    const last = path[path.length - 1];
    if (op[0] === 's') target[last] = op[2];
    else if (op[0] === 'd') delete target[last];
    else if (op[0] === 'a') for (const item of op[2]) target.push(item);
    else target.length = op[2];
  }
  return top;
}

/**
 * The state a node held at change `position` of its list, rebuilt from the
 * last snapshot at or before it and the patches after that; undefined when
 * position is -1.
 */
function stateAtChange(changes, texts, position) {
  if (position < 0) return undefined;
  let start = position;
  let change = JSON.parse(texts[changes[start * 2 + 1]]);
  while (!('s' in change)) change = JSON.parse(texts[changes[--start * 2 + 1]]);
  let state = change.s;
  for (let i = start + 1; i <= position; i++) state = applyPatch(state, JSON.parse(texts[changes[i * 2 + 1]]).p);
  return state;
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
