/** `faultline models`: the bundled models, one line each, with their bug flags and nemeses. */
import type { Command } from 'commander';
import { bundledModelNames, loadModel } from './load-model.ts';

/** Lines listing every bundled model. */
export async function listModels(): Promise<string[]> {
  const names = bundledModelNames();
  const width = Math.max(...names.map((n) => n.length), 4);
  const lines: string[] = [];
  for (const name of names) {
    const { model } = await loadModel(name);
    lines.push(`${name.padEnd(width)}  ${model.description}`);
    for (const [flag, about] of Object.entries(model.bugs ?? {})) {
      lines.push(`${''.padEnd(width)}    --bug ${flag}: ${about}`);
    }
    for (const [name, nemesis] of Object.entries(model.nemeses ?? {})) {
      lines.push(`${''.padEnd(width)}    --nemesis ${name}: ${nemesis.description}`);
    }
  }
  return lines;
}

/** Registers `models` on the program. */
export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list the bundled models, their bug flags and nemeses')
    .action(async () => {
      process.stdout.write(`${(await listModels()).join('\n')}\n`);
    });
}
