/*
 * The viewer page: a space-time (Lamport) diagram of one trace. One lane per
 * node, one row per event with virtual time running down the page, arrows
 * from send to delivery. Only the rows on screen (plus a margin) are drawn,
 * as SVG, each time the view scrolls or a filter changes, so a trace of
 * 100,000 events stays responsive. Helpers come from model.js.
 */
'use strict';
(function viewer() {
  const GUTTER_PX = 150;
  const LANE_WIDTH_PX = 130;
  const DETAIL_WIDTH_PX = 460;
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
  const downSpans = diagram.spans.filter((span) => span.kind === 'down');
  const shadedSpans = diagram.spans.filter((span) => span.kind !== 'down');

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

  const esc = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

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

  /** The rows a span of event indices covers: [first row at or after its start, last row at or before its end]. */
  function rowsOfSpan(fromIndex, toIndex) {
    return [lowerBound(view.rows, fromIndex), lowerBound(view.rows, toIndex + 1) - 1];
  }

  function render() {
    const range = windowRows();
    if (range === null) {
      svg.innerHTML = '';
      return;
    }
    const [first, last] = range;
    const heightPx = (last - first + 1) * ROW;
    svg.setAttribute('width', String(view.widthPx));
    svg.setAttribute('height', String(heightPx));
    svg.style.top = `${first * ROW}px`;
    const y = (row) => (row - first) * ROW + ROW / 2;
    const parts = ['<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f6feb"/></marker></defs>'];
    drawSpans(parts, first, last);
    if (view.selected >= 0 && view.rowOf[view.selected] >= first && view.rowOf[view.selected] <= last) {
      parts.push(`<rect class="row-selected" x="0" y="${(view.rowOf[view.selected] - first) * ROW}" width="${view.widthPx}" height="${ROW}"/>`);
    }
    drawLanes(parts, first, last, heightPx);
    drawArrows(parts, first, last, y);
    for (let row = first; row <= last; row++) drawEvent(parts, view.rows[row], y(row));
    svg.innerHTML = parts.join('');
  }

  function drawSpans(parts, first, last) {
    const lanesEnd = view.widthPx - DETAIL_WIDTH_PX;
    for (const span of shadedSpans) {
      if (span.lane >= 0 && view.laneX[span.lane] < 0) continue;
      const [r0, r1] = rowsOfSpan(span.fromIndex, span.toIndex);
      if (r0 > r1 || r1 < first || r0 > last) continue;
      const top = (Math.max(r0, first) - first) * ROW;
      const bottom = (Math.min(r1, last) - first + 1) * ROW;
      const x = span.lane < 0 ? GUTTER_PX : view.laneX[span.lane] - LANE_WIDTH_PX / 2 + 6;
      const width = span.lane < 0 ? lanesEnd - GUTTER_PX : LANE_WIDTH_PX - 12;
      parts.push(`<rect class="span span-${span.kind}" data-kind="${span.kind}" x="${x}" y="${top}" width="${width}" height="${bottom - top}"><title>${esc(span.label)}</title></rect>`);
    }
    if (diagram.failureIndex >= 0) {
      const row = view.rowOf[diagram.failureIndex];
      if (row >= first && row <= last) parts.push(`<rect class="failure-band" x="0" y="${(row - first) * ROW}" width="${view.widthPx}" height="${ROW}"/>`);
    }
  }

  /** Lanes as vertical lines, broken where the node is down (crash to restart). */
  function drawLanes(parts, first, last, heightPx) {
    nodes.forEach((_, lane) => {
      const x = view.laneX[lane];
      if (x < 0) return;
      let top = 0;
      for (const span of downSpans) {
        if (span.lane !== lane) continue;
        const [r0, r1] = rowsOfSpan(span.fromIndex, span.toIndex);
        if (r0 > r1 || r1 < first || r0 > last) continue;
        const breakTop = (Math.max(r0, first) - first) * ROW + ROW / 2;
        const breakBottom = (Math.min(r1, last) - first) * ROW + ROW / 2;
        if (breakTop > top) parts.push(`<line class="lane" x1="${x}" x2="${x}" y1="${top}" y2="${breakTop}"/>`);
        parts.push(`<rect class="span span-down" data-kind="down" x="${x - 8}" y="${breakTop}" width="16" height="${Math.max(breakBottom - breakTop, 1)}"><title>${esc(span.label)}</title></rect>`);
        top = Math.max(top, breakBottom);
      }
      if (top < heightPx) parts.push(`<line class="lane" x1="${x}" x2="${x}" y1="${top}" y2="${heightPx}"/>`);
    });
  }

  function drawArrows(parts, first, last, y) {
    const firstIndex = view.rows[first];
    const lastIndex = view.rows[last];
    for (let i = lowerBound(arrows, firstIndex - longestArrow, (a) => a[0]); i < arrows.length && arrows[i][0] <= lastIndex; i++) {
      const [sendIndex, endIndex, fromLane, toLane, end, copy, msg] = arrows[i];
      const r0 = view.rowOf[sendIndex];
      const r1 = view.rowOf[endIndex];
      if (r0 < 0 || r1 < 0 || r1 < first || r0 > last) continue;
      const x1 = view.laneX[fromLane];
      const x2 = view.laneX[toLane];
      if (x1 < 0 || x2 < 0) continue;
      const y1 = y(r0);
      const y2 = y(r1);
      const cls = `arrow${copy ? ' copy' : ''}${end === 1 ? ' dropped' : ''}${end === 2 ? ' in-flight' : ''}`;
      const path = x1 === x2 ? `M${x1},${y1} C${x1 + 40},${y1} ${x2 + 40},${y2} ${x2},${y2}` : `M${x1},${y1} L${x2},${y2}`;
      const head = end === 0 ? ' marker-end="url(#head)"' : '';
      parts.push(`<path class="${cls}" data-msg="${msg}" data-from-n="${sendIndex + 1}" data-to-n="${endIndex + 1}" d="${path}"${head}/>`);
      if (end === 1) {
        parts.push(`<g class="drop" data-n="${endIndex + 1}"><line x1="${x2 - 5}" y1="${y2 - 5}" x2="${x2 + 5}" y2="${y2 + 5}"/><line x1="${x2 - 5}" y1="${y2 + 5}" x2="${x2 + 5}" y2="${y2 - 5}"/></g>`);
      }
    }
  }

  function drawEvent(parts, index, cy) {
    const event = eventAt(index);
    const lane = lanes[index];
    const n = event.n;
    parts.push(`<text x="4" y="${cy + 4}">${esc(formatUs(event.timeUs))}</text><text x="${GUTTER_PX - 12}" y="${cy + 4}" text-anchor="end">#${n}</text>`);
    const label = esc(shortText(event, messageKindName(index)));
    const textX = view.widthPx - DETAIL_WIDTH_PX + 10;
    if (event.kind === 'failure') parts.push(`<text class="failure-label" x="${textX}" y="${cy + 4}">✗ ${label}</text>`);
    else parts.push(`<text class="detail" x="${textX}" y="${cy + 4}">${label}</text>`);
    if (lane < 0 || view.laneX[lane] < 0) {
      // A cluster-wide event (partition, heal, settle, end, a property's failure): a line across every lane.
      const x = lane < 0 ? GUTTER_PX - 4 : view.laneX[lane];
      parts.push(`<line class="global ${event.kind}" x1="${GUTTER_PX}" x2="${textX - 6}" y1="${cy}" y2="${cy}"/>`);
      parts.push(`<circle class="ev ${event.kind}" data-n="${n}" cx="${x}" cy="${cy}" r="4"/>`);
      return;
    }
    const x = view.laneX[lane];
    if (event.kind === 'timer-set' || event.kind === 'timer-fire' || event.kind === 'crash' || event.kind === 'restart') {
      parts.push(`<rect class="ev ${event.kind}" data-n="${n}" x="${x - 4.5}" y="${cy - 4.5}" width="9" height="9"/>`);
    } else {
      parts.push(`<circle class="ev ${event.kind}" data-n="${n}" cx="${x}" cy="${cy}" r="${event.kind === 'failure' ? 6 : 4}"/>`);
    }
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
    if (changes !== undefined && changes.length > 0) {
      const before = changeAt(changes, event.n, false);
      const after = changeAt(changes, event.n, true);
      const text = (position) => (position < 0 ? '(not started)' : JSON.stringify(stateAtChange(changes, states.texts, position), null, 2));
      html.push(`<h3>state of ${esc(node)} before</h3>`, pre('state-before', text(before)));
      html.push(`<h3>state after <span class="changed">${before === after ? '(unchanged)' : '(changed)'}</span></h3>`, pre('state-after', text(after)));
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
