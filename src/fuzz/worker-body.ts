/**
 * The work of one fuzz task, run inside a worker thread: the seed runs once
 * with no trace (the fast path: only the rolling hash is kept); a failing seed
 * runs again with its trace written, which is cheap next to the passing seeds
 * and doubles as a check that the seed is deterministic within the worker.
 */
import { loadModel } from '../cli/load-model.ts';
import { defaultTracePath, executeRun } from '../cli/run-command.ts';
import { runSimulation } from '../sim/simulation.ts';
import type { RunResult } from '../sim/result.ts';
import type { RunFailure, SeedOutcome, SeedTask, TaskReply } from './task.ts';

/** Runs one task; an error outside the model comes back as the reply's `error` (the model's own errors are its run's failure). */
export async function runSeedTask(task: SeedTask): Promise<TaskReply> {
  try {
    return { outcome: await runSeed(task) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs one seed of one model; a failing seed also gets its trace written under `task.traceDir`. */
async function runSeed(task: SeedTask): Promise<SeedOutcome> {
  const { model } = await loadModel(task.modelRef);
  const options = { ...task.options, seed: task.seed };
  const result = runSimulation(model, options, { modelRef: task.modelRef });
  const outcome: SeedOutcome = {
    seed: task.seed,
    modelName: model.name,
    traceHash: result.traceHash,
    endTimeUs: result.endTimeUs,
    steps: result.steps,
    failure: runFailure(result),
    tracePath: null,
    retracedHash: null,
    sometimesSeen: result.sometimes.filter((seen) => seen.firstSeenEvent !== null).map((seen) => seen.name),
  };
  if (result.failure === null || task.traceDir === null) return outcome;
  const tracePath = defaultTracePath(model.name, task.seed, options.bugs ?? [], task.traceDir);
  const traced = await executeRun({ modelRef: task.modelRef, options, tracePath, timelineEvents: 1 }, false);
  outcome.tracePath = tracePath;
  if (traced.result.traceHash !== result.traceHash) outcome.retracedHash = traced.result.traceHash;
  return outcome;
}

function runFailure(result: RunResult): RunFailure | null {
  if (result.failure === null) return null;
  const { stack: _stack, ...failure } = result.failure;
  return failure;
}
