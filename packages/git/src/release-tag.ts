import type { Git } from './git.js';

/** The release tag exists already on another commit, here or on the remote; it is never moved. */
export class TagConflictError extends Error {
  constructor(
    readonly tag: string,
    /** `this repository` or the remote's name. */
    readonly where: string,
    readonly found: string,
    readonly wanted: string,
  ) {
    super(
      `tag ${tag} already exists in ${where} on ${found.slice(0, 7)}, not on this commit ${wanted.slice(0, 7)}; it is left as it is`,
    );
    this.name = 'TagConflictError';
  }
}

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
  if (local && local !== commit) throw new TagConflictError(tag, 'this repository', local, commit);
  if (!local) await git.createAnnotatedTag(tag, commit, message);
  try {
    const remoteCommit = await git.remoteTagCommit(remote, tag);
    if (remoteCommit === commit) return { created: !local, pushed: false };
    if (remoteCommit) throw new TagConflictError(tag, remote, remoteCommit, commit);
    await git.pushTag(remote, tag);
    return { created: !local, pushed: true };
  } catch (error) {
    if (!local) await git.deleteTag(tag).catch(() => undefined);
    throw error;
  }
}
