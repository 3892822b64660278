/**
 * A pool of worker threads that run seeds (piscina). A worker that dies —
 * process.exit, a fatal error — is replaced by the pool; the seed it was
 * running comes back as a crash of its own instead of a rejected promise, so
 * the campaign goes on.
 */
import { Piscina } from 'piscina';
import type { SeedOutcome, SeedTask, TaskReply } from './task.ts';

/** The worker entry point: a .js file that registers tsx, then loads the TypeScript body. */
const WORKER_URL = new URL('./worker.js', import.meta.url).href;

/** A seed's result: its outcome, or why its worker could not deliver one (`died`: the thread itself ended, rather than reporting an error). */
export type TaskResult = { ok: true; outcome: SeedOutcome } | { ok: false; died: boolean; message: string };

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
    const firstLine = (text: string): string => text.split('\n')[0] ?? text;
    try {
      const reply = (await this.pool.run(task)) as TaskReply;
      return 'outcome' in reply ? { ok: true, outcome: reply.outcome } : { ok: false, died: false, message: firstLine(reply.error) };
    } catch (error) {
      return { ok: false, died: true, message: firstLine(error instanceof Error ? error.message : String(error)) };
    }
  }

  /** Stops every thread (tasks still running are abandoned). */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}
