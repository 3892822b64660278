/**
 * Errors that carry their own exit code, so the CLI can turn any of them into a
 * one-line message and a distinct status without a stack trace.
 */

/** Exit codes shared by every command (see DESIGN.md, "Failure reports"). */
export const ExitCode = {
  pass: 0,
  propertyFailed: 1,
  badInput: 2,
  modelCrashOrNondeterminism: 3,
  /** `faultline check` only: the budget ran out before a verdict. */
  checkUnknown: 4,
} as const;

/** Base class: a message meant for a person, plus the exit code it maps to. */
export class FaultlineError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input from a person: a flag, an option, a trace file, a model path. Exit 2. */
export class InputError extends FaultlineError {
  constructor(message: string) {
    super(message, ExitCode.badInput);
  }
}

/** A model broke a rule of the simulator outside a handler (for example a bad model definition). Exit 3. */
export class ModelDefinitionError extends FaultlineError {
  constructor(message: string) {
    super(message, ExitCode.modelCrashOrNondeterminism);
  }
}

/** Thrown into model code that reads real time or real randomness during a run. */
export class DeterminismError extends FaultlineError {
  constructor(message: string) {
    super(message, ExitCode.modelCrashOrNondeterminism);
  }
}

/** Thrown into model code that breaks a simulator contract (non-JSON message, unknown peer, ...). */
export class ModelContractError extends FaultlineError {
  constructor(message: string) {
    super(message, ExitCode.modelCrashOrNondeterminism);
  }
}
