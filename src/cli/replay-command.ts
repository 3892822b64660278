/**
 * `faultline replay <trace>`: re-run what the trace header describes and
 * compare event by event. Exit 0 when identical, 3 at the first divergence.
 */
import { dirname } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { readTraceFile } from '../trace/file.ts';
import { resolvePlan } from '../faults/plan.ts';
import { replayTrace, type ReplayResult } from '../trace/replay.ts';
import { RingSink } from '../trace/sink.ts';
import { ExitCode } from '../sim/errors.ts';
import { formatDuration } from '../sim/duration.ts';
import { VERSION } from '../version.ts';
import { loadModel } from './load-model.ts';
import { formatRunReport } from './report.ts';
import { parsePositiveInteger } from './flags.ts';

/** Replays a trace file and returns the report lines and exit code. */
export async function executeReplay(path: string, color: boolean, timelineEvents = 20): Promise<{ lines: string[]; exitCode: number; replay: ReplayResult }> {
  const trace = readTraceFile(path);
  const { model } = await loadModel(trace.header.model, dirname(path));
  const ring = new RingSink(timelineEvents);
  const replay = replayTrace(trace, model, [ring]);
  const colors = pc.createColors(color);
  const lines: string[] = [];
  if (trace.header.faultline !== VERSION) {
    lines.push(`note: ${path} was recorded by faultline ${trace.header.faultline}; this is ${VERSION}`);
  }
  const divergence = replay.divergence;
  if (divergence === null) {
    lines.push(
      `${colors.green('IDENTICAL')} ${path}: ${trace.events.length} events replayed exactly (hash ${replay.result.traceHash})`,
    );
    if (replay.result.failure !== null) {
      lines.push('The recorded run fails, and the replay reproduces it:');
      // As `run` computes it: a model's defaults may name a profile or carry a scenario, which resolveOptions refuses.
      const profile = trace.header.plan?.profile ?? undefined;
      const baseline = resolvePlan(model.defaults, profile === undefined ? { seed: trace.header.seed } : { seed: trace.header.seed, profile }).options;
      lines.push(...formatRunReport(replay.result, { tracePath: path, recent: ring.recent(), color, baseline }));
    }
    return { lines, exitCode: ExitCode.pass, replay };
  }
  lines.push(
    `${colors.red('DIVERGED')} ${path}: first difference at event #${divergence.eventNumber}, virtual time ${formatDuration(divergence.timeUs)}`,
  );
  lines.push(`  expected  ${divergence.expected ?? '(the trace has no more lines)'}`);
  lines.push(`  actual    ${divergence.actual ?? '(the replay produced no more lines)'}`);
  lines.push('  The model code, the faultline version or the trace file changed since the trace was recorded.');
  return { lines, exitCode: ExitCode.modelCrashOrNondeterminism, replay };
}

/** Registers `replay` on the program. */
export function registerReplayCommand(program: Command, color: boolean, setExit: (code: number) => void): void {
  program
    .command('replay')
    .description('re-run a trace and check that every event is identical (exit 0), or show the first divergence (exit 3)')
    .argument('<trace>', 'a trace file written by `faultline run`')
    .option('--timeline <n>', 'events shown in a failure\'s timeline (default 20)')
    .action(async (path: string, flags: { timeline?: string }) => {
      const timeline = flags.timeline === undefined ? 20 : parsePositiveInteger(flags.timeline, '--timeline');
      const { lines, exitCode } = await executeReplay(path, color, timeline);
      process.stdout.write(`${lines.join('\n')}\n`);
      setExit(exitCode);
    });
}
