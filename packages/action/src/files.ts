import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

let written = 0;

/**
 * A temporary name beside `file`: on the same file system, so the rename is atomic, and matching the
 * `<file>.tmp-*` patterns go-cross-build lists in git's info/exclude.
 */
function temporaryName(file: string): string {
  return `${file}.tmp-${process.pid}-${++written}`;
}

/**
 * Writes a file in one step: the data goes to a temporary file beside it, which is then renamed over it, so a
 * reader (a parallel job, the next step, a step killed half-way) sees the old file or the new one, never half
 * of one. The parent folder is made when missing; on failure the temporary file is removed.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** writeFileAtomic without blocking the event loop. */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  try {
    await writeFile(temporary, data);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
