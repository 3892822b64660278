/**
 * A pool of worker threads that run seeds (piscina). A worker that dies —
 * process.exit, a fatal error — is replaced by the pool; the seed it was
 * running comes back as a crash of its own instead of a rejected promise, so
 * the campaign goes on.
 */
import { Piscina } from 'piscina';
import type { SeedOutcome, SeedTask } from './task.ts';

/** The worker entry point: a .js file that registers tsx, then loads the TypeScript body. */
const WORKER_URL = new URL('./worker.js', import.meta.url).href;

/** A seed's result: its outcome, or why its worker could not deliver one. */
export type TaskResult = { ok: true; outcome: SeedOutcome } | { ok: false; message: string };

/**
 * Sets TZ to UTC for the whole process, before any worker thread starts. The
 * guard does the same for a run, but in a worker thread process.env is a
 * private copy: assigning TZ there changes the copy and leaves the zone that
 * Date's local-time methods use untouched, so a run in a worker would see the
 * machine's zone while `run` and `replay` see UTC. The zone is process-wide,
 * so setting it here (in the thread that creates the pool) reaches every worker.
 */
function pinTimeZoneToUtc(): void {
  // Assigning TZ makes V8 reload time-zone data, so only when it changes.
  if (process.env['TZ'] !== 'UTC') process.env['TZ'] = 'UTC';
}

/** A fixed number of worker threads running seed tasks. */
export class SeedPool {
  private readonly pool: Piscina;

  constructor(readonly threads: number) {
    pinTimeZoneToUtc();
    // Fixed size: threads start once and keep their loaded models between seeds.
    this.pool = new Piscina({ filename: WORKER_URL, minThreads: threads, maxThreads: threads, maxQueue: 'auto' });
  }

  /** Runs one task; never rejects. */
  async run(task: SeedTask): Promise<TaskResult> {
    try {
      return { ok: true, outcome: (await this.pool.run(task)) as SeedOutcome };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return { ok: false, message: text.split('\n')[0] ?? text };
    }
  }

  /** Stops every thread (tasks still running are abandoned). */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}
