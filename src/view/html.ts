/**
 * `faultline view --html`: one self-contained HTML file with the space-time
 * diagram of a trace. The page's markup, style and script live in
 * src/view/page/ and are inlined here with the trace data, so the file opens
 * anywhere with no network access.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedTrace } from '../trace/codec.ts';
import { buildDiagram, type Diagram } from './diagram-data.ts';
import { captureNodeStates, type NodeStates } from './node-states.ts';
import { buildEventColumns, type EventColumns } from './event-columns.ts';

/** The folder of the page's own files (viewer.html, viewer.css, model.js, draw.js, viewer.js). */
const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');

/** Everything the page reads: one JSON document, and the trace's event lines as they are in the file. */
export interface PageData {
  title: string;
  header: ParsedTrace['header'];
  /** The raw event lines (the page parses only those it draws or shows). */
  eventLines: string[];
  columns: EventColumns;
  diagram: Diagram;
  states: NodeStates;
}

/** Builds the page data: the diagram, and node states from a replay of the run. */
export async function buildPageData(trace: ParsedTrace, tracePath: string): Promise<PageData> {
  const diagram = buildDiagram(trace.events);
  const states = await captureNodeStates(trace, tracePath, diagram.nodes);
  const { header } = trace;
  const columns = buildEventColumns(trace.events);
  return { title: `${header.modelName} seed ${header.seed}`, header, eventLines: trace.eventLines, columns, diagram, states };
}

/**
 * JSON that is safe inside a `<script>` element: every `<` escaped, so no
 * payload text can close the element early.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

/** The whole HTML document for `data`. */
export function renderPage(data: PageData): string {
  const template = readFileSync(join(PAGE_DIR, 'viewer.html'), 'utf8');
  const parts: Record<string, string> = {
    TITLE: escapeHtml(`Faultline: ${data.title}`),
    STYLE: readFileSync(join(PAGE_DIR, 'viewer.css'), 'utf8'),
    DATA: scriptSafeJson({ ...data, eventLines: undefined }),
    // JSON has `<` only inside strings, where \u003c reads the same: no line can close the element.
    EVENTS: data.eventLines.join('\n').replace(/</g, '\\u003c'),
    // A script's text ends at the first "</script": the page's own code never contains one.
    SCRIPT: ['model.js', 'draw.js', 'viewer.js'].map((file) => readFileSync(join(PAGE_DIR, file), 'utf8')).join('\n'),
  };
  // A function replacement, so `$` in the data is never read as a pattern.
  return template.replace(/\{\{(TITLE|STYLE|DATA|EVENTS|SCRIPT)\}\}/g, (_match, name: string) => parts[name] as string);
}
