/**
 * The simulation flags that `faultline run` and `faultline fuzz` share (time
 * budget, network, faults, disks, clocks, bugs, nemeses, profile, scenario), their
 * registration on a command, and their translation into simulation options.
 */
import { Option, type Command } from 'commander';
import type { SimOptionsInput, LatencyDistribution, SometimesScope } from '../sim/options.ts';
import { findProfile, PROFILES } from '../faults/profiles.ts';
import { readScenarioFile } from '../faults/scenario-file.ts';
import { parseNodeCounts } from './nodes-flag.ts';
import { parseDuration, parseDurationRange } from '../sim/duration.ts';
import { parseChoice, parsePositiveInteger, parseProbability } from './flags.ts';
import { diskOptionsFromFlags, type DiskFlags } from './disk-flags.ts';
import { applyNetworkFaultFlags, type NetworkFaultFlags } from './network-flags.ts';
import { applyNodeTimeFlags, type NodeTimeFlags } from './node-time-flags.ts';

/** The shared simulation flags, as commander hands them over. */
export interface SimFlags extends DiskFlags, NetworkFaultFlags, NodeTimeFlags {
  time?: string;
  maxEvents?: string;
  settle?: string;
  sometimesScope?: string;
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
  /** Optional so callers that build flags by hand need not name it; commander always gives a list. */
  nemesis?: string[];
  check?: boolean;
  profile?: string;
  scenario?: string;
  nodes?: string;
}

/** Adds the shared simulation flags to `command` and returns it, for chaining. */
export function addSimulationOptions(command: Command): Command {
  return command
    .option('--time <duration>', 'virtual-time budget, e.g. 10s, 500ms (default: the model\'s, else 10s)')
    .option('--max-events <n>', 'scheduler-event budget (default 1000000)')
    .option('--settle <duration>', 'liveness phase at the end of --time: faults stop, all heal and restart, e.g. 2s (default: the model\'s, else 0 = none)')
    .option('--sometimes-scope <scope>', 'who judges sometimes properties: run (a run that never sees one fails) or campaign (only reported) (default run)')
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
    .addOption(
      new Option('--nemesis <name>', "switch on one of the model's nemeses, targeted state-aware faults (repeatable; see `faultline models`)")
        .argParser((value: string, all: string[]) => [...all, value])
        .default([], 'none'),
    )
    .option('--profile <name>', `a fault profile; the seed's swarm picks which of its faults are on and how hard, your flags override it: ${PROFILES.map((p) => p.name).join(', ')}`)
    .option('--scenario <file>', 'a JSON scenario file of timed steps (crash, restart, partition, heal) applied as scripted steps')
    .option('--nodes <role=n,...>', "node counts that replace the model's, by role, e.g. peer=10000")
    .option('--check', 'checking mode: deep-freeze node states after every handler (slower)');
}

/** Turns flags into simulation options (validated again, fully, by the simulation). */
export function optionsFromFlags(flags: SimFlags, seed: number): SimOptionsInput {
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
  if (flags.nemesis !== undefined && flags.nemesis.length > 0) options.nemeses = flags.nemesis;
  if (flags.check === true) options.checkMode = true;
  if (flags.nodes !== undefined) options.nodes = parseNodeCounts(flags.nodes, '--nodes');
  if (flags.profile !== undefined) options.profile = findProfile(flags.profile, '--profile').name;
  if (flags.scenario !== undefined) options.scenario = readScenarioFile(flags.scenario);
  return options;
}
