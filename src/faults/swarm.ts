/**
 * Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012; FoundationDB's
 * "buggify"): instead of running every seed with every fault at a fixed rate,
 * each seed chooses which fault kinds of a profile are on and how hard. A run
 * with fewer kinds on explores deeper along the ones it has; across many seeds
 * every combination is tried.
 *
 * A kind is a `SwarmDimension`: how to draw its setting from a range, and the
 * options that switch it on at that setting or off. A profile (profiles.ts)
 * lists dimensions with a chance and a range each (`swarmEntry`). Each
 * dimension draws from its own stream `swarm:<kind>`, so adding a kind to a
 * profile never shifts what the seed chose for the others (except on the rare
 * seed whose every chance draw said off, where the fallback pick may differ).
 *
 * A kind may refine another (`refines`): it only changes how that kind
 * behaves (partition shapes widen the partitions, torn writes change what a
 * crash loses, clock jumps step the clocks the clock kind switched on), so it
 * is on only on seeds where that kind is on too.
 */
import { RandomStream } from '../random/stream.ts';
import type { SimOptionsInput } from '../sim/options.ts';
import type { JsonValue } from '../trace/events.ts';
import { mergeOptionLayers } from './option-layers.ts';

/**
 * One kind of fault the swarm can switch on, and how hard. `Setting` must be
 * plain JSON data (it is written to the trace header).
 */
export interface SwarmDimension<Range, Setting> {
  /** Its name in the swarm line and the trace header; its stream is `swarm:<kind>`. */
  readonly kind: string;
  /**
   * Draws how hard, inside a profile's `range`. Called for every seed, on or
   * off, so the draws a dimension makes never depend on its on/off draw.
   */
  draw(random: RandomStream, range: Range): Setting;
  /** The options that switch this kind on at `setting`. */
  on(setting: Setting): SimOptionsInput;
  /** The options that switch it off: what every profile sets when the swarm (or the profile) leaves it out. */
  readonly off: SimOptionsInput;
  /** A few words for the swarm line, e.g. `loss 0.07`. */
  describe(setting: Setting): string;
  /**
   * The kind this one refines: it is on only when that kind is on as well,
   * and its `on` options are merged over that kind's (so a profile lists it
   * after that kind). Never picked by the fallback.
   */
  readonly refines?: string;
}

/** A dimension inside a profile: its chance of being on and its range, with the types erased. Built by `swarmEntry`. */
export interface SwarmEntry {
  readonly kind: string;
  /** Probability in [0, 1] that a seed switches this kind on. */
  readonly chance: number;
  /** The kind it refines (see SwarmDimension.refines), or undefined. */
  readonly refines: string | undefined;
  draw(random: RandomStream): JsonValue;
  on(setting: JsonValue): SimOptionsInput;
  describe(setting: JsonValue): string;
}

/** A dimension with a profile's chance and range for it. */
export function swarmEntry<Range, Setting>(dimension: SwarmDimension<Range, Setting>, chance: number, range: Range): SwarmEntry {
  if (!(chance >= 0 && chance <= 1)) throw new RangeError(`swarmEntry(${dimension.kind}): chance ${chance} is not in [0, 1]`);
  return {
    kind: dimension.kind,
    chance,
    refines: dimension.refines,
    // Settings are plain data by the dimension's contract (option objects have no index signature, hence the cast).
    draw: (random) => dimension.draw(random, range) as unknown as JsonValue,
    // The setting came from this dimension's own draw (the record only round-trips it).
    on: (setting) => dimension.on(setting as unknown as Setting),
    describe: (setting) => dimension.describe(setting as unknown as Setting),
  };
}

/** What the swarm chose for one seed. */
export interface SwarmChoice {
  /** Options layer: every known kind off, then the chosen ones on. */
  layer: SimOptionsInput;
  /** Each kind of the profile, in profile order: its setting, or null when off. */
  settings: Record<string, JsonValue>;
  /** Kinds switched on, in profile order. */
  on: string[];
}

/** Name of the stream a dimension draws from. */
export const swarmStreamName = (kind: string): string => `swarm:${kind}`;
/** The stream that picks a kind to switch on when a seed's draws switched none on. */
export const SWARM_FALLBACK_STREAM = 'swarm';

/**
 * Draws the swarm's choices for `seed`. `offLayers` switch every known kind
 * off first (so a profile says only what it switches on). When the chance
 * draws switched no kind on (refinements aside), one that refines nothing is
 * picked from the stream `swarm`: a profile with kinds always runs with at
 * least one of them. A refinement whose kind ended up off is off too.
 */
export function drawSwarm(entries: readonly SwarmEntry[], seed: number, offLayers: readonly SimOptionsInput[]): SwarmChoice {
  const drawn = entries.map((entry) => {
    const random = new RandomStream(seed, swarmStreamName(entry.kind));
    const on = random.chance(entry.chance);
    return { entry, on, setting: entry.draw(random) };
  });
  const standalone = drawn.filter((d) => d.entry.refines === undefined);
  if (standalone.length > 0 && !standalone.some((d) => d.on)) {
    const pick = new RandomStream(seed, SWARM_FALLBACK_STREAM).int(standalone.length);
    (standalone[pick] as (typeof drawn)[number]).on = true;
  }
  // In profile order, so a refinement sees the final state of the kind it refines (listed before it).
  for (const d of drawn) {
    const base = d.entry.refines;
    if (base !== undefined && d.on) d.on = drawn.some((other) => other.entry.kind === base && other.on);
  }
  const settings: Record<string, JsonValue> = {};
  const layers = [...offLayers];
  for (const { entry, on, setting } of drawn) {
    settings[entry.kind] = on ? setting : null;
    if (on) layers.push(entry.on(setting));
  }
  return { layer: mergeOptionLayers(layers), settings, on: drawn.filter((d) => d.on).map((d) => d.entry.kind) };
}

/**
 * Throws (a programming error, at module load) unless every refinement in
 * `entries` comes after the kind it refines, and no kind is listed twice.
 */
export function checkProfileEntries(profile: string, entries: readonly SwarmEntry[]): void {
  entries.forEach((entry, index) => {
    const before = entries.slice(0, index).map((e) => e.kind);
    if (before.includes(entry.kind)) throw new Error(`profile ${profile}: kind ${entry.kind} is listed twice`);
    if (entry.refines !== undefined && !before.includes(entry.refines)) {
      throw new Error(`profile ${profile}: ${entry.kind} refines ${entry.refines}, which must be listed before it`);
    }
  });
}
