/**
 * Writes a report file atomically (a temporary file renamed into place), so a
 * CI step that uploads it, or a merge that reads it, never sees half a file.
 */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../sim/errors.ts';

/** Writes `text` to `path` via `<path>.tmp`; an InputError naming `flag` and the path when it cannot. */
export function writeFileAtomic(path: string, text: string, flag: string): void {
  const tmp = `${path}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The error that brought us here is the one to report.
    }
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`${flag}: cannot write ${path} (${code})`);
  }
}

/**
 * Checks now that `path` can be written as writeFileAtomic will write it (its
 * folder made, `<path>.tmp` created and removed, `path` not a folder), so a
 * bad report path is bad input before a campaign runs rather than after it.
 */
export function checkWritable(path: string, flag: string): void {
  if (path === '') throw new InputError(`${flag}: the path is empty`);
  const tmp = `${path}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    writeFileSync(tmp, '');
    rmSync(tmp, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`${flag}: cannot write ${path} (${code})`);
  }
}
