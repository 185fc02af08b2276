import { bumpFromCommits, type ConventionalCommit } from './conventional.js';
import { devVersion, withDirty } from './prerelease.js';
import {
  compareSemVer,
  increment,
  isPrerelease,
  semverTags,
  ZERO,
  type Bump,
  type SemVer,
  type VersionTag,
} from './semver.js';

export type BumpPolicy = 'auto' | Bump;

export interface TagLocation {
  /** The highest release tag on HEAD itself. */
  current?: VersionTag;
  /** The release before this build: the highest tag on an earlier commit (below `current` when there is one). */
  baseline?: VersionTag;
}

/** Where this build stands among the `<prefix><semver>` tags; two tags on one commit → the highest wins. */
export function locateTags(
  prefix: string,
  tagsAtHead: readonly string[],
  reachableTags: readonly string[],
): TagLocation {
  const current = semverTags(tagsAtHead, prefix)[0];
  // Other tags on HEAD are aliases of this build, not the release before it.
  const earlier = semverTags(
    reachableTags.filter((tag) => !tagsAtHead.includes(tag)),
    prefix,
  );
  const baseline = current
    ? earlier.find((tag) => compareSemVer(tag.version, current.version) < 0)
    : earlier[0];
  return { current, baseline };
}

export interface ResolveInput {
  location: TagLocation;
  /** Commits since the baseline, for the bump. */
  commits: readonly ConventionalCommit[];
  distance: number;
  bump: BumpPolicy;
  format: string;
  commit: string;
  short: string;
  branch?: string;
  timestamp: string;
  dirty: boolean;
}

export interface Resolution {
  version: SemVer;
  /** The release tag of this build (on HEAD), if it is one. */
  tag?: string;
  previousTag?: string;
  isRelease: boolean;
  /** The bump the policy and commits ask for; `none` means there is nothing to release. */
  bump: Bump;
  /** The release a `release: true` run would create, if any. */
  next?: SemVer;
}

/**
 * The version of this build: the tag's on a clean tagged commit, else a development pre-release of the next
 * release (see devVersion). A tagged commit with local changes is not that release, so it keeps the tag's
 * version marked `+dirty` and is not a release.
 */
export function resolveVersion(input: ResolveInput): Resolution {
  const { current, baseline } = input.location;
  const last = baseline?.version ?? ZERO;
  const wanted = input.bump === 'auto' ? bumpFromCommits(input.commits, last) : input.bump;
  if (current) {
    return {
      version: input.dirty ? withDirty(current.version) : current.version,
      tag: input.dirty ? undefined : current.tag,
      previousTag: baseline?.tag,
      isRelease: !input.dirty,
      bump: 'none',
    };
  }
  const next = wanted === 'none' ? undefined : increment(last, wanted);
  const version = devVersion(input.format, {
    last: baseline?.version,
    next: next ?? increment(last, 'patch'),
    distance: input.distance,
    commit: input.commit,
    short: input.short,
    branch: input.branch,
    timestamp: input.timestamp,
    dirty: input.dirty,
  });
  return { version, previousTag: baseline?.tag, isRelease: false, bump: wanted, next };
}

/** The resolution once `next` has been tagged. */
export function asRelease(resolution: Resolution, tag: string): Resolution {
  if (!resolution.next) throw new Error('there is no next version to release');
  return { ...resolution, version: resolution.next, tag, isRelease: true };
}

/** Whether a release is the highest stable one among all tags, i.e. the one `latest` should name. */
export function isHighestRelease(version: SemVer, prefix: string, allTags: readonly string[]): boolean {
  if (isPrerelease(version)) return false;
  const stable = semverTags(allTags, prefix).filter((tag) => !isPrerelease(tag.version));
  return stable.every((tag) => compareSemVer(tag.version, version) <= 0);
}
