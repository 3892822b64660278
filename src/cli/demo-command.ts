/**
 * `faultline demo` (what `npm start` runs until the fuzzer exists): runs each
 * bundled model under faults, shows a bug flag being caught with its failure
 * report, and replays that failing trace to show it reproduces exactly.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { executeRun } from './run-command.ts';
import { executeReplay } from './replay-command.ts';
import { ms } from '../sim/duration.ts';

const DEMO_SEED = 7;

/** Runs the demo; returns its exit code (0 when every step behaved as expected). */
export async function runDemo(color: boolean, write: (text: string) => void): Promise<number> {
  const colors = pc.createColors(color);
  const heading = (text: string): void => write(`\n${colors.bold(text)}\n`);
  let surprises = 0;

  heading(`1. ping-pong over a lossy, duplicating, reordering network with crashes and partitions (seed ${DEMO_SEED})`);
  const ping = await executeRun(
    {
      modelRef: 'ping-pong',
      options: { seed: DEMO_SEED, faults: { crash: { meanIntervalUs: ms(500) }, partition: { meanIntervalUs: ms(300) } } },
    },
    color,
  );
  write(`${ping.report.join('\n')}\n`);
  if (ping.result.outcome !== 'pass') surprises++;

  heading(`2. replicated-counter: durable storage and crash recovery (seed ${DEMO_SEED})`);
  const counter = await executeRun({ modelRef: 'replicated-counter', options: { seed: DEMO_SEED } }, color);
  write(`${counter.report.join('\n')}\n`);
  if (counter.result.outcome !== 'pass') surprises++;

  heading(`3. the same model with bug flag ack-before-sync: a crash loses an acknowledged increment`);
  const buggy = await executeRun(
    { modelRef: 'replicated-counter', options: { seed: DEMO_SEED, bugs: ['ack-before-sync'] }, timelineEvents: 12 },
    color,
  );
  write(`${buggy.report.join('\n')}\n`);
  if (buggy.result.outcome !== 'fail') surprises++;

  if (buggy.tracePath !== null) {
    heading('4. replaying the failing trace, event by event');
    const replay = await executeReplay(buggy.tracePath, color);
    write(`${replay.lines[0] ?? ''}\n`);
    if (replay.exitCode !== 0) surprises++;
  }

  write(
    surprises === 0
      ? `\n${colors.green('Demo finished as expected.')} Try: npx faultline run replicated-counter --seed 1 --bug ack-before-sync\n`
      : `\n${colors.red(`Demo: ${surprises} step(s) did not behave as expected.`)}\n`,
  );
  return surprises === 0 ? 0 : 1;
}

/** Registers `demo` on the program. */
export function registerDemoCommand(program: Command, color: boolean, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('run the bundled models under faults, catch a bug flag, and replay its trace (what `npm start` runs)')
    .action(async () => {
      setExit(await runDemo(color, (text) => process.stdout.write(text)));
    });
}
