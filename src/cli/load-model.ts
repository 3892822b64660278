/**
 * Finds a model by the name a user gave: a bundled model (a folder under
 * models/ with a model.ts) or a path to the user's own module, which must
 * export a model (default export, or a named export `model`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError, ModelDefinitionError } from '../sim/errors.ts';
import { validateModel, type ModelDefinition } from '../node/model.ts';

/** The models/ folder of this package. */
export const BUNDLED_MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../models');

/** A loaded model and how it was referenced. */
export interface LoadedModel {
  model: ModelDefinition;
  /** The reference as given. */
  ref: string;
  /** Absolute path of the module for a user model; null for a bundled one. */
  path: string | null;
}

/** Names of the bundled models, sorted. */
export function bundledModelNames(): string[] {
  if (!existsSync(BUNDLED_MODELS_DIR)) return [];
  return readdirSync(BUNDLED_MODELS_DIR)
    .filter((name) => existsSync(join(BUNDLED_MODELS_DIR, name, 'model.ts')))
    .sort();
}

/**
 * Loads `ref` (bundled name or path relative to `cwd`; traces pass their own
 * folder, since they record user models relative to themselves). Throws
 * InputError when it is neither.
 */
export async function loadModel(ref: string, cwd: string = process.cwd()): Promise<LoadedModel> {
  const bundled = join(BUNDLED_MODELS_DIR, ref, 'model.ts');
  const isName = /^[a-z0-9][a-z0-9-]*$/i.test(ref);
  if (isName && existsSync(bundled)) return { model: await importModel(bundled, ref), ref, path: null };
  const path = resolve(cwd, ref);
  if (!existsSync(path) || statSync(path).isDirectory()) {
    const names = bundledModelNames().join(', ');
    throw new InputError(`unknown model "${ref}": not a bundled model (${names}) and not a model file`);
  }
  return { model: await importModel(path, ref), ref, path };
}

async function importModel(path: string, ref: string): Promise<ModelDefinition> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModelDefinitionError(`model "${ref}" could not be loaded: ${loadFailureReason(error)}`);
  }
  const candidate = module['default'] ?? module['model'];
  if (candidate === undefined) {
    throw new InputError(`${ref}: the module has no default export (export default defineModel({...}))`);
  }
  validateModel(candidate);
  return candidate;
}

/** Longest reason kept from a compile or import error. */
const MAX_REASON_CHARS = 300;

/**
 * The useful part of an import failure as one line: the whole message (esbuild
 * puts file:line:column and the error after a first "Transform failed" line),
 * colour codes removed, whitespace collapsed, clipped.
 */
export function loadFailureReason(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message;
  else {
    try {
      text = String(error);
    } catch {
      text = 'a value that cannot be printed';
    }
  }
  // Some loaders colour their messages; escape codes have no place in a one-line error.
  text = text.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '').replace(/\s+/g, ' ').trim();
  if (text === '') text = error instanceof Error ? error.name : 'no message';
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 3)}...` : text;
}
