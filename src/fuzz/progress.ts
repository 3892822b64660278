/**
 * Progress of a campaign: on a terminal a bar (cli-progress) with seeds/s,
 * failures so far and time left; elsewhere (CI logs, pipes) a plain line every
 * few seconds. Never both: the bar's redraws would litter a log.
 */
import { SingleBar } from 'cli-progress';
import type { CampaignProgress } from './campaign.ts';

/** Receives a campaign's progress. */
export interface ProgressView {
  update(progress: CampaignProgress): void;
  /** The last state: the bar is closed, the plain view prints a final line. */
  finish(progress: CampaignProgress): void;
}

/** How the campaign is bounded: by a seed count (known total) or by wall time. */
export interface ProgressBounds {
  durationMs: number | null;
}

/** Gap between two plain progress lines. */
export const PLAIN_INTERVAL_MS = 2_000;

/** Seconds as `1m05s` / `12s`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Seeds per second, and the time left (by seed count, or by the wall-time budget). */
export function progressFigures(p: CampaignProgress, bounds: ProgressBounds): { rate: number; leftSec: number | null } {
  const rate = p.elapsedMs > 0 ? (p.seedsDone * 1000) / p.elapsedMs : 0;
  let leftSec: number | null = null;
  if (bounds.durationMs !== null) leftSec = (bounds.durationMs - p.elapsedMs) / 1000;
  else if (p.seedsTotal !== null && rate > 0) leftSec = (p.seedsTotal - p.seedsDone) / rate;
  return { rate, leftSec };
}

/** One plain progress line. */
export function plainProgressLine(p: CampaignProgress, bounds: ProgressBounds): string {
  const { rate, leftSec } = progressFigures(p, bounds);
  const seeds = p.seedsTotal === null ? `${p.seedsDone} seeds` : `${p.seedsDone}/${p.seedsTotal} seeds`;
  const left = leftSec === null ? '' : `, ${formatSeconds(leftSec)} left`;
  return `fuzz: ${seeds}, ${rate.toFixed(1)} seeds/s, ${p.failures} failed${left}`;
}

/** Plain lines on `write`, at most one per `intervalMs` of campaign time, and one at the end. */
export function plainProgress(write: (line: string) => void, bounds: ProgressBounds, intervalMs = PLAIN_INTERVAL_MS): ProgressView {
  let lastMs = 0;
  return {
    update(p) {
      if (p.elapsedMs - lastMs < intervalMs) return;
      lastMs = p.elapsedMs;
      write(plainProgressLine(p, bounds));
    },
    finish(p) {
      write(plainProgressLine(p, bounds));
    },
  };
}

/** A bar on `stream` (a terminal). */
export function barProgress(stream: NodeJS.WriteStream, bounds: ProgressBounds, seedsTotal: number | null): ProgressView {
  const byTime = bounds.durationMs !== null || seedsTotal === null;
  const bar = new SingleBar({
    stream,
    format: `fuzz [{bar}] ${byTime ? '{seeds} seeds' : '{value}/{total} seeds'} | {rate} seeds/s | {failures} failed | {left} left`,
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  const total = byTime ? Math.ceil((bounds.durationMs ?? 0) / 1000) : (seedsTotal ?? 0);
  const payload = (p: CampaignProgress): Record<string, string | number> => {
    const { rate, leftSec } = progressFigures(p, bounds);
    return { seeds: p.seedsDone, rate: rate.toFixed(1), failures: p.failures, left: leftSec === null ? '?' : formatSeconds(leftSec) };
  };
  bar.start(total, 0, payload({ seedsDone: 0, seedsTotal, failures: 0, elapsedMs: 0 }));
  const value = (p: CampaignProgress): number => (byTime ? Math.min(total, Math.floor(p.elapsedMs / 1000)) : p.seedsDone);
  return {
    update(p) {
      bar.update(value(p), payload(p));
    },
    finish(p) {
      bar.update(value(p), payload(p));
      bar.stop();
    },
  };
}
