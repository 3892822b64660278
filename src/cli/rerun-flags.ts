/**
 * The `faultline run` flags that turn a model's own option set (`baseline`)
 * into `options`, so a printed command re-runs exactly the same simulation.
 */
import { formatDuration } from '../sim/duration.ts';
import type { SimOptions } from '../sim/options.ts';
import type { FaultPlanRecord } from '../faults/plan.ts';
import { shellQuote } from './flags.ts';
import { diskFlagsFor, diskNeedsNoFaults } from './disk-flags.ts';
import { DISK_DEFAULTS } from '../storage/disk-options.ts';
import { clogFlags, networkFaultFlags, partitionShapeFlags } from './network-flags.ts';
import { nodeTimeRerunFlags } from './node-time-flags.ts';
import { nodeCountFlags } from './nodes-flag.ts';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const range = (r: { minUs: number; maxUs: number }): string => `${formatDuration(r.minUs)}..${formatDuration(r.maxUs)}`;

/**
 * Flags reproducing `options` on top of `baseline` (the model's defaults with
 * the same seed, and the same profile when `plan` names one). `plan` adds
 * `--profile` and `--scenario` (a scenario built in code has no flag).
 */
export function flagsForOptions(options: SimOptions, baseline: SimOptions, plan?: FaultPlanRecord): string[] {
  const flags = [`--seed ${options.seed}`];
  flags.push(...nodeCountFlags(options, baseline));
  if (plan?.profile != null) flags.push(`--profile ${plan.profile}`);
  if (plan?.scenario?.file != null) flags.push(`--scenario ${shellQuote(plan.scenario.file)}`);
  if (options.timeUs !== baseline.timeUs) flags.push(`--time ${formatDuration(options.timeUs)}`);
  if (options.maxEvents !== baseline.maxEvents) flags.push(`--max-events ${options.maxEvents}`);
  // A profile's liveness phase follows the time budget: with another --time, say the settle outright.
  const settleMoves = plan?.profile != null && options.timeUs !== baseline.timeUs;
  if (options.settleUs !== baseline.settleUs || settleMoves) flags.push(`--settle ${formatDuration(options.settleUs)}`);
  const net = options.network;
  const base = baseline.network;
  if (net.latency.minUs !== base.latency.minUs || net.latency.maxUs !== base.latency.maxUs) flags.push(`--latency ${range(net.latency)}`);
  if (net.latency.distribution !== base.latency.distribution) flags.push(`--latency-dist ${net.latency.distribution}`);
  if (net.lossRate !== base.lossRate) flags.push(`--loss ${net.lossRate}`);
  if (net.duplicateRate !== base.duplicateRate) flags.push(`--dup ${net.duplicateRate}`);
  if (!net.reorder && base.reorder) flags.push('--fifo');
  flags.push(...networkFaultFlags(options, baseline));
  const { crash, partition, clog, pause } = options.faults;
  const turnedOff =
    (crash === null && baseline.faults.crash !== null) ||
    (partition === null && baseline.faults.partition !== null) ||
    (clog === null && baseline.faults.clog !== null) ||
    (pause === null && baseline.faults.pause !== null) ||
    diskNeedsNoFaults(options.disk, baseline.disk);
  if (turnedOff) flags.push('--no-faults');
  if (crash !== null && (turnedOff || !same(crash, baseline.faults.crash))) {
    flags.push(`--crash-every ${formatDuration(crash.meanIntervalUs)}`, `--downtime ${range(crash.downtime)}`, `--max-down ${crash.maxDown}`);
  }
  if (partition !== null && (turnedOff || !same(partition, baseline.faults.partition))) {
    flags.push(`--partition-every ${formatDuration(partition.meanIntervalUs)}`, `--partition-for ${range(partition.duration)}`);
    flags.push(...partitionShapeFlags(options, baseline));
  }
  // After --no-faults the model's disk faults are off too, so every disk fault in effect needs its flag.
  flags.push(...diskFlagsFor(options.disk, turnedOff ? DISK_DEFAULTS : baseline.disk));
  if (clog !== null && (turnedOff || !same(clog, baseline.faults.clog))) flags.push(...clogFlags(clog));
  flags.push(...nodeTimeRerunFlags(options, baseline, turnedOff));
  for (const bug of options.bugs) flags.push(`--bug ${shellQuote(bug)}`);
  for (const nemesis of options.nemeses ?? []) flags.push(`--nemesis ${shellQuote(nemesis)}`);
  if (options.checkMode && !baseline.checkMode) flags.push('--check');
  if (options.sometimesScope !== baseline.sometimesScope) flags.push(`--sometimes-scope ${options.sometimesScope}`);
  return flags;
}
