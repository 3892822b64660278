/** Maps a run's outcome to the shared exit codes (DESIGN.md, "Failure reports"). */
import { ExitCode } from '../sim/errors.ts';
import type { RunResult } from '../sim/result.ts';

/** 0 pass, 1 a property failed, 3 a model threw or nondeterminism was detected. */
export function exitCodeFor(result: RunResult): number {
  const failure = result.failure;
  if (failure === null) return ExitCode.pass;
  return failure.kind === 'safety' || failure.kind === 'liveness' ? ExitCode.propertyFailed : ExitCode.modelCrashOrNondeterminism;
}

/** Exit code for an internal error of faultline itself (a bug to report), distinct from the documented ones. */
export const INTERNAL_ERROR_EXIT_CODE = 70;
