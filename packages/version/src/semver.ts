/** A semantic version (semver.org 2.0.0). Build metadata is kept but never affects precedence. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
  build: string[];
}

export type Bump = 'major' | 'minor' | 'patch' | 'none';

const NUMERIC = '0|[1-9]\\d*';
const PRE_ID = `(?:${NUMERIC}|\\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const SEMVER = new RegExp(
  `^(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})` +
    `(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?` +
    `(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$`,
);

export function parseSemVer(text: string): SemVer | undefined {
  const match = SEMVER.exec(text);
  if (!match) return undefined;
  const numbers = [match[1], match[2], match[3]].map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return undefined;
  return {
    major: numbers[0],
    minor: numbers[1],
    patch: numbers[2],
    prerelease: match[4] ? match[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [],
    build: match[5] ? match[5].split('.') : [],
  };
}

export function formatSemVer(version: SemVer): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  const pre = version.prerelease.length > 0 ? `-${version.prerelease.join('.')}` : '';
  const build = version.build.length > 0 ? `+${version.build.join('.')}` : '';
  return core + pre + build;
}

export function isPrerelease(version: SemVer): boolean {
  return version.prerelease.length > 0;
}

/** Precedence order (semver.org §11): negative when a sorts before b; build metadata is ignored. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] - b[key];
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Highest first. */
export function sortDescending<T extends { version: SemVer }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareSemVer(b.version, a.version));
}

/**
 * The next release after `version`, as npm's `semver.inc` does it: a pre-release of 1.2.0 becomes 1.2.0 on a
 * minor or patch bump (the release it was a candidate for) instead of skipping a version.
 */
export function increment(version: SemVer, bump: Bump): SemVer {
  const pre = isPrerelease(version);
  const next = {
    major: version.major,
    minor: version.minor,
    patch: version.patch,
    prerelease: [],
    build: [],
  };
  switch (bump) {
    case 'major':
      if (!(pre && version.minor === 0 && version.patch === 0)) next.major++;
      next.minor = 0;
      next.patch = 0;
      break;
    case 'minor':
      if (!(pre && version.patch === 0)) next.minor++;
      next.patch = 0;
      break;
    case 'patch':
      if (!pre) next.patch++;
      break;
    case 'none':
      break;
  }
  return next;
}

export const ZERO: SemVer = { major: 0, minor: 0, patch: 0, prerelease: [], build: [] };

export interface VersionTag {
  tag: string;
  version: SemVer;
}

/** The tags that are `<prefix><semver>`, highest first; anything else (other prefixes, `latest`, `v1`) is skipped. */
export function semverTags(tags: readonly string[], prefix: string): VersionTag[] {
  const found: VersionTag[] = [];
  for (const tag of tags) {
    if (!tag.startsWith(prefix)) continue;
    const version = parseSemVer(tag.slice(prefix.length));
    if (version) found.push({ tag, version });
  }
  return sortDescending(found);
}
