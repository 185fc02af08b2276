import { warning } from '@gin-deploy/action';
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
  paths: readonly string[];
}

/**
 * The key changes with the OS, Go version, dependencies and target list; the restore keys fall back to the
 * same dependencies with other targets, then to any build with this Go, whose cache entries are still valid
 * (Go's cache is content-addressed, so a partial match only saves work, never changes a result).
 */
export function goCachePlan(parts: GoCacheKeyParts): GoCachePlan {
  const prefix = `gin-deploy-go-${parts.os}-${parts.arch}-${parts.goVersion}-`;
  const deps = parts.goSum === undefined ? 'nosum' : sha256(parts.goSum).slice(0, 16);
  const targets = sha256([...parts.targets].sort().join(',')).slice(0, 8);
  return {
    key: `${prefix}${deps}-${targets}`,
    restoreKeys: [`${prefix}${deps}-`, prefix],
    paths: [...parts.paths],
  };
}

export type CacheState = 'hit' | 'partial' | 'miss' | 'saved' | 'unchanged' | 'local' | 'failed';

export interface CacheOutcome {
  state: CacheState;
  key: string;
  /** The key a restore matched (the exact key on a hit, a restore key on a partial match). */
  matchedKey?: string;
  detail?: string;
}

// Loaded only when the cache is on: it is most of the bundle's start-up cost.
const loadCache = () => import('@actions/cache');

/**
 * Whether a restored key is the key asked for, compared as actions/cache's `isExactKeyMatch` does: case-
 * insensitively (cache services such as act's store keys lower-cased) but accent-sensitively.
 */
export function isExactKeyMatch(key: string, matchedKey: string | undefined): boolean {
  return (
    matchedKey !== undefined && matchedKey.localeCompare(key, undefined, { sensitivity: 'accent' }) === 0
  );
}

/** Restores through any cache service @actions/cache supports (GitHub's v1 and v2, GHES, act's); `local` when none. */
export async function restoreGoCache(plan: GoCachePlan): Promise<CacheOutcome> {
  // With neither service URL set no version of the service is there (isFeatureAvailable reads the same two
  // variables), which is known without loading the library.
  if (!process.env.ACTIONS_CACHE_URL && !process.env.ACTIONS_RESULTS_URL)
    return { state: 'local', key: plan.key };
  try {
    const cache = await loadCache();
    if (!cache.isFeatureAvailable()) return { state: 'local', key: plan.key };
    const { value: matchedKey, reason } = await withLibraryReason(() =>
      cache.restoreCache([...plan.paths], plan.key, plan.restoreKeys),
    );
    if (reason) return { state: 'failed', key: plan.key, detail: reason };
    if (matchedKey === undefined) return { state: 'miss', key: plan.key };
    return { state: isExactKeyMatch(plan.key, matchedKey) ? 'hit' : 'partial', key: plan.key, matchedKey };
  } catch (error) {
    warning(`Go build cache not restored: ${(error as Error).message}`);
    return { state: 'failed', key: plan.key, detail: (error as Error).message };
  }
}

/** Saves unless the exact key was restored (cache entries are immutable, so saving it again would fail). */
export async function saveGoCache(plan: GoCachePlan, restored: CacheOutcome): Promise<CacheOutcome> {
  if (restored.state === 'local') return restored;
  if (restored.state === 'hit') return { ...restored, state: 'unchanged' };
  try {
    const cache = await loadCache();
    const { value: id, reason } = await withLibraryReason(() => cache.saveCache([...plan.paths], plan.key));
    if (id === -1)
      return {
        state: 'failed',
        key: plan.key,
        detail: reason ?? 'the cache service did not accept the entry',
      };
    return { state: 'saved', key: plan.key, matchedKey: restored.matchedKey };
  } catch (error) {
    warning(`Go build cache not saved: ${(error as Error).message}`);
    return { state: 'failed', key: plan.key, detail: (error as Error).message };
  }
}

const LIBRARY_REASON = /((?:Failed to (?:save|restore)|Cache save skipped):.*)$/m;

/**
 * @actions/cache's restoreCache and saveCache catch their own failures (a tar error, a refused reservation,
 * a read-only token), log the reason as `Failed to save: …` / `Failed to restore: …` and return -1 or
 * undefined (actions/toolkit packages/cache/src/cache.ts). The reason is read back from that log line,
 * which still reaches the log as written.
 */
async function withLibraryReason<T>(call: () => Promise<T>): Promise<{ value: T; reason?: string }> {
  const write = process.stdout.write;
  let reason: string | undefined;
  process.stdout.write = function (this: typeof process.stdout, chunk: unknown, ...rest: unknown[]) {
    const match = LIBRARY_REASON.exec(String(chunk).trimEnd());
    if (match) reason = match[1].replace(/%0D/g, '').replace(/%0A/g, ' ').replace(/%25/g, '%');
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  try {
    return { value: await call(), reason };
  } finally {
    process.stdout.write = write;
  }
}
