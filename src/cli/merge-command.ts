/**
 * `faultline merge A.json B.json ...`: combines the JSON reports of a fuzz
 * campaign's shards into one (and optionally JUnit XML), after checking that
 * they are shards of the same campaign; exits like the combined campaign.
 */
import type { Command } from 'commander';
import { mergeReports, readReport } from '../fuzz/report-json.ts';
import { formatSummary } from '../fuzz/summary.ts';
import { checkWritable } from '../fuzz/write-file.ts';
import { writeReports } from '../fuzz/write-reports.ts';
import { shellQuote } from './flags.ts';
import { InputError } from '../sim/errors.ts';

/** Flags of `faultline merge`. */
interface MergeFlags {
  json?: string;
  junit?: string;
  allowPartial?: boolean;
}

/** Registers `merge`; `argv` (as in process.argv) is recorded in the merged report. */
export function registerMergeCommand(program: Command, color: boolean, setExit: (code: number) => void, argv: readonly string[]): void {
  program
    .command('merge')
    .description('combine the JSON reports of a fuzz campaign\'s shards (faultline fuzz --shard i/n --json FILE)')
    .argument('<reports...>', 'JSON report files, one per shard')
    .option('--json <file>', 'write the merged report as JSON')
    .option('--junit <file>', 'write the merged report as JUnit XML')
    .option('--allow-partial', 'merge even when some shards\' reports are missing (a warning names them)')
    .addHelpText(
      'after',
      '\nExit codes: as `faultline fuzz` for the combined campaign (0, 1, 3, or 130 if a shard was interrupted); 2 bad input,\nincluding a missing shard without --allow-partial.',
    )
    .action((paths: string[], flags: MergeFlags) => {
      if (flags.json !== undefined) checkWritable(flags.json, '--json');
      if (flags.junit !== undefined) checkWritable(flags.junit, '--junit');
      const reports = paths.map((path) => readReport(path));
      const merged = mergeReports(reports, paths, ['faultline', ...argv.slice(2)].map(shellQuote).join(' '));
      const count = merged.campaign.shardCount;
      const missing = Array.from({ length: count }, (_, i) => i + 1).filter((shard) => !merged.shards.includes(shard));
      // A shard that crashed leaves no report: without this, a CI merge job would pass on the shards that did run.
      if (missing.length > 0 && flags.allowPartial !== true) {
        throw new InputError(`merge: shard(s) ${missing.join(', ')} of ${count} missing: give every shard's report, or --allow-partial to merge these`);
      }
      if (missing.length > 0) process.stderr.write(`merge: shard(s) ${missing.join(', ')} of ${count} missing: the merged report covers only part of the campaign\n`);
      process.stdout.write(`${formatSummary(merged, null, color).join('\n')}\n`);
      setExit(writeReports(merged, flags));
    });
}
