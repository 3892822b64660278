/**
 * How the swarm's dimensions draw a setting inside a profile's range: ranges
 * of probabilities, durations and counts, and the draws over them. Durations
 * and magnitudes are drawn log-uniformly (as likely between 10 and 100 ms as
 * between 100 ms and 1 s), so a wide range still gives mild and harsh seeds
 * alike; probabilities uniformly.
 */
import { formatDuration } from '../sim/duration.ts';
import type { RandomStream } from '../random/stream.ts';

/** A range of probabilities, both ends included. */
export interface ProbabilityRange {
  min: number;
  max: number;
}

/** A range of durations in microseconds, both ends included. */
export interface DurationRange {
  minUs: number;
  maxUs: number;
}

/** A range of whole numbers (a count, parts per million), both ends included. */
export interface CountRange {
  min: number;
  max: number;
}

/** A probability drawn uniformly, kept to three decimals so the swarm line and header stay readable. */
export function drawProbability(random: RandomStream, range: ProbabilityRange): number {
  return Math.round((range.min + random.next() * (range.max - range.min)) * 1000) / 1000;
}

/**
 * A duration drawn log-uniformly (as likely between 10 and 100 ms as between
 * 100 ms and 1 s), rounded to whole milliseconds when it is at least one.
 */
export function drawDurationUs(random: RandomStream, range: DurationRange): number {
  const low = Math.log(Math.max(1, range.minUs));
  const high = Math.log(Math.max(1, range.maxUs));
  const drawn = Math.exp(low + random.next() * (high - low));
  const rounded = drawn >= 1_000 ? Math.round(drawn / 1_000) * 1_000 : Math.round(drawn);
  return Math.min(range.maxUs, Math.max(range.minUs, rounded));
}

/** A whole number drawn log-uniformly in a range of positive numbers (a drift in ppm). */
export function drawLogInteger(random: RandomStream, range: CountRange): number {
  const low = Math.log(Math.max(1, range.min));
  const high = Math.log(Math.max(1, range.max));
  const drawn = Math.round(Math.exp(low + random.next() * (high - low)));
  return Math.min(range.max, Math.max(range.min, drawn));
}

/**
 * The shortest of a min..max pair whose maximum was drawn: a quarter of it, in
 * whole ms when it is at least one, and at least 1 µs (a pause of 0 is refused).
 */
export function quarterOf(maxUs: number): number {
  const quarter = maxUs / 4;
  return Math.max(1, quarter >= 1_000 ? Math.round(quarter / 1_000) * 1_000 : Math.round(quarter));
}

/** `5ms..20ms`, for the swarm line. */
export const span = (r: DurationRange): string => `${formatDuration(r.minUs)}..${formatDuration(r.maxUs)}`;
