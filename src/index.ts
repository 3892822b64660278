/** Faultline's public API (re-exports only). */
export { Simulation, runSimulation, type SimControl, type SimulationConfig } from './sim/simulation.ts';
export type { RunResult, Failure, RunStats } from './sim/result.ts';
export {
  DEFAULT_OPTIONS,
  resolveOptions,
  type SimOptions,
  type SimOptionsInput,
  type NetworkOptions,
  type LatencyOptions,
  type LatencyDistribution,
  type LinkOverride,
  type FaultOptions,
  type SometimesScope,
  type PauseFaultOptions,
  type ClockOptions,
  type ClockOptionsInput,
  type ClockJumpOptions,
} from './sim/options.ts';
export { us, ms, sec, parseDuration, formatDuration, type Micros } from './sim/duration.ts';
export { resolvePlan, type FaultPlanRecord, type PlannedRun } from './faults/plan.ts';
export { PROFILE_SETTLE_FRACTION, profileNames } from './faults/profiles.ts';
export { scenario, ScenarioBuilder, type Scenario, type ScenarioStep } from './faults/scenario.ts';
export { parseScenarioText, readScenarioFile } from './faults/scenario-file.ts';
export { ExitCode, FaultlineError, InputError, DeterminismError, ModelContractError, ModelDefinitionError } from './sim/errors.ts';
export {
  defineModel,
  defineNode,
  type ModelDefinition,
  type NodeBehaviour,
  type NodeContext,
  type RoleDefinition,
  type TimerId,
  type InFlightOperation,
} from './node/model.ts';
export { defineNemesis, type Nemesis, type NemesisControl, type ErasedNemesis } from './node/nemesis.ts';
export type { DurableStorage } from './storage/durable-store.ts';
export { checksum } from './storage/checksum.ts';
export { DiskFullError } from './storage/disk-full-error.ts';
export type { DiskOptions, CrashLoss } from './storage/disk-options.ts';
export { RandomStream } from './random/stream.ts';
export {
  always,
  eventually,
  sometimes,
  type Property,
  type PropertyKind,
  type AlwaysProperty,
  type EventuallyProperty,
  type SometimesProperty,
  type SometimesResult,
  type SystemView,
  type NodeView,
} from './check/property.ts';
export { pairOperations, type HistoryEvent, type HistoryEventType, type Operation } from './check/history.ts';
export type { HistoryChecker, CheckVerdict, CheckResult } from './check/history-checker.ts';
export { linearizable, type LinearizableOptions } from './check/linearizable.ts';
export {
  checkLinearizability,
  DEFAULT_MAX_STATES,
  type CheckOptions,
  type LinearizabilityResult,
} from './check/linearizability/check.ts';
export type { Witness } from './check/linearizability/witness.ts';
export { ILLEGAL, type Illegal, type SequentialSpec } from './check/linearizability/spec.ts';
export { registerSpec, type RegisterInput, type RegisterOutput, type RegisterValue } from './check/linearizability/register.ts';
export { kvSpec, type KvInput, type KvKey, type KvOutput } from './check/linearizability/kv.ts';
export { parseHistory, readHistoryFile, HISTORY_FORMATS, type HistoryFormat, type HistoryModel } from './check/formats/index.ts';
export type { TraceEvent, TraceHeader, TraceEventKind, JsonValue, NodeId, DropReason, EndReason, FailureKind } from './trace/events.ts';
export type { DiskFault } from './trace/events.ts';
export type { ClogDirection, ClogSpec, HoldReason, JsonPath, NodeLoad } from './trace/events.ts';
export {
  PARTITION_SHAPES,
  type PartitionShape,
  type CapacityOptions,
  type OverflowPolicy,
  type AdversaryOptions,
  type ClogFaultOptions,
} from './sim/network-options.ts';
export type { ClogRequest } from './sim/network-control.ts';
export { MemorySink, RingSink, type TraceSink } from './trace/sink.ts';
export { VERSION } from './version.ts';
