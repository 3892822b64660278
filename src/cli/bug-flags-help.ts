/**
 * The "Bug flags" section of `faultline run --help`: for `run <model> --help`
 * the flags and nemeses of that model, otherwise those of every bundled model. Models are
 * modules, so they are loaded before commander prints help, and only when
 * help was asked for: a normal run pays nothing.
 */
import { bundledModelNames, loadModel } from './load-model.ts';
import type { ModelDefinition } from '../node/model.ts';

/** Words that ask for help. */
const HELP_WORDS = new Set(['--help', '-h']);

/**
 * The bug-flag section for `argv` (as in process.argv) when it asks for help
 * on `command`; '' when it does not, or when no model can be loaded.
 */
export async function bugFlagsHelp(argv: readonly string[], command: string): Promise<string> {
  const words = argv.slice(2);
  const at = words.indexOf(command);
  if (at < 0 || !words.slice(at + 1).some((word) => HELP_WORDS.has(word))) return '';
  const ref = words.slice(at + 1).find((word) => !word.startsWith('-'));
  const named = ref === undefined ? null : await tryLoad(ref);
  if (named !== null) {
    const nemeses = nemesisLines(named, '  ');
    const nemesisSection = nemeses.length === 0 ? [] : [`Nemeses of ${ref} (--nemesis <name>):`, ...nemeses];
    return ['', `Bug flags of ${ref} (--bug <flag>):`, ...flagLines(named, '  '), ...nemesisSection].join('\n');
  }
  const lines = ['', 'Bug flags of the bundled models (faultline run <model> --bug <flag>), with their nemeses (--nemesis <name>):'];
  for (const name of bundledModelNames()) {
    const model = await tryLoad(name);
    if (model === null || Object.keys(model.bugs ?? {}).length === 0) continue;
    lines.push(`  ${name}`, ...flagLines(model, '    '), ...nemesisLines(model, '    ', '--nemesis '));
  }
  return lines.join('\n');
}

/** One line per nemesis of `model` (none when it declares none). */
function nemesisLines(model: ModelDefinition, indent: string, prefix = ''): string[] {
  const nemeses = Object.entries(model.nemeses ?? {});
  if (nemeses.length === 0) return [];
  const width = Math.max(...nemeses.map(([name]) => prefix.length + name.length));
  return nemeses.map(([name, nemesis]) => `${indent}${(prefix + name).padEnd(width)}  ${nemesis.description}`);
}

function flagLines(model: ModelDefinition, indent: string): string[] {
  const flags = Object.entries(model.bugs ?? {});
  if (flags.length === 0) return [`${indent}(none: this model declares no bug flags)`];
  const width = Math.max(...flags.map(([flag]) => flag.length));
  return flags.map(([flag, about]) => `${indent}${flag.padEnd(width)}  ${about}`);
}

/** The model `ref` names, or null: help must print even when a model is broken or the word is an option's value. */
async function tryLoad(ref: string): Promise<ModelDefinition | null> {
  try {
    return (await loadModel(ref)).model;
  } catch {
    return null;
  }
}
