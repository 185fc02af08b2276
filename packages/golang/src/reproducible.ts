import { utimes } from 'node:fs/promises';
import { sourceDateEpoch } from '@gin-deploy/action';
import { Git } from '@gin-deploy/git';

/** Where the time stamped on built files comes from. */
export interface SourceTime {
  /** Unix seconds. */
  seconds: number;
  from: 'SOURCE_DATE_EPOCH' | 'commit';
}

/**
 * The time to give built files: SOURCE_DATE_EPOCH when set (the reproducible-builds.org convention), else the
 * HEAD commit's committer time; undefined outside a git checkout. Throws RunnerContextError for a
 * SOURCE_DATE_EPOCH that is not whole seconds in range.
 */
export async function sourceTime(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SourceTime | undefined> {
  const given = sourceDateEpoch(env);
  if (given !== undefined) return { seconds: given, from: 'SOURCE_DATE_EPOCH' };
  const git = new Git(dir);
  if (!(await git.isRepository().catch(() => false)) || !(await git.head())) return undefined;
  return { seconds: await git.commitTime('HEAD'), from: 'commit' };
}

export function setFileTime(file: string, seconds: number): Promise<void> {
  return utimes(file, seconds, seconds);
}
