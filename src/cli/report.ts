/**
 * What a person reads after a run: a pass line, or a failure report naming
 * model, seed, options, failure kind, property, event and time, the last
 * events, the trace path and the exact command that replays it.
 */
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pc from 'picocolors';
import type { RunResult } from '../sim/result.ts';
import type { SimOptions } from '../sim/options.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { HistoryEvent } from '../check/history.ts';
import type { CheckResult } from '../check/history-checker.ts';
import { formatDuration } from '../sim/duration.ts';
import { formatTimeline } from '../view/timeline.ts';
import { shellQuote } from './flags.ts';
import { flagsForOptions } from './rerun-flags.ts';
import { describeScenario, describeSwarm } from './plan-report.ts';
import { describeDisk } from './disk-flags.ts';
import { describeLoad, describeNetworkFaults } from './network-flags.ts';
import { describeNodeTime } from './node-time-flags.ts';

/** Inputs of a report beyond the result itself. */
export interface ReportContext {
  /** Where the trace was written, or null when no trace was kept. */
  tracePath: string | null;
  /** The last events of the run, oldest first. */
  recent: readonly TraceEvent[];
  color: boolean;
  /** The model's own options for this seed: what the re-run command's flags are relative to. */
  baseline: SimOptions;
}

/** Faultline's own source folder (the parent of src/cli), whose frames a model-crash report skips. */
export const FAULTLINE_SRC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The first stack frame that belongs to the model: not faultline's own source
 * (by its real folder, so a user's own src/ folder still counts), not
 * node_modules, not Node's internals or native code. Null when there is none.
 */
export function modelFrame(stack: string | null | undefined, faultlineSrc: string = FAULTLINE_SRC_DIR): string | null {
  if (stack === null || stack === undefined) return null;
  const ownDirs = [faultlineSrc + sep, pathToFileURL(faultlineSrc).href + '/'];
  if (sep !== '/') ownDirs.push(faultlineSrc.split(sep).join('/') + '/');
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    if (ownDirs.some((dir) => line.includes(dir))) continue;
    if (/[\\/]node_modules[\\/]/.test(line) || /(^at |\()node:/.test(line)) continue;
    if (line.endsWith('(<anonymous>)') || line.endsWith('(native)')) continue;
    return line;
  }
  return null;
}

/** The command that replays a trace file. */
export function replayCommand(tracePath: string): string {
  return `npx faultline replay ${shellQuote(tracePath)}`;
}

/** The command that writes a trace's space-time diagram as an HTML page next to it (`faultline view` without --html prints its timeline). */
export function viewCommand(tracePath: string): string {
  return `npx faultline view ${shellQuote(tracePath)} --html ${shellQuote(`${tracePath.replace(/\.jsonl$/, '')}.html`)}`;
}

/** The command that re-runs a model with the same seed and options (used when no trace was kept). */
export function rerunCommand(result: RunResult, baseline: SimOptions): string {
  return `npx faultline run ${shellQuote(result.model)} ${flagsForOptions(result.options, baseline, result.plan).join(' ')}`;
}

/** One line describing every option in effect. */
export function describeOptions(o: SimOptions): string {
  const n = o.network;
  const parts = [
    `time=${formatDuration(o.timeUs)}`,
    ...(o.settleUs > 0 ? [`settle=${formatDuration(o.settleUs)}`] : []),
    `latency=${formatDuration(n.latency.minUs)}..${formatDuration(n.latency.maxUs)}/${n.latency.distribution}`,
    `loss=${n.lossRate}`,
    `dup=${n.duplicateRate}`,
    n.reorder ? 'reorder' : 'fifo',
  ];
  if (n.links.length > 0) parts.push(`links=${n.links.length} override(s)`);
  const crash = o.faults.crash;
  parts.push(
    crash === null
      ? 'crashes=off'
      : `crashes=every~${formatDuration(crash.meanIntervalUs)} down ${formatDuration(crash.downtime.minUs)}..${formatDuration(crash.downtime.maxUs)} max ${crash.maxDown}`,
  );
  const partition = o.faults.partition;
  parts.push(
    partition === null
      ? 'partitions=off'
      : `partitions=every~${formatDuration(partition.meanIntervalUs)} for ${formatDuration(partition.duration.minUs)}..${formatDuration(partition.duration.maxUs)}`,
  );
  parts.push(...describeDisk(o.disk));
  parts.push(...describeNetworkFaults(o));
  parts.push(...describeNodeTime(o));
  if (o.bugs.length > 0) parts.push(`bugs=${o.bugs.join(',')}`);
  if (o.nemeses !== undefined) parts.push(`nemeses=${o.nemeses.join(',')}`);
  if (o.checkMode) parts.push('check');
  if (o.sometimesScope !== 'run') parts.push(`sometimes-scope=${o.sometimesScope}`);
  if (o.maxEvents !== 1_000_000) parts.push(`max-events=${o.maxEvents}`);
  return parts.join(' ');
}

/** The network-fault counts that are not zero, as `, held 3, corrupted 1` (nothing when all are zero). */
function networkFaultCounts(s: RunResult['stats']): string {
  const counts: [string, number][] = [['held', s.held], ['corrupted', s.corrupted], ['forged', s.forged], ['replayed', s.replayed], ['tampered', s.tampered]];
  return counts.filter(([, count]) => count > 0).map(([name, count]) => `, ${name} ${count}`).join('');
}

/** One line about a client history: operations by outcome, and how many processes. */
export function describeHistory(history: readonly HistoryEvent[]): string {
  const count = { invoke: 0, ok: 0, fail: 0, info: 0 };
  const processes = new Set<number>();
  for (const event of history) {
    count[event.type]++;
    processes.add(event.process);
  }
  const open = count.invoke - count.ok - count.fail - count.info;
  const parts = [`${count.ok} ok`, `${count.fail} fail`, `${count.info} info`];
  if (open > 0) parts.push(`${open} still in flight`);
  const plural = (n: number, word: string, many: string): string => `${n} ${n === 1 ? word : many}`;
  return `${plural(count.invoke, 'operation', 'operations')} by ${plural(processes.size, 'process', 'processes')}: ${parts.join(', ')}`;
}

/** One line about a history checker's verdict (a violation's explanation is in the failure's message). */
export function describeCheck(check: CheckResult): string {
  const verdict = check.verdict;
  if (verdict === null) return `"${check.name}" not judged (the run failed first)`;
  if (verdict.verdict === 'ok') return `"${check.name}" ok`;
  if (verdict.verdict === 'violated') return `"${check.name}" violated`;
  return `"${check.name}" unknown: ${verdict.reason.split('\n')[0]}`;
}

/** The full report of one run, as lines. */
export function formatRunReport(result: RunResult, context: ReportContext): string[] {
  const colors = pc.createColors(context.color);
  const s = result.stats;
  const lines: string[] = [];
  const field = (name: string, value: string): void => {
    lines.push(`  ${name.padEnd(9)} ${value}`);
  };
  const failure = result.failure;
  if (failure === null) {
    lines.push(
      `${colors.green('PASS')} ${result.model} seed ${result.seed}: ${result.events} events (${result.steps} steps) over ${formatDuration(result.endTimeUs)} virtual, ended by ${result.endReason}`,
    );
  } else {
    const what = failure.property === null ? failure.kind : `${failure.kind} property "${failure.property}"`;
    lines.push(`${colors.red('FAIL')} ${result.model} seed ${result.seed}: ${what} failed`);
    field('kind', failure.kind);
    if (failure.property !== null) field('property', failure.property);
    if (failure.node !== null) field('node', failure.node);
    field('at', `event #${failure.eventNumber}, virtual time ${formatDuration(failure.timeUs)}`);
    // A history checker explains itself over several lines: keep them under the field's column.
    field('message', failure.message.split('\n').join(`\n${' '.repeat(12)}`));
    const frame = modelFrame(failure.stack);
    if (frame !== null) field('where', frame);
  }
  field('model', result.model);
  field('seed', String(result.seed));
  field('options', describeOptions(result.options));
  if (result.plan?.profile != null) field('swarm', describeSwarm(result.plan));
  if (result.plan?.scenario != null) field('scenario', describeScenario(result.plan.scenario));
  field('network', `sent ${s.sent}, delivered ${s.delivered}, dropped ${s.dropped}, duplicated ${s.duplicated}${networkFaultCounts(s)}`);
  const net = result.options.network;
  if (net.capacity !== null || net.trackLoad) field('load', describeLoad(result.load));
  const nodeTime = [
    ...(result.options.faults.pause !== null || s.pauses > 0 ? [`, pauses ${s.pauses}`] : []),
    ...(result.options.clocks?.jumps != null || s.clockJumps > 0 ? [`, clock jumps ${s.clockJumps}`] : []),
  ].join('');
  field('faults', `crashes ${s.crashes}, restarts ${s.restarts}, partitions ${s.partitions}${nodeTime}`);
  if (s.corruptReads > 0 || s.diskFullPuts > 0) field('disk', `${s.corruptReads} corrupt read(s), ${s.diskFullPuts} put(s) refused (disk full)`);
  if (result.history.length > 0) field('history', describeHistory(result.history));
  for (const check of result.checks) field('checks', describeCheck(check));
  for (const seen of result.sometimes) {
    const when = seen.firstSeenEvent === null ? 'never seen' : `first seen at event #${seen.firstSeenEvent}, ${formatDuration(seen.firstSeenUs ?? 0)}`;
    field('sometimes', `"${seen.name}" ${when}`);
  }
  field('hash', result.traceHash);
  if (failure !== null && context.recent.length > 0) {
    lines.push(`  last ${context.recent.length} events:`);
    for (const line of formatTimeline(context.recent, { color: context.color })) lines.push(`    ${line}`);
  }
  field('trace', context.tracePath ?? '(not written: --no-trace)');
  field('replay', context.tracePath === null ? rerunCommand(result, context.baseline) : replayCommand(context.tracePath));
  if (failure !== null && context.tracePath !== null) field('view', viewCommand(context.tracePath));
  return lines;
}
