/*
 * Drawing of the viewer page: the SVG of the rows on screen (rows first..last
 * of the filtered rows) — shaded spans, lanes broken where a node is down,
 * message arrows and drop crosses, and each event's mark and text. `scene`
 * holds what the trace fixes (nodes, lanes, arrows, spans, eventAt), `view`
 * what the person chose (rows, rowOf, laneX, widthPx, selected).
 */
'use strict';

const GUTTER_PX = 150;
const LANE_WIDTH_PX = 130;
const DETAIL_WIDTH_PX = 460;

/** Text made safe inside HTML and SVG markup. */
function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** The SVG markup of rows first..last, each ROW_HEIGHT_PX tall, from the top of row `first`. */
function drawWindow(scene, view, first, last) {
  const heightPx = (last - first + 1) * ROW_HEIGHT_PX;
  const y = (row) => (row - first) * ROW_HEIGHT_PX + ROW_HEIGHT_PX / 2;
  const parts = ['<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f6feb"/></marker></defs>'];
  drawSpans(scene, view, parts, first, last);
  const selectedRow = view.selected >= 0 ? view.rowOf[view.selected] : -1;
  if (selectedRow >= first && selectedRow <= last) {
    parts.push(`<rect class="row-selected" x="0" y="${(selectedRow - first) * ROW_HEIGHT_PX}" width="${view.widthPx}" height="${ROW_HEIGHT_PX}"/>`);
  }
  drawLanes(scene, view, parts, first, last, heightPx);
  drawArrows(scene, view, parts, first, last, y);
  for (let row = first; row <= last; row++) drawEvent(scene, view, parts, view.rows[row], y(row));
  return parts.join('');
}

/** The rows a span of event indices covers: [first row at or after its start, last row at or before its end]. */
function rowsOfSpan(view, fromIndex, toIndex) {
  return [lowerBound(view.rows, fromIndex), lowerBound(view.rows, toIndex + 1) - 1];
}

/** Pauses, clogs and partitions as shaded rectangles, and the failure's row as a red band. */
function drawSpans(scene, view, parts, first, last) {
  const lanesEnd = view.widthPx - DETAIL_WIDTH_PX;
  for (const span of scene.shadedSpans) {
    if (span.lane >= 0 && view.laneX[span.lane] < 0) continue;
    const [r0, r1] = rowsOfSpan(view, span.fromIndex, span.toIndex);
    if (r0 > r1 || r1 < first || r0 > last) continue;
    const top = (Math.max(r0, first) - first) * ROW_HEIGHT_PX;
    const bottom = (Math.min(r1, last) - first + 1) * ROW_HEIGHT_PX;
    const x = span.lane < 0 ? GUTTER_PX : view.laneX[span.lane] - LANE_WIDTH_PX / 2 + 6;
    const width = span.lane < 0 ? lanesEnd - GUTTER_PX : LANE_WIDTH_PX - 12;
    parts.push(`<rect class="span span-${span.kind}" data-kind="${span.kind}" x="${x}" y="${top}" width="${width}" height="${bottom - top}"><title>${escapeHtml(span.label)}</title></rect>`);
  }
  if (scene.failureIndex >= 0) {
    const row = view.rowOf[scene.failureIndex];
    if (row >= first && row <= last) parts.push(`<rect class="failure-band" x="0" y="${(row - first) * ROW_HEIGHT_PX}" width="${view.widthPx}" height="${ROW_HEIGHT_PX}"/>`);
  }
}

/** Lanes as vertical lines, broken where the node is down (crash to restart). */
function drawLanes(scene, view, parts, first, last, heightPx) {
  scene.nodes.forEach((_, lane) => {
    const x = view.laneX[lane];
    if (x < 0) return;
    let top = 0;
    for (const span of scene.downSpans) {
      if (span.lane !== lane) continue;
      const [r0, r1] = rowsOfSpan(view, span.fromIndex, span.toIndex);
      if (r0 > r1 || r1 < first || r0 > last) continue;
      const breakTop = (Math.max(r0, first) - first) * ROW_HEIGHT_PX + ROW_HEIGHT_PX / 2;
      const breakBottom = (Math.min(r1, last) - first) * ROW_HEIGHT_PX + ROW_HEIGHT_PX / 2;
      if (breakTop > top) parts.push(`<line class="lane" x1="${x}" x2="${x}" y1="${top}" y2="${breakTop}"/>`);
      parts.push(`<rect class="span span-down" data-kind="down" x="${x - 8}" y="${breakTop}" width="16" height="${Math.max(breakBottom - breakTop, 1)}"><title>${escapeHtml(span.label)}</title></rect>`);
      top = Math.max(top, breakBottom);
    }
    if (top < heightPx) parts.push(`<line class="lane" x1="${x}" x2="${x}" y1="${top}" y2="${heightPx}"/>`);
  });
}

/** Every message whose arrow crosses the window: a line from send to end, a head when delivered, a cross when dropped. */
function drawArrows(scene, view, parts, first, last, y) {
  const firstIndex = view.rows[first];
  const lastIndex = view.rows[last];
  for (let i = lowerBound(scene.arrows, firstIndex - scene.longestArrow, (a) => a[0]); i < scene.arrows.length && scene.arrows[i][0] <= lastIndex; i++) {
    const [sendIndex, endIndex, fromLane, toLane, end, copy, msg] = scene.arrows[i];
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

/** One event's row: time and number in the gutter, its mark on its lane (or a line across for a cluster-wide event), its summary. */
function drawEvent(scene, view, parts, index, cy) {
  const event = scene.eventAt(index);
  const lane = scene.lanes[index];
  const n = event.n;
  parts.push(`<text x="4" y="${cy + 4}">${escapeHtml(formatUs(event.timeUs))}</text><text x="${GUTTER_PX - 12}" y="${cy + 4}" text-anchor="end">#${n}</text>`);
  const label = escapeHtml(shortText(event, scene.messageKindName(index)));
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
