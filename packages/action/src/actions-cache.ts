import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CancelledError, throwIfCancelled } from './cancellation.js';
import { warning } from './log.js';

/** Folders kept in the Actions cache under a key, with restore keys tried after it, most specific first. */
export interface CacheEntry {
  key: string;
  restoreKeys: string[];
  paths: string[];
}

export type CacheState = 'hit' | 'partial' | 'miss' | 'saved' | 'unchanged' | 'local' | 'failed';

export interface CacheOutcome {
  state: CacheState;
  key: string;
  /** The key a restore matched (the exact key on a hit, a restore key on a partial match). */
  matchedKey?: string;
  detail?: string;
}

type ActionsCache = typeof import('@actions/cache');

// The bundle of @actions/cache that every action bundle shares (scripts/build.mjs writes it beside them): one
// 2.4 MB copy in dist/ instead of one per action that caches.
const SHARED_BUNDLE = ['..', 'actions-cache', 'index.js'];

/**
 * @actions/cache, loaded only when a cache is used (it is most of a bundle's start-up cost): from the shared
 * bundle when this code runs bundled, else (sources, tests) from node_modules. Neither import is bundled.
 */
export async function loadActionsCache(): Promise<ActionsCache> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const shared = path.join(here, ...SHARED_BUNDLE);
  const specifier = existsSync(shared) ? pathToFileURL(shared).href : '@actions/cache';
  return (await import(/* webpackIgnore: true */ specifier)) as ActionsCache;
}

/**
 * Whether a restored key is the key asked for, compared as actions/cache's `isExactKeyMatch` does: case-
 * insensitively (cache services such as act's store keys lower-cased) but accent-sensitively.
 */
export function isExactKeyMatch(key: string, matchedKey: string | undefined): boolean {
  return (
    matchedKey !== undefined && matchedKey.localeCompare(key, undefined, { sensitivity: 'accent' }) === 0
  );
}

/**
 * Restores through any cache service @actions/cache supports (GitHub's v1 and v2, GHES, act's); `local` when
 * none. `what` names the cache in a warning.
 */
export async function restoreActionsCache(entry: CacheEntry, what: string): Promise<CacheOutcome> {
  // Without a service URL there is nothing to ask, and the library is not even loaded.
  if (!process.env.ACTIONS_CACHE_URL && !process.env.ACTIONS_RESULTS_URL)
    return { state: 'local', key: entry.key };
  throwIfCancelled(`${what} was restored`);
  try {
    const cache = await loadActionsCache();
    if (!cache.isFeatureAvailable()) return { state: 'local', key: entry.key };
    const { value: matchedKey, reason } = await withLibraryReason(() =>
      cache.restoreCache([...entry.paths], entry.key, entry.restoreKeys),
    );
    // The library's requests cannot be aborted; its tar is stopped with the step's other programs.
    throwIfCancelled(`${what} was used`);
    if (reason) return { state: 'failed', key: entry.key, detail: reason };
    if (matchedKey === undefined) return { state: 'miss', key: entry.key };
    return {
      state: isExactKeyMatch(entry.key, matchedKey) ? 'hit' : 'partial',
      key: entry.key,
      matchedKey,
    };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    warning(`${what} not restored: ${(error as Error).message}`);
    return { state: 'failed', key: entry.key, detail: (error as Error).message };
  }
}

/** Saves unless the exact key was restored (cache entries are immutable, so saving it again would fail). */
export async function saveActionsCache(
  entry: CacheEntry,
  restored: CacheOutcome,
  what: string,
): Promise<CacheOutcome> {
  if (restored.state === 'local') return restored;
  if (restored.state === 'hit') return { ...restored, state: 'unchanged' };
  throwIfCancelled(`${what} was saved`);
  try {
    const cache = await loadActionsCache();
    const { value: id, reason } = await withLibraryReason(() => cache.saveCache([...entry.paths], entry.key));
    throwIfCancelled(`the step ended (${what} was being saved)`);
    if (id === -1)
      return {
        state: 'failed',
        key: entry.key,
        detail: reason ?? 'the cache service did not accept the entry',
      };
    return { state: 'saved', key: entry.key, matchedKey: restored.matchedKey };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    warning(`${what} not saved: ${(error as Error).message}`);
    return { state: 'failed', key: entry.key, detail: (error as Error).message };
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
