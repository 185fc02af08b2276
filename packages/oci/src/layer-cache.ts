import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { writeFileAtomicAsync } from '@gin-deploy/action/files';
import path from 'node:path';
import type { CacheEntry } from '@gin-deploy/action';
import { toolCacheDir } from '@gin-deploy/action/runner-context';
import { buildLayer, compressionSettings, type Compression, type LayerFacts } from './layer.js';
import type { TarEntry } from './tar.js';

// Part of every key: bump it when tar.ts or layer.ts write other bytes for the same entries and settings.
const LAYOUT_VERSION = 1;

/** A layer of an image being assembled; without data when the target repository already holds its blob. */
export interface ImageLayer extends LayerFacts {
  data?: Buffer;
}

export type LayerMaker = (entries: readonly TarEntry[], mtimeSeconds: number) => Promise<ImageLayer>;

/** What a LayerMaker did, for the summary. Times in ms, sizes in bytes (compressed layers only). */
export interface LayerStats {
  compression: Compression;
  /** Layers compressed in this run. */
  compressed: number;
  /** Layers taken from the cache because the registry had their blob: neither compressed nor uploaded. */
  reused: number;
  /** Cache entries whose blob the registry lacked: compressed again. */
  missing: number;
  /** Wall time from the first compression's start to the last one's end; 0 when nothing was compressed. */
  compressMs: number;
  uncompressedBytes: number;
  compressedBytes: number;
}

/** The runner's tool cache (kept between jobs on self-hosted runners), else the user's cache folder. */
export function layerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return toolCacheDir('layers', env);
}

/**
 * Where the entries of one run are gathered to ride the Actions cache: a folder of the workspace, given
 * relative, because @actions/cache versions an entry by its path patterns as written and resolves relative
 * ones against the workspace. An absolute path under RUNNER_TEMP or the tool cache differs between runs
 * where those folders do (act makes new ones for every run), and an entry saved from one is never restored.
 * The folder is removed once its entries are imported or saved.
 */
export const CARRIED_LAYERS_DIR = '.gin-deploy-layers-carried';

/**
 * The cache key (hex sha256) of a layer: every entry's path, type, mode, owner, link and content hash, the
 * mtime, the compression settings and the tar layout version — everything that decides the compressed bytes.
 */
export function layerKey(
  entries: readonly TarEntry[],
  mtimeSeconds: number,
  compression: Compression,
): string {
  const described = [...entries]
    .map((entry) => [
      entry.path.replace(/^\/+|\/+$/g, ''),
      entry.type,
      entry.mode,
      entry.uid ?? 0,
      entry.gid ?? 0,
      entry.linkname ?? '',
      entry.type !== 'file'
        ? ''
        : (entry.sha256 ??
          createHash('sha256')
            .update(entry.data ?? Buffer.alloc(0))
            .digest('hex')),
    ])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const settings = compressionSettings(compression);
  return createHash('sha256')
    .update(JSON.stringify([LAYOUT_VERSION, settings, mtimeSeconds, described]))
    .digest('hex');
}

/** Layer facts by key, one small JSON file each. A cache that cannot be read or written is treated as empty. */
export class LayerCache {
  constructor(readonly dir: string) {}

  async get(key: string): Promise<LayerFacts | undefined> {
    try {
      const facts = JSON.parse(await readFile(this.file(key), 'utf8')) as LayerFacts;
      const { descriptor, diffId, uncompressedSize } = facts;
      const digest = /^sha256:[a-f0-9]{64}$/;
      if (!digest.test(descriptor?.digest) || !digest.test(diffId)) return undefined;
      if (!Number.isSafeInteger(descriptor.size) || !Number.isSafeInteger(uncompressedSize)) return undefined;
      return facts;
    } catch {
      return undefined;
    }
  }

  async put(key: string, facts: LayerFacts): Promise<void> {
    const { mediaType, digest, size } = facts.descriptor;
    const data = JSON.stringify({
      descriptor: { mediaType, digest, size },
      diffId: facts.diffId,
      uncompressedSize: facts.uncompressedSize,
    });
    try {
      // Written beside, then renamed: a parallel job never reads half an entry.
      await writeFileAtomicAsync(this.file(key), data);
    } catch {
      // A read-only or full cache only costs the next run a compression.
    }
  }

  /** Copies the entries of `keys` (those there are) into a fresh folder `dir`, e.g. to carry them elsewhere. */
  async exportTo(dir: string, keys: readonly string[]): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await Promise.all(
      keys.map((key) => copyFile(this.file(key), path.join(dir, `${key}.json`)).catch(() => undefined)),
    );
  }

  /** Adds the entries of a folder written by exportTo; a missing folder adds nothing. */
  async importFrom(dir: string): Promise<number> {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) =>
      /^[a-f0-9]{64}\.json$/.test(name),
    );
    await mkdir(this.dir, { recursive: true });
    await Promise.all(names.map((name) => copyFile(path.join(dir, name), path.join(this.dir, name))));
    return names.length;
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}

export interface CarriedLayersKeyParts {
  /** RUNNER_OS. */
  os: string;
  compression: Compression;
  /** Hex sha256 of every binary packed. */
  binaries: readonly string[];
  /** Everything else that decides the layers: paths, times, base, tzdata. */
  layout: unknown;
  /** The folder carried (exportTo/importFrom): part of the cache version, so the same at restore and save. */
  dir: string;
}

/**
 * The Actions cache entry that carries a run's layer cache entries to the next run: keyed by what decides the
 * layers, restoring the newest entry of this OS and compression otherwise (the scratch rootfs layer is the same
 * across binaries). Each saved entry holds only its run's few small files.
 */
export function carriedLayersEntry(parts: CarriedLayersKeyParts): CacheEntry {
  const prefix = `gin-deploy-layers-v${LAYOUT_VERSION}-${parts.os}-${parts.compression}-`;
  const facts = createHash('sha256')
    .update(JSON.stringify([[...parts.binaries].sort(), parts.layout]))
    .digest('hex');
  return { key: `${prefix}${facts.slice(0, 32)}`, restoreKeys: [prefix], paths: [parts.dir] };
}

export interface LayerMakerOptions {
  compression: Compression;
  /** With inRegistry: skip compressing layers whose cached blob the target repository has. */
  cache?: LayerCache;
  /** Whether the target repository holds a blob (a HEAD request); errors count as no. */
  inRegistry?: (digest: string) => Promise<boolean>;
}

/**
 * Makes layers, counting what it did. With a cache and a registry check, a layer whose key is cached and whose
 * blob the registry has is returned without data (nothing compressed, nothing to upload); a cached digest the
 * registry lacks falls back to compressing, and the cache is rewritten with what was made.
 */
export function layerMaker(options: LayerMakerOptions): {
  make: LayerMaker;
  stats: LayerStats;
  /** The cache keys of the layers made so far. */
  keys: string[];
  prefetch: (entries: readonly TarEntry[], mtimeSeconds: number) => void;
} {
  const stats: LayerStats = {
    compression: options.compression,
    compressed: 0,
    reused: 0,
    missing: 0,
    compressMs: 0,
    uncompressedBytes: 0,
    compressedBytes: 0,
  };
  let first: number | undefined;
  const keys: string[] = [];
  const { cache } = options;
  // One question per blob: a prefetched answer is the one make uses.
  const asked = new Map<string, Promise<boolean>>();
  const inRegistry = options.inRegistry
    ? (digest: string) => {
        if (!asked.has(digest))
          asked.set(
            digest,
            options.inRegistry!(digest).catch(() => false),
          );
        return asked.get(digest)!;
      }
    : undefined;
  const make: LayerMaker = async (entries, mtimeSeconds) => {
    const key = cache && inRegistry ? layerKey(entries, mtimeSeconds, options.compression) : undefined;
    if (key) keys.push(key);
    const cached = key ? await cache!.get(key) : undefined;
    if (cached) {
      if (await inRegistry!(cached.descriptor.digest)) {
        stats.reused++;
        return cached;
      }
      stats.missing++;
    }
    const started = Date.now();
    first = Math.min(first ?? started, started);
    const layer = await buildLayer(entries, mtimeSeconds, options.compression);
    stats.compressMs = Date.now() - first;
    stats.compressed++;
    stats.uncompressedBytes += layer.uncompressedSize;
    stats.compressedBytes += layer.descriptor.size;
    if (key) await cache!.put(key, layer);
    return layer;
  };
  /**
   * Asks the registry now about the cached blob of a layer make will be asked for later, so the round trip
   * overlaps other work; entries may carry their file's sha256 without its data.
   */
  const prefetch = (entries: readonly TarEntry[], mtimeSeconds: number) => {
    if (!cache || !inRegistry) return;
    void cache.get(layerKey(entries, mtimeSeconds, options.compression)).then((cached) => {
      if (cached) void inRegistry(cached.descriptor.digest);
    });
  };
  return { make, stats, keys, prefetch };
}
