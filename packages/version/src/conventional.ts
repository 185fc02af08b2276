import type { Bump, SemVer } from './semver.js';

export interface Commit {
  sha: string;
  subject: string;
  body: string;
}

/** A commit read as a Conventional Commit (conventionalcommits.org 1.0.0); `type` is undefined when it is not one. */
export interface ConventionalCommit extends Commit {
  type?: string;
  scope?: string;
  description: string;
  breaking: boolean;
}

const HEADER = /^(?<type>[a-zA-Z]+)(?:\((?<scope>[^()]*)\))?(?<bang>!)?: (?<description>.+)$/;
// A footer token is case-sensitive except that BREAKING CHANGE must be upper case (spec item 16).
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE: /m;

export function parseCommit(commit: Commit): ConventionalCommit {
  const match = HEADER.exec(commit.subject.trim());
  if (!match?.groups) {
    return { ...commit, description: commit.subject.trim(), breaking: false };
  }
  const { type, scope, bang, description } = match.groups;
  return {
    ...commit,
    type: type.toLowerCase(),
    scope: scope?.trim() || undefined,
    description: description.trim(),
    breaking: bang === '!' || BREAKING_FOOTER.test(commit.body),
  };
}

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** What one commit asks for: `!`/BREAKING CHANGE → major, feat → minor, fix and perf → patch. */
export function commitBump(commit: ConventionalCommit): Bump {
  if (commit.breaking) return 'major';
  if (commit.type === 'feat') return 'minor';
  if (commit.type === 'fix' || commit.type === 'perf') return 'patch';
  return 'none';
}

/**
 * The bump the commits since `current` ask for. Before 1.0.0 a breaking change bumps the minor version, as
 * release-please's `bumpMinorPreMajor` does: 0.x is the unstable series, and 1.0.0 is a deliberate decision.
 */
export function bumpFromCommits(commits: readonly ConventionalCommit[], current: SemVer): Bump {
  let bump: Bump = 'none';
  for (const commit of commits) {
    const wanted = commitBump(commit);
    if (RANK[wanted] > RANK[bump]) bump = wanted;
  }
  if (bump === 'major' && current.major === 0) return 'minor';
  return bump;
}
