/*
 * The viewer page: a space-time (Lamport) diagram of one trace. One lane per
 * node, one row per event with virtual time running down the page, arrows
 * from send to delivery. Only the rows on screen (plus a margin) are drawn,
 * as SVG, each time the view scrolls or a filter changes, so a trace of
 * 100,000 events stays responsive. Helpers come from model.js, drawing
 * from draw.js.
 */
'use strict';
(function viewer() {
  const OVERSCAN_ROWS = 8;
  const ROW = ROW_HEIGHT_PX;

  const data = JSON.parse(document.getElementById('faultline-data').textContent);
  /** The raw event lines; an event is parsed when it is first drawn or shown. */
  const lines = document.getElementById('faultline-events').textContent.split('\n');
  const parsed = new Array(lines.length);
  const eventAt = (i) => parsed[i] || (parsed[i] = JSON.parse(lines[i]));
  const columns = data.columns;
  const eventCount = lines.length;
  const diagram = data.diagram;
  const nodes = diagram.nodes;
  const lanes = diagram.lanes;
  const arrows = diagram.arrows;
  const states = data.states;
  const messageKindName = (i) => (columns.messageKinds[i] >= 0 ? columns.messageKindNames[columns.messageKinds[i]] : '');
  /** The arrow of each message id, for the panel's links between a send and its delivery. */
  const arrowOfMsg = new Map();
  for (const arrow of arrows) arrowOfMsg.set(arrow[6], arrow);
  /** Longest arrow in events, so the arrows crossing the screen are found by a binary search. */
  const longestArrow = arrows.reduce((most, a) => Math.max(most, a[1] - a[0]), 0);
  const scene = {
    nodes,
    lanes,
    arrows,
    longestArrow,
    downSpans: diagram.spans.filter((span) => span.kind === 'down'),
    shadedSpans: diagram.spans.filter((span) => span.kind !== 'down'),
    failureIndex: diagram.failureIndex,
    eventAt,
    messageKindName,
  };

  const $ = (id) => document.getElementById(id);
  const scroller = $('scroller');
  const spacer = $('spacer');
  const svg = $('diagram');
  const view = {
    rows: new Int32Array(0),
    rowOf: new Int32Array(eventCount),
    laneX: [],
    widthPx: 0,
    selected: -1,
    filter: { visibleLanes: nodes.map(() => true), messageKind: -1, eventKind: -1, from: null, to: null, search: '' },
  };
  let haystackCache = null;
  const haystack = (i) => {
    if (haystackCache === null) haystackCache = new Array(eventCount);
    if (haystackCache[i] === undefined) haystackCache[i] = lines[i].toLowerCase();
    return haystackCache[i];
  };

  const esc = escapeHtml;

  function setUpTitle() {
    const failure = diagram.failureIndex >= 0 ? eventAt(diagram.failureIndex) : null;
    const verdict = failure === null
      ? 'passed'
      : `<span class="fail">FAILED: ${esc(failure.failure)}${failure.property === null ? '' : ` "${esc(failure.property)}"`} at #${failure.n}, ${formatUs(failure.timeUs)}</span>`;
    $('title').innerHTML = `${esc(data.title)} — ${verdict}`;
    $('states-note').textContent = states.note === null ? 'Node states come from a replay of the run.' : states.note;
  }

  function setUpFilters() {
    $('node-list').innerHTML = nodes
      .map((node, lane) => `<label><input type="checkbox" checked data-lane="${lane}"> ${esc(node)}</label>`)
      .join('');
    const options = (names) => names
      .map((name, code) => [name, code])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([name, code]) => `<option value="${code}">${esc(name)}</option>`)
      .join('');
    $('message-kind').innerHTML += options(columns.messageKindNames);
    $('event-kind').innerHTML += options(columns.kindNames);
    $('node-list').addEventListener('change', (e) => {
      view.filter.visibleLanes[Number(e.target.dataset.lane)] = e.target.checked;
      applyFilters();
    });
    for (const id of ['message-kind', 'event-kind']) $(id).addEventListener('change', applyFilters);
    for (const id of ['from', 'to', 'search']) $(id).addEventListener('input', applyFilters);
  }

  function applyFilters() {
    const f = view.filter;
    try {
      f.from = parseBound($('from').value, 'from');
      f.to = parseBound($('to').value, 'to');
      const empty = emptyWindowReason(f.from, f.to);
      // Said here, rather than left as an empty diagram that looks like a trace with no events.
      if (empty !== null) throw new Error(`from is after to: ${empty}, so no event could be shown`);
      $('filter-error').textContent = '';
    } catch (error) {
      $('filter-error').textContent = error.message;
      return;
    }
    f.messageKind = Number($('message-kind').value);
    f.eventKind = Number($('event-kind').value);
    f.search = $('search').value.trim().toLowerCase();
    view.rows = computeRows(columns, lanes, f, haystack);
    view.rowOf.fill(-1);
    view.rows.forEach((eventIndex, row) => {
      view.rowOf[eventIndex] = row;
    });
    layOutLanes();
    spacer.style.height = `${view.rows.length * ROW}px`;
    const shown = view.rows.length;
    const summary = $('summary');
    summary.dataset.shown = String(shown);
    summary.dataset.events = String(eventCount);
    summary.textContent = `${shown} of ${eventCount} events shown · ${nodes.length} nodes · ${arrows.length} messages · `
      + `${data.header.model} seed ${data.header.seed} · faultline ${data.header.faultline}`;
    if (view.selected >= 0 && view.rowOf[view.selected] >= 0) scrollToRow(view.rowOf[view.selected]);
    render();
  }

  function layOutLanes() {
    let position = 0;
    view.laneX = nodes.map((_, lane) => (view.filter.visibleLanes[lane] ? GUTTER_PX + LANE_WIDTH_PX * (position++ + 0.5) : -1));
    view.widthPx = GUTTER_PX + position * LANE_WIDTH_PX + DETAIL_WIDTH_PX;
    spacer.style.width = `${view.widthPx}px`;
    $('lane-heads').innerHTML = `<div style="position:relative;width:${view.widthPx}px;height:24px">${nodes
      .map((node, lane) => (view.laneX[lane] < 0
        ? ''
        : `<div class="lane-head" data-lane="${lane}" style="left:${view.laneX[lane] - LANE_WIDTH_PX / 2}px;width:${LANE_WIDTH_PX}px">${esc(node)}</div>`))
      .join('')}</div>`;
    $('lane-heads').scrollLeft = scroller.scrollLeft;
  }

  /** Rows [first, last] of the screen plus a margin, or null when nothing is shown. */
  function windowRows() {
    const count = view.rows.length;
    if (count === 0) return null;
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - OVERSCAN_ROWS);
    const last = Math.min(count - 1, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW) + OVERSCAN_ROWS);
    return [first, last];
  }

  /** Draws the rows on screen (and a margin) into the SVG. */
  function render() {
    const range = windowRows();
    if (range === null) {
      svg.innerHTML = '';
      return;
    }
    const [first, last] = range;
    svg.setAttribute('width', String(view.widthPx));
    svg.setAttribute('height', String((last - first + 1) * ROW));
    svg.style.top = `${first * ROW}px`;
    svg.innerHTML = drawWindow(scene, view, first, last);
  }

  function scrollToRow(row) {
    const top = row * ROW;
    if (top < scroller.scrollTop + ROW) scroller.scrollTop = Math.max(0, top - 3 * ROW);
    else if (top + ROW > scroller.scrollTop + scroller.clientHeight - ROW) scroller.scrollTop = top + 4 * ROW - scroller.clientHeight;
  }

  function select(index) {
    if (index < 0 || index >= eventCount) return;
    view.selected = index;
    const row = view.rowOf[index];
    if (row >= 0) scrollToRow(row);
    render();
    showDetail(index);
  }

  function pre(id, value) {
    return `<pre id="${id}">${esc(typeof value === 'string' ? value : JSON.stringify(value, null, 2))}</pre>`;
  }

  function showDetail(index) {
    const event = eventAt(index);
    const node = lanes[index] >= 0 ? nodes[lanes[index]] : null;
    const html = [`<h2 id="detail-title">#${event.n} ${esc(event.kind)}</h2>`, `<div>virtual time ${formatUs(event.timeUs)}${node === null ? '' : ` · node ${esc(node)}`}</div>`];
    html.push(...messageLinks(event));
    const original = event.copyOf !== undefined ? arrowOfMsg.get(event.copyOf) : undefined;
    if ('payload' in event) html.push('<h3>payload</h3>', pre('payload', event.payload));
    else if (original !== undefined && 'payload' in eventAt(original[0])) html.push('<h3>payload (of the original)</h3>', pre('payload', eventAt(original[0]).payload));
    html.push('<h3>event</h3>', pre('event-json', event));
    const changes = node === null ? undefined : states.changes[node];
    // Past where the replay stopped, the last state it had is not the node's state: say so instead.
    const known = stateKnown(event.n, states.stopsAt);
    if (changes !== undefined && (changes.length > 0 || !known.after)) {
      const before = changeAt(changes, event.n, false);
      const after = changeAt(changes, event.n, true);
      const unknown = `state unknown (node states stop at #${states.stopsAt}: see the note below)`;
      const text = (position, isKnown) => {
        if (!isKnown) return unknown;
        return position < 0 ? '(not started)' : JSON.stringify(stateAtChange(changes, states.texts, position), null, 2);
      };
      const mark = !known.after ? '(unknown)' : before === after ? '(unchanged)' : '(changed)';
      html.push(`<h3>state of ${esc(node)} before</h3>`, pre('state-before', text(before, known.before)));
      html.push(`<h3>state after <span class="changed">${mark}</span></h3>`, pre('state-after', text(after, known.after)));
    }
    $('detail').innerHTML = html.join('');
  }

  /** Buttons to jump between a message's send and where it ended. */
  function messageLinks(event) {
    if (event.msg === undefined) return [];
    const arrow = arrowOfMsg.get(event.msg);
    if (arrow === undefined) return [];
    const ending = ['delivered', 'dropped', 'still in flight at the end'][arrow[4]];
    const links = [`<button data-jump="${arrow[0]}">sent at #${arrow[0] + 1}</button>`];
    if (arrow[4] !== 2) links.push(`<button data-jump="${arrow[1]}">${ending} at #${arrow[1] + 1}</button>`);
    else links.push(`<span>${ending}</span>`);
    return [`<div>message ${event.msg}: ${links.join(' ')}</div>`];
  }

  /** Selects the next (delta 1) or previous (-1) shown event; with nothing selected, the first on screen. */
  function step(delta) {
    const rows = view.rows;
    if (rows.length === 0) return;
    let next;
    if (view.selected < 0) next = Math.floor(scroller.scrollTop / ROW);
    else if (view.rowOf[view.selected] >= 0) next = view.rowOf[view.selected] + delta;
    else next = delta > 0 ? lowerBound(rows, view.selected + 1) : lowerBound(rows, view.selected) - 1;
    select(rows[Math.min(rows.length - 1, Math.max(0, next))]);
  }

  function listen() {
    scroller.addEventListener('scroll', () => {
      $('lane-heads').scrollLeft = scroller.scrollLeft;
      render();
    });
    window.addEventListener('resize', render);
    scroller.addEventListener('click', (e) => {
      const mark = e.target.closest('[data-n]');
      if (mark !== null) return select(Number(mark.dataset.n) - 1);
      const row = Math.floor((e.clientY - spacer.getBoundingClientRect().top) / ROW);
      if (row >= 0 && row < view.rows.length) select(view.rows[row]);
    });
    $('detail').addEventListener('click', (e) => {
      const button = e.target.closest('[data-jump]');
      if (button !== null) select(Number(button.dataset.jump));
    });
    document.addEventListener('keydown', (e) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      if (e.key === 'j' || e.key === 'ArrowDown') step(1);
      else if (e.key === 'k' || e.key === 'ArrowUp') step(-1);
      else return;
      e.preventDefault();
    });
  }

  setUpTitle();
  setUpFilters();
  listen();
  applyFilters();
  document.body.dataset.ready = 'true';
})();
