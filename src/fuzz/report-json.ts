/**
 * The JSON report of a fuzz campaign (versioned), reading one back with
 * one-line errors, and merging the reports of a campaign's shards.
 */
import { readFileSync } from 'node:fs';
import { VERSION } from '../version.ts';
import { InputError } from '../sim/errors.ts';
import type { SimOptionsInput } from '../sim/options.ts';
import { checkReportShape } from './report-shape.ts';
import { campaignExitCode, groupFailures, sortFailures, type FailureGroup, type FuzzFailure } from './failures.ts';
import type { CampaignResult, ModelTally, StopReason } from './campaign.ts';

/** The report's format name and version; a reader refuses any other. */
export const REPORT_FORMAT = 'faultline-fuzz-report';
export const REPORT_VERSION = 1;

/** Exit code of a campaign stopped by SIGINT with nothing failed (128 + the signal's number). */
export const INTERRUPTED_EXIT_CODE = 130;

/** What makes two shards parts of the same campaign: everything but the shard index. */
export interface CampaignIdentity {
  models: string[];
  options: SimOptionsInput;
  startSeed: number;
  shardCount: number;
  /** Seeds of the whole campaign, or null under a wall-time budget. */
  seeds: number | null;
  durationMs: number | null;
  checkDeterminism: boolean;
}

/** A campaign's report, as written by --json and by `faultline merge`. */
export interface FuzzReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  faultline: string;
  /** The command line that produced it (for a merge: the merge's). */
  command: string;
  campaign: CampaignIdentity;
  /** Shard indexes (1-based) this report covers. */
  shards: number[];
  /** Set when SIGINT stopped a shard: the report is partial. */
  interrupted: boolean;
  /** Why dispatching stopped early (null: it ran its seeds or its time). */
  stoppedBy: StopReason;
  /** Wall time in milliseconds (a merge: the longest shard's, since shards run side by side). */
  wallMs: number;
  /** Per model: seeds run, seeds abandoned, virtual time, `sometimes` counts. */
  models: ModelTally[];
  seedsRun: number;
  failures: FuzzFailure[];
  groups: FailureGroup[];
  exitCode: number;
}

/** The exit code a report stands for: failures first, then an interruption. */
export function reportExitCode(failures: readonly FuzzFailure[], interrupted: boolean): number {
  return failures.length === 0 && interrupted ? INTERRUPTED_EXIT_CODE : campaignExitCode(failures);
}

/** Builds the report of one campaign (one shard). */
export function buildReport(command: string, campaign: CampaignIdentity, shardIndex: number, result: CampaignResult): FuzzReport {
  const interrupted = result.stopped === 'interrupted';
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    faultline: VERSION,
    command,
    campaign,
    shards: [shardIndex],
    interrupted,
    stoppedBy: result.stopped,
    wallMs: Math.round(result.wallMs),
    models: result.tallies,
    seedsRun: result.tallies.reduce((sum, tally) => sum + tally.seedsRun, 0),
    failures: result.failures,
    groups: groupFailures(result.failures),
    exitCode: reportExitCode(result.failures, interrupted),
  };
}

/** Reads a report file; a missing, unreadable or foreign file is an InputError naming it. */
export function readReport(path: string): FuzzReport {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such report file`);
    if (code !== undefined) throw new InputError(`${path}: cannot read (${code})`);
    throw new InputError(`${path}: not JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const report = value as Partial<FuzzReport> | null;
  if (report === null || typeof report !== 'object' || report.format !== REPORT_FORMAT) {
    throw new InputError(`${path}: not a faultline fuzz report (no "format": "${REPORT_FORMAT}")`);
  }
  if (report.version !== REPORT_VERSION) throw new InputError(`${path}: report version ${String(report.version)} is not supported (this faultline reads ${REPORT_VERSION})`);
  checkReportShape(report, path);
  // Reports written before failures had a view command.
  for (const failure of (report as FuzzReport).failures) failure.view ??= null;
  return report as FuzzReport;
}

/** Merges reports of shards of one campaign; `paths` name them in errors. */
export function mergeReports(reports: readonly FuzzReport[], paths: readonly string[], command: string): FuzzReport {
  const [first] = reports;
  if (first === undefined) throw new InputError('merge: give at least one report file');
  const identity = JSON.stringify(first.campaign);
  const seen = new Map<number, string>();
  reports.forEach((report, i) => {
    const path = paths[i] ?? `report ${i + 1}`;
    if (JSON.stringify(report.campaign) !== identity) {
      throw new InputError(`${path}: not the same campaign as ${paths[0]} (models, options, seeds, start seed or shard count differ)`);
    }
    // Another version may run other seeds alike: its shards would not add up to one campaign.
    if (report.faultline !== first.faultline) {
      throw new InputError(`${path}: written by faultline ${report.faultline}, but ${paths[0]} by ${first.faultline}: merge shards run by one version`);
    }
    for (const shard of report.shards) {
      if (shard < 1 || shard > first.campaign.shardCount) throw new InputError(`${path}: shard ${shard} is not one of 1..${first.campaign.shardCount}`);
      const other = seen.get(shard);
      if (other !== undefined) throw new InputError(`${path}: shard ${shard} is also in ${other}`);
      seen.set(shard, path);
    }
  });
  const models = first.campaign.models.map((model) => mergeTallies(model, reports.flatMap((r) => r.models.filter((t) => t.model === model))));
  const failures = sortFailures(reports.flatMap((r) => r.failures), first.campaign.models);
  const interrupted = reports.some((r) => r.interrupted);
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    faultline: VERSION,
    command,
    campaign: first.campaign,
    shards: [...seen.keys()].sort((a, b) => a - b),
    interrupted,
    stoppedBy: reports.find((r) => r.stoppedBy !== null)?.stoppedBy ?? null,
    wallMs: Math.max(...reports.map((r) => r.wallMs)),
    models,
    seedsRun: models.reduce((sum, tally) => sum + tally.seedsRun, 0),
    failures,
    groups: groupFailures(failures),
    exitCode: reportExitCode(failures, interrupted),
  };
}

function mergeTallies(model: string, tallies: readonly ModelTally[]): ModelTally {
  const merged: ModelTally = { model, seedsRun: 0, abandoned: [], virtualUs: 0, sometimesSeen: {} };
  for (const tally of tallies) {
    merged.seedsRun += tally.seedsRun;
    merged.abandoned.push(...tally.abandoned);
    merged.virtualUs += tally.virtualUs;
    for (const [name, count] of Object.entries(tally.sometimesSeen)) merged.sometimesSeen[name] = (merged.sometimesSeen[name] ?? 0) + count;
  }
  merged.abandoned.sort((a, b) => a - b);
  return merged;
}
