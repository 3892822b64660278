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
import type { ErasedNemesis } from '../node/nemesis.ts';
import { Recorder } from '../trace/recorder.ts';
import type { TraceSink } from '../trace/sink.ts';
import { TRACE_FORMAT, TRACE_VERSION, type EndReason, type JsonValue, type NodeId } from '../trace/events.ts';
import { PropertyChecker } from '../check/property-checker.ts';
import { startRandomFaults } from '../faults/random-faults.ts';
import type { SimOptions, SimOptionsInput } from './options.ts';
import { resolvePlan, type FaultPlanRecord } from '../faults/plan.ts';
import { scheduleScenario } from '../faults/scenario-schedule.ts';
import { checkNemesisNames, scheduleNemesis } from '../faults/nemesis-schedule.ts';
import { DeterminismError, InputError, ModelContractError } from './errors.ts';
import { Topology } from './topology.ts';
import { Failures } from './failures.ts';
import { judgeRunEnd } from './run-end.ts';
import { ClientHistory } from './client-history.ts';
import type { CheckResult } from '../check/history-checker.ts';
import { ClusterControl, type Acting } from './cluster-control.ts';
import { Effects, type Clock, type ControlAction, type Delivery, type Pending } from './effects.ts';
import { installDeterminismGuard } from './guard.ts';
import { DiskFaults } from '../storage/disk-faults.ts';
import type { RunResult, RunStats } from './result.ts';
import { VERSION } from '../version.ts';
import { Traffic } from '../network/traffic.ts';
import { resolveClog, resolveSides, type ClogRequest } from './network-control.ts';
import { Pauses } from './pauses.ts';
import { ClockControl } from './clock-control.ts';
import { startNodeTimeFaults } from '../faults/random-node-faults.ts';

// Node states may hold Maps and Sets; immer drafts them only with this plugin.
enableMapSet();

/** Scripted control over a running simulation (tests, scenarios). */
export interface SimControl {
  readonly nowUs: number;
  crash(node: NodeId): void;
  restart(node: NodeId): void;
  /** Splits nodes into groups that cannot talk; unnamed nodes form one more group. */
  partition(groups: NodeId[][]): void;
  /** Cuts one node off from all others (both directions). */
  isolate(node: NodeId): void;
  /** Two sides that cannot talk except through the node(s) named on both, which reach both; unnamed nodes form one more group. */
  bridge(sideA: NodeId[], sideB: NodeId[]): void;
  /** Drops every message from a `from` node to a `to` node; `to` still reaches `from`. */
  partitionOneWay(from: NodeId[], to: NodeId[]): void;
  heal(): void;
  /**
   * Makes a node's disk full (`true`: every put throws DiskFullError) or gives
   * it room again (`false`), whether the node is up or down; the liveness
   * phase gives every full disk room again.
   */
  diskFull(node: NodeId, full: boolean): void;
  /** Holds a node's traffic (`direction` inbound, outbound or both, the default) or one directed link's, until unclogged. */
  clog(target: ClogRequest): void;
  /** Lifts a clog: what it held goes on now, in the order it was held. */
  unclog(target: ClogRequest): void;
  /** Pauses a node (stop-the-world) for `durationUs`; see src/sim/pauses.ts for what waits and how it resumes. */
  pause(node: NodeId, durationUs: number): void;
  /** Sets a node's clock to read true time + `skewUs` now (and its drift, when given); switches clocks on. */
  skew(node: NodeId, skewUs: number, driftPpm?: number): void;
  /** Steps a node's clock by `deltaUs` (negative: back); switches clocks on. */
  jump(node: NodeId, deltaUs: number): void;
}

/** A scripted step to re-apply at an exact place in the event order (replay). */
export interface ScriptedStep {
  /** The trace event number the step produced: it runs once event `eventNumber - 1` has been recorded. */
  eventNumber: number;
  timeUs: number;
  apply: (control: SimControl) => void;
}

/** How a run is wired up, apart from its options. */
export interface SimulationConfig {
  /** Where trace events go (none: only the rolling hash is kept). */
  sinks?: TraceSink[];
  /** How the model was named (bundled name or path); written to the header. Defaults to the model's name. */
  modelRef?: string;
  /** Scripted steps recorded in a trace, in event order (replay passes them; tests use `at()`). */
  script?: readonly ScriptedStep[];
  /** The fault plan record to write to the header and result (replay passes the recorded one; it draws nothing). */
  plan?: FaultPlanRecord | null;
}

/** A simulation of one model under one seed and option set. */
export class Simulation implements SimControl, Clock {
  readonly options: SimOptions;
  /** The profile's swarm choices and the scenario's size, or null when the run has neither. */
  readonly plan: FaultPlanRecord | null;
  readonly nodeIds: readonly NodeId[];
  private readonly topology: Topology;
  private readonly nodes: NodeRuntime[] = [];
  private readonly queue = new EventQueue<Pending>();
  private readonly network: Network;
  /** Sends and arrivals, with the network faults (capacity, clogs, corruption, the adversary) and the load. */
  private readonly traffic: Traffic;
  private readonly recorder: Recorder;
  private readonly properties: PropertyChecker;
  private readonly stats: RunStats = {
    sent: 0, delivered: 0, dropped: 0, duplicated: 0, timersFired: 0, crashes: 0, restarts: 0, partitions: 0,
    corruptReads: 0, diskFullPuts: 0, held: 0, corrupted: 0, forged: 0, replayed: 0, tampered: 0, pauses: 0, clockJumps: 0,
  };
  private now = 0;
  private steps = 0;
  /** Who is acting: names culprits in reports; only a node inside its own handler may use its ctx. */
  private readonly acting: Acting = { node: -1, inHandler: false };
  private readonly cluster: ClusterControl;
  /** True while an event is being dispatched (control called outside it is a test's direct call). */
  private dispatching = false;
  private readonly failures: Failures;
  private ended: { reason: EndReason; hash: string } | null = null;
  /** Index of the next scripted step of `config.script` to re-apply. */
  private nextScripted = 0;
  /** True once the liveness phase began: the random fault plan does nothing more. */
  private settled = false;
  private readonly history: ClientHistory;
  /** Each history checker's verdict (null until judged at the end). */
  private checks: CheckResult[];
  /** Every node's disk faults (torn crashes, corrupt reads, capacity, disks made full). */
  private readonly disks: DiskFaults;
  /** Stop-the-world pauses: who is paused, what waits, what runs after a resume. */
  private readonly pauses: Pauses;
  /** Each node's own clock (true time unless clocks are on). */
  private readonly clocks: ClockControl;

  constructor(
    readonly model: ModelDefinition,
    input: SimOptionsInput = {},
    private readonly config: SimulationConfig = {},
  ) {
    validateModel(model);
    const planned = resolvePlan(model.defaults, input);
    this.options = planned.options;
    this.plan = config.plan !== undefined ? config.plan : planned.plan;
    checkBugFlags(model, this.options.bugs);
    checkNemesisNames(model, this.options.nemeses ?? []);
    const topology = new Topology(model, this.options.nodes);
    this.topology = topology;
    const ids = topology.ids;
    this.nodeIds = ids;
    const seed = this.options.seed;
    this.network = new Network(this.options.network, new RandomStream(seed, StreamName.network), ids.length, (id) =>
      topology.require(id, 'network.links'),
    );
    this.recorder = new Recorder(ids, config.sinks ?? [], this.options.checkMode);
    this.traffic = new Traffic(this.options.network, seed, ids, this, this.queue, this.network, this.recorder, this.stats);
    this.failures = new Failures(this.recorder, ids, this);
    this.history = new ClientHistory(this.recorder, ids, this);
    this.checks = (model.checkers ?? []).map((checker) => ({ name: checker.name, verdict: null }));
    const effects = new Effects(this, topology, this.queue, this.traffic, this.recorder, new Set(this.options.bugs),
      (node) => this.nodes[node]?.incarnation ?? 0, this.acting, this.history);
    this.cluster = new ClusterControl(this.nodes, this.network, this.recorder, this.stats, this, this.acting, this.history);
    this.disks = new DiskFaults(this.options.disk, seed, ids, this.recorder, this.stats, this, this.acting);
    this.clocks = new ClockControl(ids.length, this.options.clocks, () => new RandomStream(seed, StreamName.clocks), this.recorder, this.stats, this);
    effects.clocks = this.clocks;
    const immer = new Immer({ autoFreeze: this.options.checkMode });
    ids.forEach((id, index) => {
      const role = topology.roleOf[index] as string;
      const def = model.roles[role] as RoleDefinition<JsonValue, JsonValue>;
      const random = new RandomStream(seed, StreamName.node(id));
      this.nodes.push(
        new NodeRuntime(index, id, role, ids, random, def.crashable !== false, def.node, effects, immer, this.options.checkMode,
          this.disks.port(index)),
      );
    });
    this.pauses = new Pauses(this.nodes, this, (atUs, run) => this.pushControl(atUs, -1, run), this.recorder, this.stats, (d) =>
      this.dropAtDelivery(d, 'node-down'),
    );
    this.cluster.afterCrash = (index) => this.pauses.crashed(index);
    const sim = this;
    const recorder = this.recorder;
    this.properties = new PropertyChecker(model.properties ?? [], {
      get nowUs() {
        return sim.now;
      },
      get eventNumber() {
        return recorder.count;
      },
      nodes: this.nodes,
      history: this.history.events,
      require: (id, where) => topology.require(id, where),
    });
    this.recorder.header({
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      faultline: VERSION,
      model: config.modelRef ?? model.name,
      modelName: model.name,
      seed,
      options: this.options,
      ...(this.plan === null ? {} : { plan: this.plan }),
    });
    // Each node's clock (skew, drift) is recorded before anything runs; only when clocks are on.
    if (this.clocks.on) this.pushControl(0, -1, () => this.clocks.recordAll());
    for (const node of this.nodes) this.pushControl(0, node.index, () => this.cluster.start(node.index, false, false));
    if (this.options.settleUs > 0) this.pushControl(this.options.timeUs - this.options.settleUs, -1, () => this.settle());
    startRandomFaults(this.options.faults, (kind) => new RandomStream(seed, `${StreamName.faults}:${kind}`), {
      get nowUs() {
        return sim.now;
      },
      nodeCount: ids.length,
      isUp: (node) => this.nodes[node]?.up === true,
      isCrashable: (node) => this.nodes[node]?.crashable === true,
      crash: (node) => this.cluster.crash(node, false),
      restart: (node) => this.cluster.start(node, true, false),
      partition: (groups, shape) => this.cluster.partition(groups, false, shape),
      heal: () => this.cluster.heal(false),
      clog: (node) => this.traffic.clog({ node, direction: 'both' }, true, false),
      unclog: (node) => this.traffic.clog({ node, direction: 'both' }, false, false),
      // Once the liveness phase began, the plan's pending steps do nothing (and draw nothing).
      schedule: (atUs, action) =>
        this.pushControl(atUs, -1, () => {
          if (!this.settled) action();
        }),
    });
    this.startRandomNodeTimeFaults();
    // Last, like sim.at() calls made right after construction: same-time ties keep that order.
    // A replay re-applies the recorded steps (config.script), which include a scenario from the model's defaults.
    if (planned.scenario !== null && this.config.script === undefined) scheduleScenario(this, planned.scenario);
    // Likewise a nemesis's steps: replay must not let it act again.
    if (this.config.script === undefined) this.startNemeses();
  }

  /** The nemeses the options switch on, in the order named; each stops when the liveness phase begins. */
  private startNemeses(): void {
    const sim = this;
    const host = {
      options: this.options,
      view: this.properties.view,
      get settled() {
        return sim.settled;
      },
      // The look now running was popped already; what a resume released counts too.
      get othersPending() {
        return sim.queue.size > 0 || sim.pauses.hasReady;
      },
      isUp: (node: NodeId) => this.isUp(node),
      fail: (error: unknown) => this.failures.crash(error, -1),
      at: (atUs: number, action: (control: SimControl) => void) => this.at(atUs, action),
    };
    for (const name of this.options.nemeses ?? []) scheduleNemesis(host, name, this.model.nemeses?.[name] as ErasedNemesis);
  }

  /** Random pauses (`faults:pause`) and clock jumps (`faults:clock-jump`), when switched on; they stop in the liveness phase. */
  private startRandomNodeTimeFaults(): void {
    const sim = this;
    const streamFor = (kind: string): RandomStream => new RandomStream(this.options.seed, `${StreamName.faults}:${kind}`);
    startNodeTimeFaults(this.options.faults.pause, this.options.clocks?.jumps ?? null, streamFor, {
      get nowUs() {
        return sim.now;
      },
      nodeCount: this.nodeIds.length,
      pauses: this.pauses,
      clocks: this.clocks,
      isUp: (node) => this.nodes[node]?.up === true,
      schedule: (atUs, action) =>
        this.pushControl(atUs, -1, () => {
          if (!this.settled) action();
        }),
    });
  }

  // ---- running ----------------------------------------------------------

  /** Schedules a scripted action at virtual time `atUs` (after anything already scheduled then). */
  at(atUs: number, action: (control: SimControl) => void): this {
    if (!Number.isSafeInteger(atUs) || atUs < 0) throw new InputError(`at(): time must be a non-negative integer of microseconds, got ${atUs}`);
    // Virtual time never runs backwards: an action scheduled from inside a run cannot land in the past.
    if (atUs < this.now) throw new InputError(`at(${atUs}): that is before the current virtual time ${this.now}`);
    this.queue.push(atUs, { type: 2, node: -1, run: () => action(this), scripted: true });
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
      outcome: this.failures.failure === null ? 'pass' : 'fail',
      failure: this.failures.failure,
      endReason: this.ended?.reason ?? 'stopped',
      events: this.recorder.count,
      steps: this.steps,
      endTimeUs: this.now,
      traceHash: this.ended?.hash ?? this.recorder.hash.hex(),
      stats: { ...this.stats },
      sometimes: this.properties.sometimesResults(),
      history: [...this.history.events],
      checks: this.checks.map((check) => ({ ...check })),
      ...(this.plan === null ? {} : { plan: this.plan }),
      load: this.traffic.loadByNode(this.nodeIds),
    };
  }

  private guard(): () => void {
    return installDeterminismGuard(
      () => (this.acting.node >= 0 ? `node ${this.nodeIds[this.acting.node]}` : 'a property or scripted action'),
      (error) => this.failures.noteViolation(error, this.acting.node),
    );
  }

  private stepOnce(): boolean {
    if (this.ended !== null) return false;
    // A failure can also arise between steps: a direct control call, or a ctx used after its handler returned.
    const misuse = this.failures.misuse;
    if (misuse !== null) this.failures.fail('model-crash', null, -1, misuse.message, null);
    if (this.failures.failure !== null) return this.end('failure', this.now);
    const queue = this.queue;
    for (;;) {
      // Checked on every turn: a cancelled timer skipped below may be what stood before a recorded step.
      if (this.config.script !== undefined && this.applyRecordedScript()) {
        return this.failures.failure === null || this.end('failure', this.now);
      }
      // What a resumed node held runs first, at the resume time (see src/sim/pauses.ts).
      const fromPause = this.pauses.hasReady;
      if (!fromPause && queue.size === 0) return this.finish('quiescent', this.now);
      if (this.steps >= this.options.maxEvents) return this.finish('event-budget', this.now);
      const timeUs = fromPause ? this.now : queue.peekTime();
      if (timeUs > this.options.timeUs) return this.finish('time-budget', this.options.timeUs);
      const item = (fromPause ? this.pauses.takeReady() : queue.pop()) as Pending;
      // Timers cancelled or orphaned by a crash leave the queue silently (their cancel or crash was traced).
      if (item.type === 1 && (item.cancelled || this.nodes[item.node]?.incarnation !== item.incarnation)) continue;
      const scripted = item.type === 2 && item.scripted;
      const [timeBefore, eventsBefore] = [this.now, this.recorder.count];
      this.now = timeUs;
      // A test's scripted step is not one of the system's events (and replay may split one into several).
      if (!scripted) this.steps++;
      this.dispatch(item, fromPause);
      // A scripted step that recorded nothing leaves no mark, not even on the clock: replay cannot see it.
      if (scripted && this.recorder.count === eventsBefore) this.now = timeBefore;
      if (this.failures.failure !== null) return this.end('failure', this.now);
      if (this.recorder.emitting && this.recorder.stopRequested) return this.end('stopped', this.now);
      return true;
    }
  }

  private dispatch(item: Pending, fromPause = false): void {
    this.dispatching = true;
    try {
      if (item.type === 0) this.deliver(item, fromPause);
      else if (item.type === 1) this.fireTimer(item);
      else this.runControl(item);
      this.acting.inHandler = false;
      this.acting.node = -1;
      if (this.failures.pending === null && this.properties.active) {
        const failed = this.properties.check();
        if (failed !== null) this.failures.property(failed);
      }
      // Checked after the properties too: a model or property that caught the guard's error still fails.
      const pending = this.failures.pending;
      if (pending !== null) throw pending;
    } catch (error) {
      // An error of a test's scripted step itself (a bad node id, a failed expect) belongs to the test, not the model.
      if (item.type === 2 && item.scripted && !this.acting.inHandler && !(error instanceof DeterminismError)) throw error;
      this.failures.crash(error, this.acting.node);
    } finally {
      this.acting.node = -1;
      this.acting.inHandler = false;
      this.dispatching = false;
    }
  }

  /** `fromPause`: a paused node held it in its inbox, so a partition begun since cannot take it back. */
  private deliver(d: Delivery, fromPause = false): void {
    // A clog holds it where it would arrive; a delivery a pause held had already arrived.
    if (!fromPause && this.traffic.holdIfClogged(d)) return;
    const node = this.nodes[d.to] as NodeRuntime;
    if (!node.up) return this.dropAtDelivery(d, 'node-down');
    if (!fromPause && !this.network.partitions.connected(d.from, d.to)) return this.dropAtDelivery(d, 'partition');
    if (this.pauses.pausedCount > 0 && this.pauses.isPaused(d.to)) return this.pauses.hold(d.to, d);
    this.stats.delivered++;
    const payload = this.traffic.arrive(d);
    this.recorder.deliver(this.now, d.from, d.to, d.id, payload);
    this.traffic.left(d, true);
    this.acting.node = d.to;
    this.acting.inHandler = true;
    node.handleMessage(this.nodeIds[d.from] as NodeId, payload);
  }

  private dropAtDelivery(d: Delivery, reason: 'node-down' | 'partition'): void {
    this.stats.dropped++;
    this.recorder.drop(this.now, d.from, d.to, d.id, reason, d.payload);
    this.traffic.left(d, false);
  }

  private fireTimer(timer: PendingTimer): void {
    if (this.pauses.pausedCount > 0 && this.pauses.isPaused(timer.node)) return this.pauses.hold(timer.node, timer);
    const node = this.nodes[timer.node] as NodeRuntime;
    this.stats.timersFired++;
    this.recorder.timerFire(this.now, timer.node, timer.id, timer.payload);
    this.acting.node = timer.node;
    this.acting.inHandler = true;
    node.handleTimer(timer);
  }

  private runControl(action: ControlAction): void {
    this.acting.node = action.node;
    action.run();
  }

  /**
   * The run reached a budget or went quiet: judges what only the end can tell
   * (history checkers, `eventually`, unseen `sometimes`) unless it failed
   * already, then ends it.
   * The end line keeps the budget as its reason even when a judgment fails.
   */
  private finish(reason: EndReason, endTimeUs: number): false {
    this.now = Math.max(this.now, endTimeUs);
    if (this.failures.failure === null) {
      const end = { reason, endTimeUs: this.now, events: this.recorder.count, settled: this.settled };
      const judges = { properties: this.properties, checkers: this.model.checkers ?? [], history: this.history.events };
      this.checks = judgeRunEnd(judges, this.failures, this.options, end);
      // A property that read real time (and caught the guard's error) still fails the run.
      const pending = this.failures.pending;
      if (pending !== null) this.failures.crash(pending, -1);
    }
    return this.end(reason, this.now);
  }

  /** The liveness phase begins: the random fault plan stops, partitions heal, crashed nodes restart, paused nodes resume. */
  private settle(): void {
    this.settled = true;
    this.cluster.settle(() => this.disks.settle());
    this.traffic.settle();
    this.pauses.resumeAll();
  }

  private end(reason: EndReason, endTimeUs: number): false {
    this.now = Math.max(this.now, endTimeUs);
    this.traffic.recordLoad();
    const hash = this.recorder.end(this.now, reason, this.steps);
    this.ended = { reason, hash };
    return false;
  }

  /**
   * Replay: re-applies the recorded scripted steps that come next in event
   * order, each at its recorded time, as the scripted step it was. Returns true
   * when it applied any (the caller then ends this step).
   */
  private applyRecordedScript(): boolean {
    const script = this.config.script ?? [];
    let applied = false;
    for (let next = script[this.nextScripted]; next !== undefined; next = script[this.nextScripted]) {
      if (next.eventNumber !== this.recorder.count + 1) break;
      // In the recorded run the step came after everything queued before its time; those that recorded
      // nothing (a fault tick that chose to do nothing) must run first here too, or they see the step's
      // effect and choose differently. (What a resume released is not waited for: a step recorded while
      // it was pending was a direct call between single steps.)
      if (this.queue.size > 0 && this.queue.peekTime() < next.timeUs) break;
      this.nextScripted++;
      this.now = Math.max(this.now, next.timeUs);
      this.dispatch({ type: 2, node: -1, run: () => next.apply(this), scripted: true });
      applied = true;
      if (this.failures.failure !== null) break;
    }
    return applied;
  }

  private pushControl(atUs: number, node: number, run: () => void): void {
    this.queue.push(atUs, { type: 2, node, run, scripted: false });
  }

  /** Virtual time now, microseconds. */
  get nowUs(): number {
    return this.now;
  }

  /** Effects report a ctx used outside its handler here; the run fails at the next event. */
  reportMisuse(error: ModelContractError): void {
    this.failures.misuse ??= error;
  }

  // ---- control: faults and scripted steps ---------------------------------

  crash(node: NodeId): void {
    this.control('crash', () => this.cluster.crash(this.topology.require(node, 'crash'), true));
  }

  restart(node: NodeId): void {
    this.control('restart', () => {
      const index = this.topology.require(node, 'restart');
      if (!(this.nodes[index] as NodeRuntime).up) this.cluster.start(index, true, true);
    });
  }

  partition(groups: NodeId[][]): void {
    this.control('partition', () =>
      this.cluster.partition(groups.map((group) => group.map((id) => this.topology.require(id, 'partition'))), true),
    );
  }

  heal(): void {
    this.control('heal', () => this.cluster.heal(true));
  }

  diskFull(node: NodeId, full: boolean): void {
    this.control('diskFull', () => {
      if (typeof full !== 'boolean') throw new InputError(`diskFull(${JSON.stringify(node)}, ...): the second argument must be true or false, got ${String(full)}`);
      this.disks.setFull(this.topology.require(node, 'diskFull'), full, true);
    });
  }

  isolate(node: NodeId): void {
    this.control('isolate', () => {
      const victim = this.topology.require(node, 'isolate');
      const others = this.nodes.filter((n) => n.index !== victim).map((n) => n.index);
      this.cluster.partition([[victim], others], true, 'isolate');
    });
  }

  bridge(sideA: NodeId[], sideB: NodeId[]): void {
    this.control('bridge', () => this.cluster.partition(resolveSides(this.topology, sideA, sideB, 'bridge', true), true, 'bridge'));
  }

  partitionOneWay(from: NodeId[], to: NodeId[]): void {
    this.control('partitionOneWay', () =>
      this.cluster.partition(resolveSides(this.topology, from, to, 'partitionOneWay', false), true, 'asymmetric'),
    );
  }

  clog(target: ClogRequest): void {
    this.control('clog', () => this.traffic.clog(resolveClog(this.topology, target, 'clog'), true, true));
  }

  unclog(target: ClogRequest): void {
    this.control('unclog', () => this.traffic.clog(resolveClog(this.topology, target, 'unclog'), false, true));

  }

  pause(node: NodeId, durationUs: number): void {
    this.control('pause', () => {
      const index = this.topology.require(node, 'pause');
      if (!Number.isSafeInteger(durationUs) || durationUs < 1) {
        throw new InputError(`pause(): durationUs must be a positive integer of microseconds, got ${durationUs}`);
      }
      this.pauses.pause(index, durationUs, true);
    });
  }

  skew(node: NodeId, skewUs: number, driftPpm?: number): void {
    this.control('skew', () => this.clocks.skew(this.topology.require(node, 'skew'), skewUs, driftPpm, true));
  }

  jump(node: NodeId, deltaUs: number): void {
    this.control('jump', () => this.clocks.jump(this.topology.require(node, 'jump'), deltaUs, true));
  }

  /**
   * A scripted step: from a `sim.at()` action, or called directly between
   * steps. Direct calls run under the guard, and what the model does in them
   * (a restart runs `start`) fails the run as it would in an event.
   */
  private control(name: string, step: () => void): void {
    if (this.ended !== null) throw new InputError(`${name}(): the run has ended`);
    if (!this.dispatching && this.steps === 0) {
      throw new InputError(`${name}() before the run has started; schedule it with sim.at(time, (c) => c.${name}(...))`);
    }
    if (this.acting.inHandler) {
      throw new InputError(`${name}() cannot be called from inside a node's handler; schedule it with sim.at(time, (c) => c.${name}(...))`);
    }
    if (this.dispatching) return step();
    const uninstall = this.guard();
    try {
      step();
      if (this.failures.violation !== null) throw this.failures.violation;
    } catch (error) {
      if (error instanceof InputError) throw error;
      this.failures.crash(error, this.acting.node);
    } finally {
      this.acting.node = -1;
      this.acting.inHandler = false;
      uninstall();
    }
  }

  /** A node's current state (undefined while down). For tests and tools. */
  stateOf<S = unknown>(node: NodeId): S | undefined {
    return (this.nodes[this.topology.require(node, 'stateOf')] as NodeRuntime).state as S | undefined;
  }

  /** Whether a node is up. */
  isUp(node: NodeId): boolean {
    return (this.nodes[this.topology.require(node, 'isUp')] as NodeRuntime).up;
  }

  /** Whether a node is paused (stop-the-world) now. */
  isPaused(node: NodeId): boolean {
    return this.pauses.isPaused(this.topology.require(node, 'isPaused'));
  }

  /** A node's clock now: its reading, its offset from true time and its drift (reading = true time when clocks are off). */
  clockOf(node: NodeId): { clockUs: number; skewUs: number; driftPpm: number } {
    return this.clocks.describe(this.topology.require(node, 'clockOf'));
  }

  /** A node's durable (synced) storage contents. */
  durableOf(node: NodeId): Record<string, JsonValue> {
    return (this.nodes[this.topology.require(node, 'durableOf')] as NodeRuntime).disk.snapshot();
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
