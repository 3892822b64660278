/**
 * One simulation run: builds the nodes of a model, then pops events from the
 * queue in (time, sequence) order and dispatches them: deliveries to message
 * handlers, timers to timer handlers, control actions (starts, faults, scripted
 * steps). Every decision is recorded through the Recorder.
 */
import { Immer, enableMapSet } from 'immer';
import { EventQueue } from '../scheduler/event-queue.ts';
import { RandomStream, StreamName } from '../random/stream.ts';
import { Network } from '../network/network.ts';
import { NodeRuntime, type PendingTimer } from '../node/runtime.ts';
import { validateModel, type ModelDefinition, type RoleDefinition } from '../node/model.ts';
import { Recorder } from '../trace/recorder.ts';
import type { TraceSink } from '../trace/sink.ts';
import { TRACE_FORMAT, TRACE_VERSION, type EndReason, type FailureKind, type JsonValue, type NodeId } from '../trace/events.ts';
import type { AlwaysProperty, SystemView } from '../check/property.ts';
import { startRandomFaults } from '../faults/random-faults.ts';
import { resolveOptions, type SimOptions, type SimOptionsInput } from './options.ts';
import { DeterminismError, InputError, ModelContractError } from './errors.ts';
import { Topology } from './topology.ts';
import { Effects, type Clock, type ControlAction, type Delivery, type Pending } from './effects.ts';
import { installDeterminismGuard } from './guard.ts';
import type { Failure, RunResult, RunStats } from './result.ts';
import { VERSION } from '../version.ts';

// Node states may hold Maps and Sets; immer drafts them only with this plugin.
enableMapSet();

/** Scripted control over a running simulation (tests, scenarios). */
export interface SimControl {
  readonly nowUs: number;
  crash(node: NodeId): void;
  restart(node: NodeId): void;
  /** Splits nodes into groups that cannot talk; unnamed nodes form one more group. */
  partition(groups: NodeId[][]): void;
  heal(): void;
}

/** How a run is wired up, apart from its options. */
export interface SimulationConfig {
  /** Where trace events go (none: only the rolling hash is kept). */
  sinks?: TraceSink[];
  /** How the model was named (bundled name or path); written to the header. Defaults to the model's name. */
  modelRef?: string;
}

/** A simulation of one model under one seed and option set. */
export class Simulation implements SimControl, Clock {
  readonly options: SimOptions;
  readonly nodeIds: readonly NodeId[];
  private readonly topology: Topology;
  private readonly nodes: NodeRuntime[] = [];
  private readonly queue = new EventQueue<Pending>();
  private readonly network: Network;
  private readonly recorder: Recorder;
  private readonly properties: AlwaysProperty[];
  private readonly view: SystemView;
  private readonly stats: RunStats = {
    sent: 0, delivered: 0, dropped: 0, duplicated: 0, timersFired: 0, crashes: 0, restarts: 0, partitions: 0,
  };
  private now = 0;
  private steps = 0;
  /** Node whose handler is running, or -1. */
  private current = -1;
  private failure: Failure | null = null;
  private pendingViolation: DeterminismError | null = null;
  private ended: { reason: EndReason; hash: string } | null = null;

  constructor(
    readonly model: ModelDefinition,
    input: SimOptionsInput = {},
    private readonly config: SimulationConfig = {},
  ) {
    validateModel(model);
    this.options = resolveOptions(model.defaults, input);
    checkBugFlags(model, this.options.bugs);
    const topology = new Topology(model);
    this.topology = topology;
    const ids = topology.ids;
    this.nodeIds = ids;
    const seed = this.options.seed;
    this.network = new Network(this.options.network, new RandomStream(seed, StreamName.network), ids.length, (id) =>
      topology.require(id, 'network.links'),
    );
    this.recorder = new Recorder(ids, config.sinks ?? []);
    const effects = new Effects(this, topology, this.queue, this.network, this.recorder, this.stats, new Set(this.options.bugs),
      (node) => this.nodes[node]?.incarnation ?? 0);
    const immer = new Immer({ autoFreeze: this.options.checkMode });
    ids.forEach((id, index) => {
      const role = topology.roleOf[index] as string;
      const def = model.roles[role] as RoleDefinition<JsonValue, JsonValue>;
      const random = new RandomStream(seed, StreamName.node(id));
      this.nodes.push(
        new NodeRuntime(index, id, role, ids, random, def.crashable !== false, def.node, effects, immer, this.options.checkMode),
      );
    });
    this.properties = (model.properties ?? []).filter((p): p is AlwaysProperty => p.kind === 'always');
    const nodes = this.nodes;
    const sim = this;
    this.view = {
      get nowUs() {
        return sim.now;
      },
      nodes,
      state: <S>(id: NodeId) => nodes[topology.require(id, 'view.state')]?.state as S | undefined,
    };
    this.recorder.header({
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      faultline: VERSION,
      model: config.modelRef ?? model.name,
      modelName: model.name,
      seed,
      options: this.options,
    });
    for (const node of this.nodes) this.pushControl(0, node.index, () => this.startNode(node.index, false));
    startRandomFaults(this.options.faults, (kind) => new RandomStream(seed, `${StreamName.faults}:${kind}`), {
      get nowUs() {
        return sim.now;
      },
      nodeCount: ids.length,
      isUp: (node) => this.nodes[node]?.up === true,
      isCrashable: (node) => this.nodes[node]?.crashable === true,
      crash: (node) => this.crashNode(node),
      restart: (node) => this.startNode(node, true),
      partition: (groups) => this.partitionNodes(groups),
      heal: () => this.healAll(),
      schedule: (atUs, action) => this.pushControl(atUs, -1, action),
    });
  }

  // ---- running ----------------------------------------------------------

  /** Schedules a scripted action at virtual time `atUs` (after anything already scheduled then). */
  at(atUs: number, action: (control: SimControl) => void): this {
    if (!Number.isSafeInteger(atUs) || atUs < 0) throw new InputError(`at(): time must be a non-negative integer of microseconds, got ${atUs}`);
    // Virtual time never runs backwards: an action scheduled from inside a run cannot land in the past.
    if (atUs < this.now) throw new InputError(`at(${atUs}): that is before the current virtual time ${this.now}`);
    this.pushControl(atUs, -1, () => action(this));
    return this;
  }

  /** Runs to the end (a budget, quiescence, or a failure) and returns the result. */
  run(): RunResult {
    const uninstall = this.guard();
    try {
      while (this.stepOnce());
    } finally {
      uninstall();
    }
    return this.result();
  }

  /** Runs one scheduler event. Returns false once the run has ended. */
  step(): boolean {
    const uninstall = this.guard();
    try {
      return this.stepOnce();
    } finally {
      uninstall();
    }
  }

  /** True once the run has ended. */
  get finished(): boolean {
    return this.ended !== null;
  }

  /** The result so far (final once `finished`). */
  result(): RunResult {
    return {
      model: this.config.modelRef ?? this.model.name,
      seed: this.options.seed,
      options: this.options,
      outcome: this.failure === null ? 'pass' : 'fail',
      failure: this.failure,
      endReason: this.ended?.reason ?? 'stopped',
      events: this.recorder.count,
      steps: this.steps,
      endTimeUs: this.now,
      traceHash: this.ended?.hash ?? this.recorder.hash.hex(),
      stats: { ...this.stats },
    };
  }

  private guard(): () => void {
    return installDeterminismGuard(
      () => (this.current >= 0 ? `node ${this.nodeIds[this.current]}` : 'a property or scripted action'),
      (error) => {
        this.pendingViolation ??= error;
      },
    );
  }

  private stepOnce(): boolean {
    if (this.ended !== null) return false;
    const queue = this.queue;
    for (;;) {
      if (queue.size === 0) return this.end('quiescent', this.now);
      if (this.steps >= this.options.maxEvents) return this.end('event-budget', this.now);
      const timeUs = queue.peekTime();
      if (timeUs > this.options.timeUs) return this.end('time-budget', this.options.timeUs);
      const item = queue.pop() as Pending;
      // Timers cancelled or orphaned by a crash leave the queue silently (their cancel or crash was traced).
      if (item.type === 1 && (item.cancelled || this.nodes[item.node]?.incarnation !== item.incarnation)) continue;
      this.now = timeUs;
      this.steps++;
      this.dispatch(item);
      if (this.failure !== null) return this.end('failure', this.now);
      if (this.recorder.emitting && this.recorder.stopRequested) return this.end('stopped', this.now);
      return true;
    }
  }

  private dispatch(item: Pending): void {
    try {
      if (item.type === 0) this.deliver(item);
      else if (item.type === 1) this.fireTimer(item);
      else this.runControl(item);
      if (this.pendingViolation !== null) throw this.pendingViolation;
      if (this.properties.length > 0) this.checkProperties();
    } catch (error) {
      this.recordCrash(error);
    } finally {
      this.current = -1;
    }
  }

  private deliver(d: Delivery): void {
    const node = this.nodes[d.to] as NodeRuntime;
    if (!node.up) return this.dropAtDelivery(d, 'node-down');
    if (!this.network.partitions.connected(d.from, d.to)) return this.dropAtDelivery(d, 'partition');
    this.stats.delivered++;
    this.recorder.deliver(this.now, d.from, d.to, d.id, d.payload);
    this.current = d.to;
    node.handleMessage(this.nodeIds[d.from] as NodeId, d.payload);
  }

  private dropAtDelivery(d: Delivery, reason: 'node-down' | 'partition'): void {
    this.stats.dropped++;
    this.recorder.drop(this.now, d.from, d.to, d.id, reason, d.payload);
  }

  private fireTimer(timer: PendingTimer): void {
    const node = this.nodes[timer.node] as NodeRuntime;
    this.stats.timersFired++;
    this.recorder.timerFire(this.now, timer.node, timer.id, timer.payload);
    this.current = timer.node;
    node.handleTimer(timer);
  }

  private runControl(action: ControlAction): void {
    this.current = action.node;
    action.run();
  }

  private checkProperties(): void {
    this.current = -1;
    for (const property of this.properties) {
      if (!property.holds(this.view)) {
        this.fail('safety', property.name, -1, `property "${property.name}" does not hold`, null);
        return;
      }
    }
  }

  private recordCrash(error: unknown): void {
    // Bad input from a scripted action (an unknown node id, say) is the test author's, not the model's.
    if (error instanceof InputError) throw error;
    const culprit = this.current;
    const violation = this.pendingViolation ?? (error instanceof DeterminismError ? error : null);
    if (violation !== null) {
      this.fail('nondeterminism', null, culprit, violation.message, null);
      return;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : `threw ${String(error)}`;
    const where = culprit >= 0 ? `node ${this.nodeIds[culprit]} threw ` : 'threw ';
    const contract = error instanceof ModelContractError;
    this.fail('model-crash', null, culprit, contract ? (error as Error).message : where + message,
      error instanceof Error && !contract ? (error.stack ?? null) : null);
  }

  private fail(kind: FailureKind, property: string | null, node: number, message: string, stack: string | null): void {
    if (this.failure !== null) return;
    this.recorder.failure(this.now, kind, property, node, message);
    this.failure = {
      kind, property, node: node >= 0 ? (this.nodeIds[node] as NodeId) : null, message,
      eventNumber: this.recorder.count, timeUs: this.now, stack,
    };
  }

  private end(reason: EndReason, endTimeUs: number): false {
    this.now = Math.max(this.now, endTimeUs);
    const hash = this.recorder.end(this.now, reason, this.steps);
    this.ended = { reason, hash };
    return false;
  }

  private pushControl(atUs: number, node: number, run: () => void): void {
    this.queue.push(atUs, { type: 2, node, run });
  }

  /** Virtual time now, microseconds. */
  get nowUs(): number {
    return this.now;
  }

  // ---- control: faults and scripted steps ---------------------------------

  crash(node: NodeId): void {
    this.crashNode(this.topology.require(node, 'crash'));
  }

  restart(node: NodeId): void {
    const index = this.topology.require(node, 'restart');
    if (!(this.nodes[index] as NodeRuntime).up) this.startNode(index, true);
  }

  partition(groups: NodeId[][]): void {
    this.partitionNodes(groups.map((group) => group.map((id) => this.topology.require(id, 'partition'))));
  }

  heal(): void {
    this.healAll();
  }

  /** A node's current state (undefined while down). For tests and tools. */
  stateOf<S = unknown>(node: NodeId): S | undefined {
    return (this.nodes[this.topology.require(node, 'stateOf')] as NodeRuntime).state as S | undefined;
  }

  /** Whether a node is up. */
  isUp(node: NodeId): boolean {
    return (this.nodes[this.topology.require(node, 'isUp')] as NodeRuntime).up;
  }

  /** A node's durable (synced) storage contents. */
  durableOf(node: NodeId): Record<string, JsonValue> {
    return (this.nodes[this.topology.require(node, 'durableOf')] as NodeRuntime).disk.snapshot();
  }

  private startNode(index: number, restart: boolean): void {
    const node = this.nodes[index] as NodeRuntime;
    if (restart) {
      this.stats.restarts++;
      this.recorder.restart(this.now, index);
    } else {
      this.recorder.start(this.now, index);
    }
    this.current = index;
    node.start();
  }

  private crashNode(index: number): void {
    const node = this.nodes[index] as NodeRuntime;
    if (!node.up) return;
    const [lostWrites, lostTimers] = node.crash();
    this.stats.crashes++;
    this.recorder.crash(this.now, index, lostWrites, lostTimers);
  }

  private partitionNodes(groups: number[][]): void {
    this.network.partitions.apply(groups);
    this.stats.partitions++;
    this.recorder.partition(this.now, groups);
  }

  private healAll(): void {
    this.network.partitions.heal();
    this.recorder.heal(this.now);
  }
}

/** Throws InputError for a bug flag the model does not declare. */
function checkBugFlags(model: ModelDefinition, bugs: readonly string[]): void {
  const known = Object.keys(model.bugs ?? {});
  for (const flag of bugs) {
    if (!known.includes(flag)) {
      const list = known.length === 0 ? 'it has none' : `known: ${known.join(', ')}`;
      throw new InputError(`unknown bug flag "${flag}" for model ${model.name} (${list})`);
    }
  }
}

/** Builds and runs a simulation in one call. */
export function runSimulation(model: ModelDefinition, options: SimOptionsInput = {}, config: SimulationConfig = {}): RunResult {
  return new Simulation(model, options, config).run();
}
