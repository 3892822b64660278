/**
 * One node inside a simulation: its current state snapshot, its disk, its
 * pending timers and its incarnation. It is also the `ctx` handed to the
 * model's handlers; every effect is forwarded to the World (the simulation).
 */
import { freeze, isDraftable, type Immer } from 'immer';
import type { ErasedNodeBehaviour, InFlightOperation, NodeContext, TimerId } from './model.ts';
import type { DurableStorage } from '../storage/durable-store.ts';
import { DurableStore } from '../storage/durable-store.ts';
import { NO_DISK_FAULTS, type DiskFaultPort } from '../storage/disk-faults.ts';
import type { RandomStream } from '../random/stream.ts';
import type { JsonValue, NodeId } from '../trace/events.ts';
import type { NodeView } from '../check/property.ts';
import { ModelContractError } from '../sim/errors.ts';

/** A timer waiting in the event queue. */
export interface PendingTimer {
  readonly type: 1;
  readonly id: TimerId;
  readonly node: number;
  /** The node's incarnation when the timer was set; a crash makes it stale. */
  readonly incarnation: number;
  readonly payload: JsonValue;
  cancelled: boolean;
}

/** The simulation's side of a node's effects. */
export interface World {
  readonly nowUs: number;
  /** What `node`'s own clock reads now (true time unless clocks are on). */
  clockUs(node: number): number;
  send(from: number, to: NodeId, msg: JsonValue): void;
  broadcast(from: number, msg: JsonValue): void;
  setTimer(node: number, delayUs: number, payload: JsonValue): PendingTimer;
  cancelTimer(timer: PendingTimer): void;
  log(node: number, text: string, data: JsonValue | undefined): void;
  nodesOf(role: string): readonly NodeId[];
  bugEnabled(flag: string): boolean;
  /** Seals a value a node is writing to its disk (only from inside its own handler). */
  store(node: number, key: string, value: JsonValue): JsonValue;
  /** Throws (and fails the run) unless `node`'s own handler is running. */
  assertActive(node: number, call: string): void;
  /** `node`'s current client process id. */
  processOf(node: number): number;
  /** The operation `node`'s process has in flight, or null. */
  inFlightOf(node: number): InFlightOperation | null;
  /** Records an invocation by `node`'s process; returns the process id. */
  invoke(node: number, input: JsonValue): number;
  /** Records the completion of `node`'s operation in flight. `type` is checked there (models are not type-checked at run time). */
  complete(node: number, type: unknown, output: JsonValue | undefined): void;
}

type AnyContext = NodeContext<JsonValue, JsonValue>;
type AnyBehaviour = ErasedNodeBehaviour<JsonValue, JsonValue>;

/** A live node. Implements the handler context directly so no per-event object is built. */
export class NodeRuntime implements AnyContext, NodeView {
  /** Current state snapshot (undefined while down). */
  state: unknown = undefined;
  up = false;
  /** Bumped on every crash; timers of an older incarnation never fire. */
  incarnation = 0;
  readonly timers = new Map<TimerId, PendingTimer>();
  readonly disk: DurableStore;
  private peerList: readonly NodeId[] | null = null;

  constructor(
    readonly index: number,
    readonly id: NodeId,
    readonly role: string,
    /** Every node's id, shared by all nodes. */
    readonly nodes: readonly NodeId[],
    readonly random: RandomStream,
    readonly crashable: boolean,
    private readonly behaviour: AnyBehaviour,
    private readonly world: World,
    private readonly immer: Immer,
    private readonly checkMode: boolean,
    /** This node's disk faults (none by default). */
    diskFaults: DiskFaultPort = NO_DISK_FAULTS,
  ) {
    this.disk = new DurableStore(
      (key, value) => world.store(index, key, value),
      (call) => world.assertActive(index, call),
      diskFaults,
    );
  }

  get now(): number {
    return this.world.clockUs(this.index);
  }

  /** Built on first use: with 10,000 nodes, a peer list per node up front would cost 100 M entries. */
  get peers(): readonly NodeId[] {
    this.peerList ??= Object.freeze(this.nodes.filter((_, i) => i !== this.index));
    return this.peerList;
  }

  get storage(): DurableStorage {
    return this.disk;
  }

  nodesOf(role: string): readonly NodeId[] {
    return this.world.nodesOf(role);
  }

  send(to: NodeId, msg: JsonValue): void {
    this.world.send(this.index, to, msg);
  }

  broadcast(msg: JsonValue): void {
    this.world.broadcast(this.index, msg);
  }

  setTimer(delayUs: number, payload: JsonValue): TimerId {
    const timer = this.world.setTimer(this.index, delayUs, payload);
    this.timers.set(timer.id, timer);
    return timer.id;
  }

  cancelTimer(id: TimerId): void {
    const timer = this.timers.get(id);
    if (timer === undefined) return;
    this.timers.delete(id);
    this.world.cancelTimer(timer);
  }

  log(text: string, data?: JsonValue): void {
    this.world.log(this.index, String(text), data);
  }

  bug(flag: string): boolean {
    return this.world.bugEnabled(flag);
  }

  get process(): number {
    return this.world.processOf(this.index);
  }

  get inFlight(): InFlightOperation | null {
    return this.world.inFlightOf(this.index);
  }

  invoke(input: JsonValue): number {
    return this.world.invoke(this.index, input);
  }

  complete(type: 'ok' | 'fail' | 'info', output?: JsonValue): void {
    this.world.complete(this.index, type, output);
  }

  /** Runs `start` (at time 0 or after a restart). */
  start(): void {
    this.up = true;
    const state = settled(this.behaviour.start(this, this.disk), this.id, 'start');
    // In checking mode the snapshot is deep-frozen, so a model that keeps and mutates it throws.
    this.state = this.checkMode ? freeze(state, true) : state;
  }

  /**
   * Loses everything volatile. Returns [lost unsynced writes, lost timers, the
   * keys whose unsynced write a torn crash kept (null: not a torn crash)].
   */
  crash(): [number, number, readonly string[] | null] {
    this.up = false;
    this.state = undefined;
    this.incarnation++;
    const lostTimers = this.timers.size;
    for (const timer of this.timers.values()) timer.cancelled = true;
    this.timers.clear();
    return [this.disk.crash(), lostTimers, this.disk.lastCrashSurvivors];
  }

  handleMessage(from: NodeId, msg: JsonValue): void {
    const onMessage = this.behaviour.onMessage;
    if (onMessage === undefined) return;
    const base = this.state;
    // Primitive or null state needs no draft; calling straight through keeps stateless nodes cheap.
    if (!isDraftable(base)) return this.replace(settled(onMessage.call(this.behaviour, base as never, from, msg, this), this.id, 'onMessage'));
    this.state = this.immer.produce(base, (draft) => settled(onMessage.call(this.behaviour, draft as never, from, msg, this), this.id, 'onMessage') as void);
  }

  handleTimer(timer: PendingTimer): void {
    this.timers.delete(timer.id);
    const onTimer = this.behaviour.onTimer;
    if (onTimer === undefined) return;
    const base = this.state;
    if (!isDraftable(base)) return this.replace(settled(onTimer.call(this.behaviour, base as never, timer.payload, this), this.id, 'onTimer'));
    this.state = this.immer.produce(base, (draft) => settled(onTimer.call(this.behaviour, draft as never, timer.payload, this), this.id, 'onTimer') as void);
  }

  /** A handler of a node without a draftable state returned `next` (undefined: keep the state). */
  private replace(next: unknown): void {
    if (next !== undefined) this.state = this.checkMode ? freeze(next, true) : next;
  }
}

/** Refuses a Promise where a state was expected: an async handler would act after the event is over. */
function settled(value: unknown, node: NodeId, handler: string): unknown {
  if (typeof (value as { then?: unknown } | null)?.then === 'function') {
    throw new ModelContractError(`node ${node}: ${handler} returned a Promise; handlers must be synchronous (no async/await)`);
  }
  return value;
}
