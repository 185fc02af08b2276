import { restoreActionsCache, saveActionsCache, type CacheOutcome } from '@gin-deploy/action';
import { sha256 } from './checksums.js';

/** What to cache (GOCACHE and GOMODCACHE) under which key, most specific first. */
export interface GoCachePlan {
  key: string;
  restoreKeys: string[];
  paths: string[];
}

export interface GoCacheKeyParts {
  /** RUNNER_OS, or the platform outside a runner. */
  os: string;
  arch: string;
  goVersion: string;
  /** go.sum's content; undefined for a module without dependencies. */
  goSum: string | undefined;
  targets: readonly string[];
  /** What decides the compiled packages besides the targets (compileSettings): other settings, other entries. */
  compile: string;
  paths: readonly string[];
}

/**
 * The key changes with the OS, Go version, dependencies, target list and compile settings; the restore keys
 * fall back to the same dependencies with other targets or settings, then to any build with this Go, whose cache
 * entries are still valid (Go's cache is content-addressed, so a partial match only saves work, never changes a
 * result). An exact hit is never saved again, so settings that change every compiled package (tags, -gcflags)
 * must change the key, or a cache holding other packages would be restored, and not replaced, on every run.
 */
export function goCachePlan(parts: GoCacheKeyParts): GoCachePlan {
  const prefix = `gin-deploy-go-${parts.os}-${parts.arch}-${parts.goVersion}-`;
  const deps = parts.goSum === undefined ? 'nosum' : sha256(parts.goSum).slice(0, 16);
  const build = sha256(`${[...parts.targets].sort().join(',')}\n${parts.compile}`).slice(0, 8);
  return {
    key: `${prefix}${deps}-${build}`,
    restoreKeys: [`${prefix}${deps}-`, prefix],
    paths: [...parts.paths],
  };
}

export type { CacheOutcome, CacheState } from '@gin-deploy/action';
export { isExactKeyMatch } from '@gin-deploy/action';

/** Restores through any cache service @actions/cache supports (GitHub's v1 and v2, GHES, act's); `local` when none. */
export function restoreGoCache(plan: GoCachePlan): Promise<CacheOutcome> {
  return restoreActionsCache(plan, 'Go build cache');
}

/** Saves unless the exact key was restored (cache entries are immutable, so saving it again would fail). */
export function saveGoCache(plan: GoCachePlan, restored: CacheOutcome): Promise<CacheOutcome> {
  return saveActionsCache(plan, restored, 'Go build cache');
}
