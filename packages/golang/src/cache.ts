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

/** Whether the Actions cache service is reachable, by the variables the runner gives a step on GitHub. */
export function cacheServiceAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.ACTIONS_RUNTIME_TOKEN) return false;
  return Boolean(
    env.ACTIONS_CACHE_SERVICE_V2 ? env.ACTIONS_RESULTS_URL : env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL,
  );
}

export type CacheState = 'hit' | 'partial' | 'miss' | 'saved' | 'unchanged' | 'local' | 'failed';

export interface CacheOutcome {
  state: CacheState;
  key: string;
  /** The key a restore matched (the exact key on a hit, a restore key on a partial match). */
  matchedKey?: string;
  detail?: string;
}

// Loaded only on a runner with the cache service: it is most of the bundle's start-up cost.
const loadCache = () => import('@actions/cache');

export async function restoreGoCache(plan: GoCachePlan): Promise<CacheOutcome> {
  if (!cacheServiceAvailable()) return { state: 'local', key: plan.key };
  try {
    const cache = await loadCache();
    const matchedKey = await cache.restoreCache([...plan.paths], plan.key, plan.restoreKeys);
    if (matchedKey === undefined) return { state: 'miss', key: plan.key };
    return { state: matchedKey === plan.key ? 'hit' : 'partial', key: plan.key, matchedKey };
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
    // -1 when the service refused (another job is saving the key); the library has logged why.
    const id = await cache.saveCache([...plan.paths], plan.key);
    if (id === -1)
      return { state: 'failed', key: plan.key, detail: 'the cache service did not accept the entry' };
    return { state: 'saved', key: plan.key, matchedKey: restored.matchedKey };
  } catch (error) {
    warning(`Go build cache not saved: ${(error as Error).message}`);
    return { state: 'failed', key: plan.key, detail: (error as Error).message };
  }
}
