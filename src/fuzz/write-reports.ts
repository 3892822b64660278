/**
 * Writes a campaign's --json and --junit reports once its summary is printed,
 * and decides the exit code: a report that cannot be written (the paths were
 * checked up front, so the disk filled or the folder went away meanwhile) must
 * not hide what the campaign found, so its failures' code wins; a campaign
 * that found nothing but lost a report exits 2, so CI does not go green
 * without it.
 */
import { ExitCode, InputError } from '../sim/errors.ts';
import { formatJunit } from './junit.ts';
import type { FuzzReport } from './report-json.ts';
import { writeFileAtomic } from './write-file.ts';

/** Report files asked for, by flag. */
export interface ReportPaths {
  json?: string;
  junit?: string;
}

/** Writes each report asked for (a failed write is printed and the other still written); returns the exit code. */
export function writeReports(report: FuzzReport, paths: ReportPaths): number {
  let written = true;
  const write = (path: string | undefined, text: () => string, flag: string): void => {
    if (path === undefined) return;
    try {
      writeFileAtomic(path, text(), flag);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      process.stderr.write(`faultline: ${error.message}\n`);
      written = false;
    }
  };
  write(paths.json, () => `${JSON.stringify(report, null, 2)}\n`, '--json');
  write(paths.junit, () => formatJunit(report), '--junit');
  return written || report.exitCode !== ExitCode.pass ? report.exitCode : ExitCode.badInput;
}
