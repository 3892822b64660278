/**
 * `faultline check FILE --format F [--model M]`: is a recorded client history
 * linearizable? Exit 0 when it is, 1 when it is not (with a witness), 2 for
 * bad input, 4 when the budget ran out before an answer.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { pairOperations, type Operation } from '../check/history.ts';
import { readHistoryFile, HISTORY_FORMATS, type HistoryFormat, type HistoryModel } from '../check/formats/index.ts';
import { checkLinearizability, DEFAULT_MAX_STATES, type LinearizabilityResult } from '../check/linearizability/check.ts';
import { registerSpec } from '../check/linearizability/register.ts';
import { kvSpec } from '../check/linearizability/kv.ts';
import type { SequentialSpec } from '../check/linearizability/spec.ts';
import { ExitCode, InputError } from '../sim/errors.ts';
import { formatDuration, parseDuration } from '../sim/duration.ts';
import { parseChoice, parsePositiveInteger } from './flags.ts';

/** What `check` was asked to do. */
export interface CheckRequest {
  path: string;
  format: HistoryFormat;
  model: HistoryModel;
  maxStates: number;
  timeBudgetMs: number | null;
}

/** Flags as commander hands them over (all text). */
interface CheckFlags {
  format: string;
  model?: string;
  maxStates?: string;
  timeout?: string;
  json?: boolean;
}

/** The model each format implies when `--model` is left out. */
const DEFAULT_MODEL: Readonly<Record<HistoryFormat, HistoryModel | null>> = {
  'porcupine-etcd': 'register',
  'porcupine-kv': 'kv',
  'jepsen-edn': null,
  'faultline-trace': null,
};

/** Turns flags into a request; every problem is an InputError naming the flag. */
export function parseCheckFlags(path: string, flags: CheckFlags): CheckRequest {
  const format = parseChoice(flags.format, HISTORY_FORMATS, '--format');
  const model = flags.model === undefined ? DEFAULT_MODEL[format] : parseChoice(flags.model, ['register', 'kv'] as const, '--model');
  if (model === null) throw new InputError(`--model is required with --format ${format} (register or kv)`);
  const maxStates = flags.maxStates === undefined ? DEFAULT_MAX_STATES : parsePositiveInteger(flags.maxStates, '--max-states');
  const timeBudgetMs = flags.timeout === undefined ? null : parseDuration(flags.timeout, '--timeout') / 1000;
  if (timeBudgetMs !== null && timeBudgetMs <= 0) throw new InputError(`--timeout: must be more than 0`);
  return { path, format, model, maxStates, timeBudgetMs };
}

/** Reads, pairs and checks the history; returns the result and the real time it took. */
export function executeCheck(request: CheckRequest): { result: LinearizabilityResult; elapsedMs: number } {
  const events = readHistoryFile(request.path, request.format, request.model);
  const operations: Operation[] = pairOperations(events);
  const spec = (request.model === 'register' ? registerSpec : kvSpec) as SequentialSpec<unknown, unknown, unknown>;
  const started = performance.now();
  const result = checkLinearizability(operations, spec, {
    maxStates: request.maxStates,
    // A trace's times are virtual microseconds; a file's are line numbers.
    ...(request.format === 'faultline-trace' ? { formatTime: formatDuration } : {}),
    ...(request.timeBudgetMs === null ? {} : { timeBudgetMs: request.timeBudgetMs, nowMs: () => performance.now() }),
  });
  return { result, elapsedMs: performance.now() - started };
}

/** The exit code for a verdict. */
export function checkExitCode(result: LinearizabilityResult): number {
  if (result.verdict === 'linearizable') return ExitCode.pass;
  // Unknown gets its own code: neither verdict can be claimed when the budget ran out.
  return result.verdict === 'not-linearizable' ? ExitCode.propertyFailed : ExitCode.checkUnknown;
}

/** The human report: a verdict line, then the witness when there is one. */
export function formatCheckReport(request: CheckRequest, result: LinearizabilityResult, elapsedMs: number, color: boolean): string[] {
  const colors = pc.createColors(color);
  const scope = `${plural(result.operations, 'operation')}${result.partitions > 1 ? ` in ${result.partitions} partitions` : ''}`;
  const effort = `${result.statesExplored.toLocaleString('en-US')} configurations explored in ${elapsedMs.toFixed(1)} ms`;
  const subject = `${request.path} (${request.model})`;
  if (result.verdict === 'linearizable') return [`${colors.green('LINEARIZABLE')} ${subject}: ${scope}; ${effort}`];
  if (result.verdict === 'unknown') return [`${colors.yellow('UNKNOWN')} ${subject}: ${result.reason}; ${scope}; ${effort}`];
  return [`${colors.red('NOT LINEARIZABLE')} ${subject}: ${scope}; ${effort}`, ...(result.witness?.lines ?? []).map((line) => `  ${line}`)];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The report as JSON, for scripts. */
export function checkReportJson(request: CheckRequest, result: LinearizabilityResult, elapsedMs: number): object {
  const witness = result.witness;
  return {
    file: request.path,
    format: request.format,
    model: request.model,
    verdict: result.verdict,
    reason: result.reason,
    operations: result.operations,
    partitions: result.partitions,
    statesExplored: result.statesExplored,
    elapsedMs: Math.round(elapsedMs * 1000) / 1000,
    witness:
      witness === null
        ? null
        : {
            partition: witness.partition,
            prefix: witness.prefix.map((operation) => operation.id),
            state: witness.state,
            blocked: witness.blocked.id,
            stuck: witness.stuck.map(({ operation, legalNext }) => ({ operation: operation.id, source: operation.source ?? null, legalNext })),
            lines: witness.lines,
          },
  };
}

/** Registers `check` on the program. */
export function registerCheckCommand(program: Command, color: boolean, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('check that a client history is linearizable: exit 0 if it is, 1 if not (with a witness), 4 if the budget ran out')
    .argument('<file>', 'a history file')
    .requiredOption('--format <format>', `history format: ${HISTORY_FORMATS.join(', ')}`)
    .option('--model <model>', 'sequential model: register or kv (default: the one the format implies)')
    .option('--max-states <n>', `give up (verdict unknown) after this many configurations (default ${DEFAULT_MAX_STATES.toLocaleString('en-US')})`)
    .option('--timeout <duration>', 'give up (verdict unknown) after this much real time, e.g. 30s')
    .option('--json', 'print the result as JSON')
    .action((path: string, flags: CheckFlags) => {
      const request = parseCheckFlags(path, flags);
      const { result, elapsedMs } = executeCheck(request);
      const output = flags.json === true ? [JSON.stringify(checkReportJson(request, result, elapsedMs), null, 2)] : formatCheckReport(request, result, elapsedMs, color);
      process.stdout.write(`${output.join('\n')}\n`);
      setExit(checkExitCode(result));
    });
}
