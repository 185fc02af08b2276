import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';
import { optionalInput } from './inputs.js';
import { runnerTempDir, workspaceDir } from './runner-context.js';

/** A folder paths may lie in, with the name a workflow author knows it by. */
export interface PathRoot {
  label: string;
  dir: string;
}

/** A path that resolves (symbolic links followed) outside every allowed folder. */
export class PathOutsideError extends Error {
  constructor(
    readonly given: string,
    readonly resolved: string,
    readonly roots: readonly PathRoot[],
  ) {
    super(
      `'${given}' resolves to ${resolved}, outside ${roots.map((r) => `${r.label} ${r.dir}`).join(' and ')}`,
    );
    this.name = 'PathOutsideError';
  }
}

/** Where a step may write: the workspace and the runner's temp folder. */
export function writeRoots(env: NodeJS.ProcessEnv = process.env): PathRoot[] {
  return [
    { label: 'the workspace', dir: workspaceDir(env) },
    { label: 'the runner temp folder', dir: runnerTempDir(env) },
  ];
}

/** Where a step may read files named by its inputs: the workspace. */
export function readRoots(env: NodeJS.ProcessEnv = process.env): PathRoot[] {
  return [{ label: 'the workspace', dir: workspaceDir(env) }];
}

/**
 * `given` resolved against `base`, absolute. Symbolic links are followed as far as the path exists, so a link
 * inside a root that points out of it does not count as inside. Throws PathOutsideError when the result is in
 * none of `roots`.
 */
export function containedPath(given: string, base: string, roots: readonly PathRoot[]): string {
  const resolved = path.resolve(base, given);
  const real = realPrefix(resolved);
  const inside = roots.some((root) => {
    const relative = path.relative(realPrefix(path.resolve(root.dir)), real);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
  if (!inside) throw new PathOutsideError(given, resolved, roots);
  return resolved;
}

/** The real path of the longest existing prefix, with the part that does not exist yet appended. */
function realPrefix(file: string): string {
  let existing = file;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(realpathSync(existing), ...rest);
}

/** Turns a PathOutsideError into the input's one-line error; other errors pass through. */
export function pathInputError(name: string, error: unknown, expected: string): unknown {
  if (!(error instanceof PathOutsideError)) return error;
  return new UserError(`input '${name}': ${error.message}; expected ${expected}`);
}

/** `given`, the value of input `name`, as a path the step reads: relative to `base`, inside the workspace. */
export function readPathOf(name: string, given: string, base = workspaceDir()): string {
  try {
    return containedPath(given, base, readRoots());
  } catch (error) {
    throw pathInputError(name, error, 'a path inside the workspace');
  }
}

/** `given`, the value of input `name`, as a path the step writes: inside the workspace or runner temp. */
export function writePathOf(name: string, given: string, base = workspaceDir()): string {
  try {
    return containedPath(given, base, writeRoots());
  } catch (error) {
    throw pathInputError(name, error, 'a path inside the workspace or the runner temp folder');
  }
}

/** A path the step writes: relative to `base` (the workspace by default), inside the workspace or runner temp. */
export function writePathInput(name: string, fallback: string, base = workspaceDir()): string {
  return writePathOf(name, optionalInput(name) ?? fallback, base);
}

/** A path the step reads: relative to `base` (the workspace by default), inside the workspace. */
export function readPathInput(name: string, fallback: string, base = workspaceDir()): string {
  return readPathOf(name, optionalInput(name) ?? fallback, base);
}

/**
 * The value of input `name` given either inline or as the path of a file in the workspace: a one-line value
 * naming an existing file is read (`file` set, relative to the workspace), anything else is the text itself.
 */
export function fileOrInline(name: string, value: string): { text: string; file?: string } {
  const candidate = value.includes('\n') ? undefined : path.resolve(workspaceDir(), value.trim());
  if (!candidate || !existsSync(candidate) || !statSync(candidate).isFile()) return { text: value };
  return { text: readFileSync(readPathOf(name, value.trim()), 'utf8'), file: value.trim() };
}
