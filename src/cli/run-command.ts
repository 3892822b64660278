/**
 * `faultline run <model>`: one simulation under one seed, a trace file, and a
 * report (with the failure timeline and replay command when it fails).
 */
import { randomInt } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { Simulation } from '../sim/simulation.ts';
import type { SimOptionsInput } from '../sim/options.ts';
import { resolvePlan } from '../faults/plan.ts';
import type { RunResult } from '../sim/result.ts';
import { FaultlineError, InputError } from '../sim/errors.ts';
import { FileSink } from '../trace/file.ts';
import { RingSink, type TraceSink } from '../trace/sink.ts';
import { loadModel } from './load-model.ts';
import { parseNonNegativeInteger, parsePositiveInteger } from './flags.ts';
import { formatRunReport } from './report.ts';
import { exitCodeFor } from './exit.ts';
import { addSimulationOptions, optionsFromFlags, type SimFlags } from './sim-flags.ts';

/** Kept here too: the run command's tests and older callers import it from this module. */
export { optionsFromFlags } from './sim-flags.ts';

/** Flags of `faultline run`, as commander hands them over. */
interface RunFlags extends SimFlags {
  seed?: string;
  trace?: string | false;
  timeline?: string;
  json?: boolean;
}

/** What `executeRun` needs: a model reference, options, and where the trace goes. */
export interface RunRequest {
  modelRef: string;
  options: SimOptionsInput;
  /** Trace path, or null for no file; undefined for the default path under traces/out. */
  tracePath?: string | null;
  timelineEvents?: number;
}

/** A finished run with everything needed to report it. */
export interface RunOutcome {
  result: RunResult;
  tracePath: string | null;
  report: string[];
}

const DEFAULT_TIMELINE_EVENTS = 20;

/**
 * Default trace location, relative to the working directory (ignored by git in
 * this repo), or under `dir` (fuzz's --out). Bug flags are part of the name so
 * a buggy run never overwrites the trace of the correct one.
 */
export function defaultTracePath(modelName: string, seed: number, bugs: readonly string[] = [], dir: string = join('traces', 'out')): string {
  const variant = bugs.length === 0 ? '' : `-${[...bugs].sort().join('+')}`;
  return join(dir, `${modelName}${variant}-seed${seed}.jsonl`.replace(/[^\w.+-]/g, '_'));
}

/** Loads the model, runs it, writes the trace and builds the report. */
export async function executeRun(request: RunRequest, color: boolean): Promise<RunOutcome> {
  const { model, ref, path } = await loadModel(request.modelRef);
  const seed = request.options.seed ?? 0;
  const tracePath =
    request.tracePath === undefined ? defaultTracePath(model.name, seed, request.options.bugs ?? []) : request.tracePath;
  // A user model is recorded relative to the trace file, so the replay command works from any directory.
  const headerRef = path === null || tracePath === null ? ref : relative(dirname(tracePath), path).split(sep).join('/');
  const ring = new RingSink(request.timelineEvents ?? DEFAULT_TIMELINE_EVENTS);
  const file = tracePath === null ? null : new FileSink(tracePath);
  const sinks: TraceSink[] = file === null ? [ring] : [ring, file];
  let result: RunResult;
  try {
    result = new Simulation(model, request.options, { sinks, modelRef: headerRef }).run();
  } catch (error) {
    file?.abort();
    if (error instanceof FaultlineError) throw error;
    // Not the model's fault and not bad input: keep the seed in the message so it is never lost.
    throw new Error(`internal error while running ${ref} seed ${seed}: ${(error as Error).stack ?? String(error)}`);
  }
  // Flushing and renaming can still fail (a full disk): an InputError naming the path, the .tmp removed.
  file?.close();
  // With a profile, the printed re-run command names it; its flags are what differs from the profile's choices.
  const profile = request.options.profile;
  const baseline = resolvePlan(model.defaults, profile === undefined ? { seed } : { seed, profile }).options;
  const shown = { ...result, model: ref };
  return { result: shown, tracePath, report: formatRunReport(shown, { tracePath, recent: ring.recent(), color, baseline }) };
}


/** Registers `run` on the program; `setExit` receives the command's exit code. */
export function registerRunCommand(program: Command, color: boolean, setExit: (code: number) => void): void {
  const command = program
    .command('run')
    .description('run one simulation of a model under a seed, write its trace, and report the outcome')
    .argument('<model>', 'a bundled model (see `faultline models`) or a path to your model module')
    .option('--seed <n>', 'root seed, a non-negative integer (default: a random seed, printed)');
  addSimulationOptions(command)
    .option('--trace <file>', 'trace file to write (default: traces/out/<model>-seed<N>.jsonl)')
    .option('--no-trace', 'write no trace file')
    .option('--timeline <n>', `events shown in a failure's timeline (default ${DEFAULT_TIMELINE_EVENTS})`)
    .option('--json', 'print the result as JSON instead of a report')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  faultline run ping-pong --seed 42',
        '  faultline run replicated-counter --seed 7 --bug ack-before-sync',
        '  faultline run ./my-model.ts --seed 1 --loss 0.1 --dup 0.05 --crash-every 300ms --partition-every 1s',
        '  faultline run register --seed 3 --time 5s --settle 1s',
        '  faultline run register --seed 4 --profile chaos --loss 0.2',
        '  faultline run ping-pong --seed 1 --scenario my-scenario.json',
        '  faultline run replicated-counter --seed 2 --torn-writes --disk-corrupt 0.01 --disk-capacity 4096',
        '  faultline run register --seed 3 --pause-every 500ms --clock-skew -20ms..20ms --clock-drift -500ppm..500ppm',
        '',
        'Exit codes: 0 passed, 1 a property failed, 2 bad input, 3 a model threw or read real time or randomness.',
      ].join('\n'),
    )
    .action(async (modelRef: string, flags: RunFlags) => {
      const seed = flags.seed === undefined ? randomInt(0, 2 ** 31) : parseNonNegativeInteger(flags.seed, '--seed');
      const options = optionsFromFlags(flags, seed);
      const timelineEvents = flags.timeline === undefined ? undefined : parsePositiveInteger(flags.timeline, '--timeline');
      if (flags.trace === '') throw new InputError('--trace: the path is empty (give a file name, or --no-trace)');
      const tracePath = flags.trace === false ? null : flags.trace;
      const outcome = await executeRun({ modelRef, options, tracePath, timelineEvents }, color);
      if (flags.json === true) {
        process.stdout.write(`${JSON.stringify({ ...outcome.result, tracePath: outcome.tracePath }, null, 2)}\n`);
      } else {
        if (flags.seed === undefined) process.stdout.write(`(random seed ${seed}; pass --seed ${seed} to repeat it)\n`);
        process.stdout.write(`${outcome.report.join('\n')}\n`);
      }
      setExit(exitCodeFor(outcome.result));
    });
}
