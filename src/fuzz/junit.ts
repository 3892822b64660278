/**
 * A fuzz report as JUnit XML: per model a test suite with one test case per
 * failing seed (named by seed, so CI lists each with its replay command) and
 * one summary case for the seeds that passed (named `passing seeds`, its counts
 * in its output). Not one case per seed: ten
 * thousand passing cases bury the failures in CI's test views and bloat the
 * file, while a failing seed is exactly what a person opens.
 */
import { formatDuration } from '../sim/duration.ts';
import type { FuzzReport } from './report-json.ts';
import type { FuzzFailure } from './failures.ts';

/** Escapes text for an XML attribute or element, dropping characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Name of each model's summary test case. */
export const SUMMARY_CASE = 'passing seeds';

function failureCase(failure: FuzzFailure): string {
  const what = failure.property === null ? failure.kind : `${failure.kind} "${failure.property}"`;
  const where = failure.eventNumber === null ? '' : ` at event #${failure.eventNumber}, ${formatDuration(failure.timeUs ?? 0)}`;
  const commands = [`trace:  ${failure.tracePath ?? '(none)'}`, `replay: ${failure.replay}`, ...(failure.view === null ? [] : [`view:   ${failure.view}`])];
  const body = [failure.message, '', ...commands].join('\n');
  return [
    `    <testcase classname="${escapeXml(`faultline.fuzz.${failure.model}`)}" name="${escapeXml(`seed ${failure.seed}: ${failure.kind}`)}" time="0">`,
    `      <failure type="${escapeXml(failure.kind)}" message="${escapeXml(`${what}${where}: ${failure.signature}`)}">${escapeXml(body)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

/** The whole report as a JUnit XML document. */
export function formatJunit(report: FuzzReport): string {
  const seconds = (report.wallMs / 1000).toFixed(3);
  const suites: string[] = [];
  let tests = 0;
  let failed = 0;
  for (const tally of report.models) {
    const failures = report.failures.filter((f) => f.model === tally.model);
    const failedSeeds = new Set(failures.map((f) => f.seed)).size;
    const cases = failures.map(failureCase);
    const summary = `${tally.seedsRun - failedSeeds} of ${tally.seedsRun} seeds passed (shards ${report.shards.join(',')} of ${report.campaign.shardCount})`;
    // A fixed name, so CI tracks this case from run to run; the counts, which change, go in its output.
    cases.push(
      `    <testcase classname="${escapeXml(`faultline.fuzz.${tally.model}`)}" name="${SUMMARY_CASE}" time="${seconds}"><system-out>${escapeXml(summary)}</system-out></testcase>`,
    );
    tests += cases.length;
    failed += failures.length;
    suites.push(
      `  <testsuite name="${escapeXml(`fuzz ${tally.model}`)}" tests="${cases.length}" failures="${failures.length}" errors="0" skipped="0" time="${seconds}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline fuzz" tests="${tests}" failures="${failed}" errors="0" time="${seconds}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
