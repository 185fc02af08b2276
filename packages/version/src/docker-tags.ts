import { checkTag, parseRepository } from '@gin-deploy/oci/reference';
import { formatSemVer, isPrerelease, type SemVer } from './semver.js';

export type LatestPolicy = 'auto' | 'true' | 'false';

export interface DockerTagContext {
  version: SemVer;
  /** The build is a tagged release (not a dev build). */
  isRelease: boolean;
  /** This release is the highest stable release of the repository (for `latest: auto`). */
  isHighestRelease: boolean;
  latest: LatestPolicy;
  short: string;
  branch?: string;
  pullRequest?: number;
  /** An image name to prefix each tag with, e.g. `ghcr.io/acme/api`. */
  image?: string;
}

/**
 * Image tags in the spirit of docker/metadata-action: the version; for a stable release also `X.Y` and `X`
 * (not `0`: a 0.x series promises no compatibility); `latest` for the highest release; the branch or
 * `pr-N`; and `sha-<short>` so every image can be traced to its commit.
 */
export function dockerTags(context: DockerTagContext): string[] {
  const { version } = context;
  const tags: string[] = [sanitizeTag(formatSemVer(version))];
  const stable = context.isRelease && !isPrerelease(version) && version.build.length === 0;
  if (stable) {
    tags.push(`${version.major}.${version.minor}`);
    if (version.major > 0) tags.push(String(version.major));
  }
  const latest =
    context.latest === 'true' || (context.latest === 'auto' && stable && context.isHighestRelease);
  if (latest) tags.push('latest');
  if (context.pullRequest !== undefined) tags.push(`pr-${context.pullRequest}`);
  else if (context.branch) tags.push(sanitizeTag(context.branch));
  tags.push(`sha-${context.short}`);
  const unique = [...new Set(tags)];
  return context.image ? unique.map((tag) => `${context.image}:${tag}`) : unique;
}

/**
 * A valid tag (the distribution reference grammar, `@gin-deploy/oci/reference`): characters a tag cannot hold
 * (`/` in branch names, `+` in build metadata) become `-`, a leading `.` or `-` is dropped, and the result is
 * checked against the grammar.
 */
export function sanitizeTag(text: string): string {
  const cleaned = text.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '');
  const tag = (cleaned === '' ? 'none' : cleaned).slice(0, 128).replace(/[.-]+$/, '') || 'none';
  checkTag(tag);
  return tag;
}

/**
 * An image name without tag or digest, lower-cased (`Acme/API` in a repository name is common), checked
 * against the distribution reference grammar; throws the grammar's ReferenceError saying which part is wrong.
 */
export function normalizeImage(image: string): string {
  const lower = image.toLowerCase().replace(/:$/, '');
  parseRepository(lower);
  return lower;
}
