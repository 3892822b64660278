/**
 * The `faultline` command line. Every command reports bad input as one line on
 * stderr with exit code 2 and never a stack trace; see src/sim/errors.ts.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { ExitCode, FaultlineError } from '../sim/errors.ts';
import { INTERNAL_ERROR_EXIT_CODE } from './exit.ts';
import { registerRunCommand } from './run-command.ts';
import { registerReplayCommand } from './replay-command.ts';
import { registerModelsCommand } from './models-command.ts';
import { registerDemoCommand } from './demo-command.ts';
import { registerCheckCommand } from './check-command.ts';
import { registerFuzzCommand } from './fuzz-command.ts';
import { registerMergeCommand } from './merge-command.ts';
import { bugFlagsHelp } from './bug-flags-help.ts';
import { registerViewCommand } from './view-command.ts';

/** Runs the CLI on `argv` (as in process.argv) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
  let exitCode: number = ExitCode.pass;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('faultline')
    .description('Deterministic distributed-system simulator: run models under seeded faults, record and replay traces.')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`faultline: ${text.replace(/^error: /, '')}`) });
  registerRunCommand(program, color, setExit);
  registerReplayCommand(program, color, setExit);
  registerModelsCommand(program);
  registerDemoCommand(program, color, setExit);
  registerCheckCommand(program, color, setExit);
  registerViewCommand(program, color);
  registerFuzzCommand(program, color, setExit, argv);
  registerMergeCommand(program, color, setExit, argv);
  const bugHelp = await bugFlagsHelp(argv, 'run');
  if (bugHelp !== '') program.commands.find((command) => command.name() === 'run')?.addHelpText('after', bugHelp);
  const fuzzBugHelp = await bugFlagsHelp(argv, 'fuzz');
  if (fuzzBugHelp !== '') program.commands.find((command) => command.name() === 'fuzz')?.addHelpText('after', fuzzBugHelp);
  for (const command of program.commands) command.exitOverride();

  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0; every usage error is bad input.
      return error.exitCode === 0 ? ExitCode.pass : ExitCode.badInput;
    }
    if (error instanceof FaultlineError) {
      process.stderr.write(`faultline: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`faultline: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return INTERNAL_ERROR_EXIT_CODE;
  }
}
