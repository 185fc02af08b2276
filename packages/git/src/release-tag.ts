import { UserError } from '@gin-deploy/action';
import type { Git } from './git.js';

export interface PublishedTag {
  /** The annotated tag was made by this call (it did not exist locally). */
  created: boolean;
  /** The tag was pushed by this call (the remote did not have it). */
  pushed: boolean;
}

/**
 * Makes `tag` an annotated tag on `commit`, locally and on `remote`, doing only what is missing so that a
 * re-run is a no-op. A tag on another commit is a conflict, never moved. A tag made here is deleted again
 * when the push fails, so a failed run leaves nothing behind.
 */
export async function publishTag(
  git: Git,
  remote: string,
  tag: string,
  commit: string,
  message: string,
): Promise<PublishedTag> {
  const local = await git.tagCommit(tag);
  if (local && local !== commit) throw conflict(tag, 'this repository', local, commit);
  if (!local) await git.createAnnotatedTag(tag, commit, message);
  try {
    const remoteCommit = await git.remoteTagCommit(remote, tag);
    if (remoteCommit === commit) return { created: !local, pushed: false };
    if (remoteCommit) throw conflict(tag, remote, remoteCommit, commit);
    await git.pushTag(remote, tag);
    return { created: !local, pushed: true };
  } catch (error) {
    if (!local) await git.deleteTag(tag).catch(() => undefined);
    throw error;
  }
}

function conflict(tag: string, where: string, found: string, wanted: string): UserError {
  return new UserError(
    `tag ${tag} already exists in ${where} on ${found.slice(0, 7)}, not on this commit ${wanted.slice(0, 7)}; it is left as it is`,
  );
}
