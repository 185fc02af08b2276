import { compareSemVer, formatSemVer, isPrerelease, parseSemVer, type SemVer } from './semver.js';

export const DEFAULT_DEV_FORMAT = '{next}-dev.{distance}+{short}';

/** What a development (untagged) build's version is made from. */
export interface DevContext {
  /** The nearest release tag's version, if any. */
  last?: SemVer;
  /** The release this build leads to (the last one bumped). */
  next: SemVer;
  /** Commits since the last tag (or since the root). */
  distance: number;
  commit: string;
  short: string;
  branch?: string;
  /** Commit time as YYYYMMDDHHMMSS (UTC). */
  timestamp: string;
  dirty: boolean;
}

export class VersionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionFormatError';
  }
}

/**
 * Renders a development version from a template such as `{next}-dev.{distance}+{short}` and checks that it
 * is a pre-release that sorts after the last tag, so a dev build never looks newer than the next release or
 * older than the last one. After a pre-release tag (2.0.0-rc.1) the template's pre-release is appended to
 * the tag's (2.0.0-rc.1.dev.3), because `2.0.0-dev.3` would sort before `2.0.0-rc.1`.
 */
export function devVersion(format: string, context: DevContext): SemVer {
  const base = context.last && isPrerelease(context.last) ? { ...context.last, build: [] } : context.next;
  const values: Record<string, string> = {
    next: formatSemVer({ ...base, prerelease: [], build: [] }),
    major: String(base.major),
    minor: String(base.minor),
    patch: String(base.patch),
    distance: String(context.distance),
    commit: context.commit,
    short: context.short,
    branch: identifier(context.branch ?? 'detached'),
    timestamp: context.timestamp,
  };
  const rendered = format.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new VersionFormatError(
        `'${format}' uses an unknown placeholder ${whole}; valid: ${Object.keys(values)
          .map((key) => `{${key}}`)
          .join(', ')}`,
      );
    }
    return value;
  });
  const parsed = parseSemVer(rendered);
  if (!parsed) {
    throw new VersionFormatError(`'${format}' gives '${rendered}', which is not a semantic version`);
  }
  if (!isPrerelease(parsed)) {
    throw new VersionFormatError(
      `'${format}' gives '${rendered}', which is not a pre-release (X.Y.Z-something); an untagged build must sort before the release it leads to`,
    );
  }
  let version = parsed;
  if (context.last && isPrerelease(context.last) && sameCore(parsed, context.last)) {
    version = { ...parsed, prerelease: [...context.last.prerelease, ...parsed.prerelease] };
  }
  if (context.last && compareSemVer(version, context.last) <= 0) {
    throw new VersionFormatError(
      `'${format}' gives '${formatSemVer(version)}', which does not sort after the last release ${formatSemVer(context.last)}`,
    );
  }
  return context.dirty ? withDirty(version) : version;
}

/** Marks a build of uncommitted changes in the build metadata, which leaves precedence unchanged. */
export function withDirty(version: SemVer): SemVer {
  return { ...version, build: [...version.build, 'dirty'] };
}

function sameCore(a: SemVer, b: SemVer): boolean {
  return a.major === b.major && a.minor === b.minor && a.patch === b.patch;
}

/** A semver identifier: only [0-9A-Za-z-]. */
function identifier(text: string): string {
  const cleaned = text.replace(/[^0-9A-Za-z-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'none' : cleaned;
}
