/**
 * `faultline run <model>`: one simulation under one seed, a trace file, and a
 * report (with the failure timeline and replay command when it fails).
 */
import { randomInt } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { Option, type Command } from 'commander';
import { Simulation } from '../sim/simulation.ts';
import type { SimOptionsInput, LatencyDistribution, SometimesScope } from '../sim/options.ts';
import { resolvePlan } from '../faults/plan.ts';
import { findProfile, PROFILES } from '../faults/profiles.ts';
import { readScenarioFile } from '../faults/scenario-file.ts';
import type { RunResult } from '../sim/result.ts';
import { parseDuration, parseDurationRange } from '../sim/duration.ts';
import { FaultlineError, InputError } from '../sim/errors.ts';
import { FileSink } from '../trace/file.ts';
import { RingSink, type TraceSink } from '../trace/sink.ts';
import { loadModel } from './load-model.ts';
import { parseChoice, parseNonNegativeInteger, parsePositiveInteger, parseProbability } from './flags.ts';
import { formatRunReport } from './report.ts';
import { exitCodeFor } from './exit.ts';
import { diskOptionsFromFlags, type DiskFlags } from './disk-flags.ts';
import { applyNetworkFaultFlags, type NetworkFaultFlags } from './network-flags.ts';
import { applyNodeTimeFlags, type NodeTimeFlags } from './node-time-flags.ts';
import { parseNodeCounts } from './nodes-flag.ts';

/** Flags of `faultline run`, as commander hands them over. */
interface RunFlags extends DiskFlags, NetworkFaultFlags, NodeTimeFlags {
  seed?: string;
  time?: string;
  maxEvents?: string;
  settle?: string;
  sometimesScope?: string;
  trace?: string | false;
  latency?: string;
  latencyDist?: string;
  loss?: string;
  dup?: string;
  fifo?: boolean;
  crashEvery?: string;
  downtime?: string;
  maxDown?: string;
  partitionEvery?: string;
  partitionFor?: string;
  faults?: boolean;
  bug: string[];
  check?: boolean;
  timeline?: string;
  json?: boolean;
  profile?: string;
  scenario?: string;
  nodes?: string;
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
 * this repo). Bug flags are part of the name so a buggy run never overwrites the
 * trace of the correct one.
 */
export function defaultTracePath(modelName: string, seed: number, bugs: readonly string[] = []): string {
  const variant = bugs.length === 0 ? '' : `-${[...bugs].sort().join('+')}`;
  return join('traces', 'out', `${modelName}${variant}-seed${seed}.jsonl`.replace(/[^\w.+-]/g, '_'));
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

/** Turns flags into simulation options (validated again, fully, by the simulation). */
export function optionsFromFlags(flags: RunFlags, seed: number): SimOptionsInput {
  const options: SimOptionsInput = { seed, bugs: flags.bug };
  if (flags.time !== undefined) options.timeUs = parseDuration(flags.time, '--time');
  if (flags.maxEvents !== undefined) options.maxEvents = parsePositiveInteger(flags.maxEvents, '--max-events');
  if (flags.settle !== undefined) options.settleUs = parseDuration(flags.settle, '--settle');
  if (flags.sometimesScope !== undefined) {
    const scopes: SometimesScope[] = ['run', 'campaign'];
    options.sometimesScope = parseChoice(flags.sometimesScope, scopes, '--sometimes-scope');
  }
  const network: NonNullable<SimOptionsInput['network']> = {};
  if (flags.latency !== undefined) network.latency = parseDurationRange(flags.latency, '--latency');
  if (flags.latencyDist !== undefined) {
    const choices: LatencyDistribution[] = ['uniform', 'exponential', 'normal'];
    network.latency = { ...network.latency, distribution: parseChoice(flags.latencyDist, choices, '--latency-dist') };
  }
  if (flags.loss !== undefined) network.lossRate = parseProbability(flags.loss, '--loss');
  if (flags.dup !== undefined) network.duplicateRate = parseProbability(flags.dup, '--dup');
  if (flags.fifo === true) network.reorder = false;
  options.network = network;
  const faults: NonNullable<SimOptionsInput['faults']> = flags.faults === false ? { crash: null, partition: null, clog: null, pause: null } : {};
  if (flags.crashEvery !== undefined || flags.downtime !== undefined || flags.maxDown !== undefined) {
    faults.crash = {};
    if (flags.crashEvery !== undefined) faults.crash.meanIntervalUs = parseDuration(flags.crashEvery, '--crash-every');
    if (flags.downtime !== undefined) faults.crash.downtime = parseDurationRange(flags.downtime, '--downtime');
    if (flags.maxDown !== undefined) faults.crash.maxDown = parsePositiveInteger(flags.maxDown, '--max-down');
  }
  if (flags.partitionEvery !== undefined || flags.partitionFor !== undefined) {
    faults.partition = {};
    if (flags.partitionEvery !== undefined) faults.partition.meanIntervalUs = parseDuration(flags.partitionEvery, '--partition-every');
    if (flags.partitionFor !== undefined) faults.partition.duration = parseDurationRange(flags.partitionFor, '--partition-for');
  }
  options.faults = faults;
  const disk = diskOptionsFromFlags(flags, flags.faults === false);
  if (disk !== undefined) options.disk = disk;
  applyNetworkFaultFlags(flags, options);
  applyNodeTimeFlags(flags, options);
  if (flags.check === true) options.checkMode = true;
  if (flags.nodes !== undefined) options.nodes = parseNodeCounts(flags.nodes, '--nodes');
  if (flags.profile !== undefined) options.profile = findProfile(flags.profile, '--profile').name;
  if (flags.scenario !== undefined) options.scenario = readScenarioFile(flags.scenario);
  return options;
}

/** Registers `run` on the program; `setExit` receives the command's exit code. */
export function registerRunCommand(program: Command, color: boolean, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run one simulation of a model under a seed, write its trace, and report the outcome')
    .argument('<model>', 'a bundled model (see `faultline models`) or a path to your model module')
    .option('--seed <n>', 'root seed, a non-negative integer (default: a random seed, printed)')
    .option('--time <duration>', 'virtual-time budget, e.g. 10s, 500ms (default: the model\'s, else 10s)')
    .option('--max-events <n>', 'scheduler-event budget (default 1000000)')
    .option('--settle <duration>', 'liveness phase at the end of --time: faults stop, all heal and restart, e.g. 2s (default: the model\'s, else 0 = none)')
    .option('--sometimes-scope <scope>', 'who judges sometimes properties: run (a run that never sees one fails) or campaign (only reported) (default run)')
    .option('--trace <file>', 'trace file to write (default: traces/out/<model>-seed<N>.jsonl)')
    .option('--no-trace', 'write no trace file')
    .option('--latency <range>', 'link latency MIN..MAX, e.g. 1ms..20ms (default 1ms..10ms)')
    .option('--latency-dist <name>', 'latency distribution: uniform, exponential or normal (default uniform)')
    .option('--loss <p>', 'probability that a message is lost, 0..1')
    .option('--dup <p>', 'probability that a message is delivered twice, 0..1')
    .option('--fifo', 'keep every link in order (no reordering through jitter)')
    .option('--capacity-link <n>', 'most messages in flight on one directed link (bounded capacity)')
    .option('--capacity-inbox <n>', 'most messages in flight towards one node (bounded capacity)')
    .option('--overflow <policy>', 'what a full link or inbox does: drop or backpressure (default drop)')
    .option('--corrupt <p>', 'probability that a delivered message has one field changed, 0..1')
    .option('--forge <p>', 'adversary: probability per message sent of forging one with a spoofed sender, 0..1')
    .option('--replay <p>', 'adversary: probability per message sent of replaying an old message, 0..1')
    .option('--tamper <p>', 'adversary: probability that a message sent has a field changed in flight, 0..1')
    .option('--load', 'record per-node load (sent, received, dropped, queue depth) in the trace and the report')
    .option('--crash-every <duration>', 'crash a random node on average this often (switches crashes on)')
    .option('--downtime <range>', 'how long a crashed node stays down, MIN..MAX (default 100ms..1s)')
    .option('--max-down <n>', 'most nodes down at once (default 1)')
    .option('--partition-every <duration>', 'partition the network on average this often (shapes: --partition-shapes, default halves)')
    .option('--partition-for <range>', 'how long a partition lasts, MIN..MAX (default 200ms..2s)')
    .option('--torn-writes', 'a crash keeps a random half of the unsynced writes instead of losing them all (disk.crashLoss torn)')
    .option('--disk-corrupt <p>', 'probability that a read returns its value with one bit flipped, 0..1')
    .option('--disk-capacity <bytes>', "each node's disk holds at most this many bytes of values (JSON length); a put beyond it throws DiskFullError")
    .option('--partition-shapes <list>', 'shapes a partition may take: halves, isolate, majority, asymmetric, bridge (default halves)')
    .option('--clog-every <duration>', 'swizzle-clog: clog a random subset of nodes one by one, on average this often')
    .option('--clog-nodes <n>', 'swizzle-clog: nodes clogged per swizzle (default 2)')
    .option('--clog-step <duration>', 'swizzle-clog: time between one clog or unclog and the next (default 100ms)')
    .option('--clog-hold <duration>', 'swizzle-clog: time between the last clog and the first unclog (default 500ms)')
    .option('--no-faults', "switch off the model's default crash, partition, clog, pause and disk faults (not its clocks)")
    .option('--pause-every <duration>', 'pause (stop the world) a random node on average this often (switches pauses on)')
    .option('--pause-for <range>', 'how long a pause lasts, MIN..MAX (default 100ms..1s)')
    .option('--max-paused <n>', 'most nodes paused at once (default 1)')
    .option('--clock-skew <range>', 'each node\'s clock starts this far off true time, MIN..MAX, e.g. -50ms..50ms (switches clocks on)')
    .option('--clock-drift <range>', 'each node\'s clock runs this much fast (+) or slow (-), MINppm..MAXppm, e.g. -200ppm..200ppm (switches clocks on)')
    .option('--clock-jump-every <duration>', 'step a random node\'s clock forward or back on average this often (switches clocks on)')
    .option('--clock-jump <range>', 'size of a clock jump, MIN..MAX (default 10ms..1s)')
    .option('--no-clock-jumps', "switch off clock jumps (the model's default ones too)")
    .option('--no-clocks', "every node reads true time (switches off the model's default clocks)")
    .addOption(
      new Option('--bug <flag>', "switch on one of the model's bug flags (repeatable; see `faultline models`)")
        .argParser((value: string, all: string[]) => [...all, value])
        .default([], 'none'),
    )
    .option('--profile <name>', `a fault profile; the seed's swarm picks which of its faults are on and how hard, your flags override it: ${PROFILES.map((p) => p.name).join(', ')}`)
    .option('--scenario <file>', 'a JSON scenario file of timed steps (crash, restart, partition, heal) applied as scripted steps')
    .option('--nodes <role=n,...>', "node counts that replace the model's, by role, e.g. peer=10000")
    .option('--check', 'checking mode: deep-freeze node states after every handler (slower)')
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
