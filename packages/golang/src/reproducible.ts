import { utimes } from 'node:fs/promises';
import { sourceDateEpoch } from '@gin-deploy/action';
import { Git } from '@gin-deploy/git/git';

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
  // One git process: outside a work tree or before the first commit it fails, and there is no commit time.
  const seconds = await new Git(dir).tryRun(['log', '-1', '--format=%ct', 'HEAD']).catch(() => undefined);
  return seconds ? { seconds: Number(seconds), from: 'commit' } : undefined;
}

export function setFileTime(file: string, seconds: number): Promise<void> {
  return utimes(file, seconds, seconds);
}
