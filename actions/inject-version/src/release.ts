import { info, invalid, notice, UserError, warning } from '@gin-deploy/action';
import { ensureGitHubRelease, publishTag, TagConflictError, type Git } from '@gin-deploy/git';
import {
  asRelease,
  formatSemVer,
  isHighestRelease,
  isPrerelease,
  type Resolution,
} from '@gin-deploy/version';

export interface ReleaseContext {
  git: Git;
  remote: string;
  remoteUrl?: string;
  prefix: string;
  head: string;
  shallow: boolean;
  dirty: boolean;
  /** Why there is nothing to release, when the bump is none. */
  reason: string;
  notes: string;
  token?: string;
  /** `owner/name` on GitHub, for the release. */
  repository?: string;
  apiUrl: string;
  allTags: string[];
}

export interface ReleaseOutcome {
  resolution: Resolution;
  /** This run created the tag. */
  released: boolean;
  releaseUrl?: string;
}

/**
 * `release: true`: tags the next version (or keeps the tag HEAD already has), pushes it and, with a token,
 * makes the GitHub release. Every precondition is checked before the first write.
 */
export async function releaseCommit(
  resolution: Resolution,
  context: ReleaseContext,
): Promise<ReleaseOutcome> {
  const { git, remote, head } = context;
  if (!context.remoteUrl) {
    throw invalid('remote', remote, 'a remote of the repository to push the release tag to (git remote -v)');
  }
  const { repository } = context;
  if (context.token && !repository?.includes('/')) {
    throw new UserError('GITHUB_REPOSITORY is not set to owner/name; the GitHub release needs it');
  }
  if (!resolution.isRelease) {
    if (context.shallow) {
      throw new UserError(
        `input 'release': the repository is a shallow clone, so earlier tags may be missing and the next version could be wrong; check out with 'fetch-depth: 0'`,
      );
    }
    if (!resolution.next) {
      notice(`nothing to release: ${context.reason}`);
      return { resolution, released: false };
    }
    resolution = asRelease(resolution, `${context.prefix}${formatSemVer(resolution.next)}`);
  }
  const tag = resolution.tag as string;
  if (context.dirty) {
    warning('the working tree has uncommitted changes; the release tags the commit, not those changes');
  }
  const published = await publishTag(git, remote, tag, head, `Release ${tag}\n\n${context.notes}`).catch(
    (error: unknown) => {
      if (!(error instanceof TagConflictError)) throw error;
      throw new UserError(
        `input 'release': ${error.message}; expected the release tag free or on this commit (a tag is never moved)`,
      );
    },
  );
  info(
    `${tag}: ${published.created ? 'tagged' : 'already tagged'}, ${published.pushed ? 'pushed to' : 'already on'} ${remote}`,
  );
  if (!context.token || !repository) return { resolution, released: published.created };
  const result = await ensureGitHubRelease({
    repository,
    tag,
    name: tag,
    body: context.notes,
    prerelease: isPrerelease(resolution.version),
    makeLatest: isHighestRelease(resolution.version, context.prefix, [...context.allTags, tag]),
    token: context.token,
    apiUrl: context.apiUrl,
  });
  info(
    result.created ? `created the GitHub release ${result.url}` : `the GitHub release exists: ${result.url}`,
  );
  return { resolution, released: published.created, releaseUrl: result.url };
}
