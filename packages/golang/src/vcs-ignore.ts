import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
// The module, not the package index: the index also holds the GitHub release client (@actions/github), whose
// load would add to every step's start-up.
import { Git } from '@gin-deploy/git/git';

const HEADER = '# written by gin-deploy go-cross-build: its outputs must not mark builds vcs.modified';

/** Where git keeps a work tree's untracked-file excludes. */
export interface GitExclude {
  /** The work tree's top, as git prints it. */
  top: string;
  /** The `info/exclude` file, absolute. */
  file: string;
}

/**
 * Asks git, from `dir` or its nearest existing parent (the output directory may not exist yet, so the question
 * can be asked before it is created), for the work tree's top and its exclude file; undefined outside a work
 * tree. One process for both answers, one per line.
 */
export async function findGitExclude(dir: string): Promise<GitExclude | undefined> {
  let from = path.resolve(dir);
  while (!existsSync(from) && path.dirname(from) !== from) from = path.dirname(from);
  const [top, exclude] =
    (await new Git(from).tryRun(['rev-parse', '--show-toplevel', '--git-path', 'info/exclude']))?.split(
      '\n',
    ) ?? [];
  if (!top || !exclude) return undefined;
  return { top, file: path.resolve(from, exclude) };
}

/**
 * Makes `files` (absolute, inside `dir`) ignored by git through the clone's `info/exclude`, which is never
 * committed, before the first build. go build stamps `vcs.modified=true` when `git status --porcelain` lists
 * any untracked file, so without this the binary of the first target (or of an earlier run) would mark every
 * later build of the same commit as modified. Tracked files stay tracked: an exclude only hides untracked ones.
 * `where` is findGitExclude's answer when it was asked earlier. Returns the exclude file written, or undefined
 * when `dir` is not in a git work tree.
 */
export async function ignoreInGit(
  dir: string,
  files: readonly string[],
  where: Promise<GitExclude | undefined> = findGitExclude(dir),
): Promise<string | undefined> {
  const found = await where;
  if (!found) return undefined;
  const { top, file: excludeFile } = found;
  const realTop = await realpath(top);
  const realDir = await realpath(dir);
  const patterns = files
    .map((file) => path.relative(realTop, path.join(realDir, path.relative(dir, file))))
    .filter((relative) => relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative))
    .flatMap((relative) => {
      const anchored = `/${escapePattern(relative.split(path.sep).join('/'))}`;
      // The archives and the checksums file are written beside themselves first, then renamed over.
      return [anchored, `${anchored}.tmp-*`];
    });
  if (patterns.length === 0) return undefined;
  const existing = await readFile(excludeFile, 'utf8').catch(() => '');
  const lines = new Set(existing.split('\n'));
  const missing = [...new Set(patterns)].filter((pattern) => !lines.has(pattern));
  if (missing.length === 0) return excludeFile;
  const head = lines.has(HEADER) ? [] : [HEADER];
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await mkdir(path.dirname(excludeFile), { recursive: true });
  await writeFile(excludeFile, `${existing}${separator}${[...head, ...missing].join('\n')}\n`);
  return excludeFile;
}

/** gitignore(5): a backslash makes the next character literal, including a leading # or !. */
function escapePattern(relative: string): string {
  return relative.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ');
}
