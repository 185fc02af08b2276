import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Git } from '@gin-deploy/git';

const HEADER = '# written by gin-deploy go-cross-build: its outputs must not mark builds vcs.modified';

/**
 * Makes `files` (absolute, inside `dir`) ignored by git through the clone's `info/exclude`, which is never
 * committed, before the first build. go build stamps `vcs.modified=true` when `git status --porcelain` lists
 * any untracked file, so without this the binary of the first target (or of an earlier run) would mark every
 * later build of the same commit as modified. Tracked files stay tracked: an exclude only hides untracked ones.
 * Returns the exclude file written, or undefined when `dir` is not in a git work tree.
 */
export async function ignoreInGit(dir: string, files: readonly string[]): Promise<string | undefined> {
  const git = new Git(dir);
  // One process for both answers, one per line.
  const [top, exclude] =
    (await git.tryRun(['rev-parse', '--show-toplevel', '--git-path', 'info/exclude']))?.split('\n') ?? [];
  if (!top || !exclude) return undefined;
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
  const file = path.resolve(dir, exclude);
  const existing = await readFile(file, 'utf8').catch(() => '');
  const lines = new Set(existing.split('\n'));
  const missing = [...new Set(patterns)].filter((pattern) => !lines.has(pattern));
  if (missing.length === 0) return file;
  const head = lines.has(HEADER) ? [] : [HEADER];
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${existing}${separator}${[...head, ...missing].join('\n')}\n`);
  return file;
}

/** gitignore(5): a backslash makes the next character literal, including a leading # or !. */
function escapePattern(relative: string): string {
  return relative.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ');
}
