/**
 * What a person reads when a campaign ends: per failure (the first 20 in
 * seed order) one summary line, the exact replay command and (with a trace)
 * the `faultline view` command; per model the seeds run; the campaign's speed; and the failures
 * grouped by property and signature.
 */
import pc from 'picocolors';
import { formatDuration } from '../sim/duration.ts';
import type { FuzzReport } from './report-json.ts';
import type { FailureGroup, FuzzFailure } from './failures.ts';
import { formatSeconds } from './progress.ts';

/** Seeds listed in a group line before "and N more". */
const SEEDS_SHOWN = 10;
/** Failures printed in full (line and commands); the rest are counted, and every one is in the groups and the JSON report. */
export const FAILURES_SHOWN = 20;

/** One line naming the failure: model, seed, kind, property, where, first line of the message. */
export function failureLine(failure: FuzzFailure): string {
  const what = failure.property === null ? failure.kind : `${failure.kind} "${failure.property}"`;
  const where = failure.eventNumber === null ? '' : ` at event #${failure.eventNumber}, ${formatDuration(failure.timeUs ?? 0)}`;
  return `FAIL ${failure.model} seed ${failure.seed}: ${what}${where}: ${failure.message.split('\n')[0]}`;
}

function groupLine(group: FailureGroup): string {
  const what = group.property === null ? group.kind : `${group.kind} "${group.property}"`;
  const more = group.seeds.length > SEEDS_SHOWN ? `, and ${group.seeds.length - SEEDS_SHOWN} more` : '';
  const seeds = `${group.seeds.length === 1 ? 'seed' : 'seeds'} ${group.seeds.slice(0, SEEDS_SHOWN).join(', ')}${more}`;
  return `  ${String(group.count).padStart(5)}x ${group.model} ${what}: ${group.signature} (${seeds})`;
}

/** The end-of-campaign report, as lines. */
export function formatSummary(report: FuzzReport, workers: number | null, color: boolean): string[] {
  const colors = pc.createColors(color);
  const lines: string[] = [];
  for (const failure of report.failures.slice(0, FAILURES_SHOWN)) {
    lines.push(colors.red(failureLine(failure)), `  replay: ${failure.replay}`);
    if (failure.view !== null) lines.push(`  view:   ${failure.view}`);
  }
  const more = report.failures.length - FAILURES_SHOWN;
  if (more > 0) lines.push(`... and ${more} more failure(s): each is in the groups below and in the --json report`);
  if (lines.length > 0) lines.push('');
  let virtualUs = 0;
  for (const tally of report.models) {
    virtualUs += tally.virtualUs;
    const failedSeeds = new Set(report.failures.filter((f) => f.model === tally.model).map((f) => f.seed)).size;
    const abandoned = tally.abandoned.length > 0 ? `, ${tally.abandoned.length} abandoned (seeds ${tally.abandoned.join(', ')})` : '';
    lines.push(`${tally.model}: ${tally.seedsRun} seeds run, ${failedSeeds} failed${abandoned}, ${formatDuration(tally.virtualUs)} virtual`);
    // A sometimes property that no seed saw: the campaign never reached that place (judged here when runs do not).
    const never = Object.entries(tally.sometimesSeen).filter(([, count]) => count === 0).map(([name]) => `"${name}"`);
    if (never.length > 0 && tally.seedsRun > 0) lines.push(`  sometimes never seen in ${tally.seedsRun} seeds: ${never.join(', ')}`);
  }
  const wallSec = report.wallMs / 1000;
  const rate = wallSec > 0 ? (report.seedsRun / wallSec).toFixed(1) : '-';
  const ratio = report.wallMs > 0 ? virtualUs / 1000 / report.wallMs : null;
  const speedup = ratio === null ? '-' : `${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}x`;
  const shard = report.campaign.shardCount > 1 ? `, shard ${report.shards.join(',')} of ${report.campaign.shardCount}` : '';
  lines.push(`fuzz: ${report.seedsRun} seeds in ${formatSeconds(wallSec)} (${rate} seeds/s, virtual/real ${speedup})${workers === null ? '' : ` on ${workers} worker(s)`}${shard}`);
  if (report.stoppedBy === 'interrupted') lines.push('fuzz: interrupted (SIGINT): this report is partial');
  if (report.stoppedBy === 'fail-fast') lines.push('fuzz: stopped at the first failure (--fail-fast)');
  if (report.groups.length > 0) {
    lines.push(colors.red(`${report.failures.length} failure(s) by property and signature:`));
    for (const group of report.groups) lines.push(groupLine(group));
  } else {
    lines.push(colors.green('no failures'));
  }
  return lines;
}
