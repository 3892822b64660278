/**
 * The `faultline run` flags that turn a model's own option set (`baseline`)
 * into `options`, so a printed command re-runs exactly the same simulation.
 */
import { formatDuration } from '../sim/duration.ts';
import type { SimOptions } from '../sim/options.ts';
import { shellQuote } from './flags.ts';
import { nodeTimeRerunFlags } from './node-time-flags.ts';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const range = (r: { minUs: number; maxUs: number }): string => `${formatDuration(r.minUs)}..${formatDuration(r.maxUs)}`;

/** Flags reproducing `options` on top of `baseline` (the model's defaults with the same seed). */
export function flagsForOptions(options: SimOptions, baseline: SimOptions): string[] {
  const flags = [`--seed ${options.seed}`];
  if (options.timeUs !== baseline.timeUs) flags.push(`--time ${formatDuration(options.timeUs)}`);
  if (options.maxEvents !== baseline.maxEvents) flags.push(`--max-events ${options.maxEvents}`);
  if (options.settleUs !== baseline.settleUs) flags.push(`--settle ${formatDuration(options.settleUs)}`);
  const net = options.network;
  const base = baseline.network;
  if (net.latency.minUs !== base.latency.minUs || net.latency.maxUs !== base.latency.maxUs) flags.push(`--latency ${range(net.latency)}`);
  if (net.latency.distribution !== base.latency.distribution) flags.push(`--latency-dist ${net.latency.distribution}`);
  if (net.lossRate !== base.lossRate) flags.push(`--loss ${net.lossRate}`);
  if (net.duplicateRate !== base.duplicateRate) flags.push(`--dup ${net.duplicateRate}`);
  if (!net.reorder && base.reorder) flags.push('--fifo');
  const { crash, partition, pause } = options.faults;
  const turnedOff =
    (crash === null && baseline.faults.crash !== null) ||
    (partition === null && baseline.faults.partition !== null) ||
    (pause === null && baseline.faults.pause !== null);
  if (turnedOff) flags.push('--no-faults');
  if (crash !== null && (turnedOff || !same(crash, baseline.faults.crash))) {
    flags.push(`--crash-every ${formatDuration(crash.meanIntervalUs)}`, `--downtime ${range(crash.downtime)}`, `--max-down ${crash.maxDown}`);
  }
  if (partition !== null && (turnedOff || !same(partition, baseline.faults.partition))) {
    flags.push(`--partition-every ${formatDuration(partition.meanIntervalUs)}`, `--partition-for ${range(partition.duration)}`);
  }
  flags.push(...nodeTimeRerunFlags(options, baseline, turnedOff));
  for (const bug of options.bugs) flags.push(`--bug ${shellQuote(bug)}`);
  if (options.checkMode && !baseline.checkMode) flags.push('--check');
  if (options.sometimesScope !== baseline.sometimesScope) flags.push(`--sometimes-scope ${options.sometimesScope}`);
  return flags;
}
