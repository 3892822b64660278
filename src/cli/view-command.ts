/**
 * `faultline view <trace>`: the trace as a fixed-column timeline in the
 * terminal (filtered by window, node and kind), or with `--html FILE` as one
 * self-contained HTML page with the space-time diagram. It only reads: the
 * page's node states come from a replay that writes nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { readTraceFile } from '../trace/file.ts';
import { InputError } from '../sim/errors.ts';
import { formatTimeline } from '../view/timeline.ts';
import { emptyWindowReason, eventNodes, filterEvents, messageKinds, parseWindowBound, type EventFilter } from '../view/filter.ts';
import { TRACE_EVENT_KINDS, type TraceEvent } from '../trace/events.ts';
import { buildPageData, renderPage } from '../view/html.ts';

/** The flags of `view`, as commander hands them over. */
export interface ViewFlags {
  from?: string;
  to?: string;
  node?: string[];
  kind?: string[];
  html?: string;
}

/** A repeatable flag's values, each of which may also list several, comma-separated. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((part) => part.trim()).filter((part) => part !== '')];
}

/** Turns the flags into a filter, naming the flag of a bad value. */
export function filterFromFlags(flags: ViewFlags): EventFilter {
  const filter: EventFilter = {};
  if (flags.from !== undefined) filter.from = parseWindowBound(flags.from, '--from');
  if (flags.to !== undefined) filter.to = parseWindowBound(flags.to, '--to');
  if (flags.node !== undefined) filter.nodes = flags.node;
  if (flags.kind !== undefined) filter.kinds = flags.kind;
  const empty = emptyWindowReason(filter.from, filter.to);
  if (empty !== null) throw new InputError(`--from ${flags.from} is after --to ${flags.to}: ${empty}, so no event could be shown`);
  return filter;
}

/**
 * Refuses a --kind that is neither an event kind nor the kind of a message in
 * this trace (a typo would otherwise show nothing, silently). An event kind
 * that does not occur in this trace is fine: "no crash" is an answer.
 */
function checkKinds(kinds: readonly string[], events: readonly TraceEvent[]): void {
  const eventKinds: readonly string[] = TRACE_EVENT_KINDS;
  const ofMessages = [...new Set(messageKinds(events).filter((kind) => kind !== null))].sort();
  const unknown = kinds.filter((kind) => !eventKinds.includes(kind) && !ofMessages.includes(kind));
  if (unknown.length === 0) return;
  const seen = [...new Set(events.map((event) => event.kind))].sort();
  throw new InputError(
    `--kind: ${unknown.map((k) => `"${k}"`).join(', ')} is neither an event kind nor a message kind of this trace `
      + `(message kinds: ${ofMessages.join(', ') || 'none'}; event kinds in it: ${seen.join(', ')})`,
  );
}

/** Runs `view` and returns what it prints. */
export async function executeView(path: string, flags: ViewFlags, color: boolean): Promise<string[]> {
  const filter = filterFromFlags(flags);
  const trace = readTraceFile(path);
  if (flags.html !== undefined) {
    if (filter.from !== undefined || filter.to !== undefined || filter.nodes !== undefined || filter.kinds !== undefined) {
      throw new InputError('--html: the page has its own filters; give --from, --to, --node and --kind only without --html');
    }
    const data = await buildPageData(trace, path);
    writeHtml(flags.html, renderPage(data));
    const note = data.states.note === null ? 'with node states' : `without all node states: ${data.states.note}`;
    return [`wrote ${flags.html}: ${trace.events.length} events, ${data.diagram.nodes.length} lanes, ${data.diagram.arrows.length} messages, ${note}`];
  }
  const known = new Set(trace.events.flatMap(eventNodes));
  const unknown = (filter.nodes ?? []).filter((node) => !known.has(node));
  if (unknown.length > 0) throw new InputError(`--node: ${unknown.map((n) => `"${n}"`).join(', ')} is not a node of this trace (${[...known].join(', ')})`);
  if (filter.kinds !== undefined) checkKinds(filter.kinds, trace.events);
  const events = filterEvents(trace.events, filter);
  const lines = formatTimeline(events, { color });
  lines.push(`${events.length} of ${trace.events.length} events shown`);
  return lines;
}

function writeHtml(path: string, html: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, html);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`--html: cannot write ${path} (${code})`);
  }
}

/** Registers `view` on the program. */
export function registerViewCommand(program: Command, color: boolean): void {
  program
    .command('view')
    .description('show a trace: a fixed-column timeline in the terminal, or a space-time diagram in one HTML file (--html)')
    .argument('<trace>', 'a trace file written by `faultline run`')
    .option('--from <x>', 'first event shown: an event number (120) or a virtual time (1.5s, 200ms)')
    .option('--to <y>', 'last event shown: an event number or a virtual time')
    .option('--node <id>', 'only events of this node, as actor or peer (repeatable, or comma-separated)', collect)
    .option('--kind <k>', 'only events of this kind (send, crash, ...) or of messages of this kind (repeatable)', collect)
    .option('--html <file>', 'write the diagram page to this file instead (opens offline; filters are on the page)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  faultline view traces/out/ping-pong-seed3.jsonl --from 1.2s --to 1.5s',
        '  faultline view t.jsonl --node server0 --kind crash,restart,deliver',
        '  faultline view t.jsonl --html t.html     # then open t.html in a browser',
      ].join('\n'),
    )
    .action(async (path: string, flags: ViewFlags) => {
      const lines = await executeView(path, flags, color);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
