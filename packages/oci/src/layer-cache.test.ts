import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LayerCache, layerCacheDir, layerKey, layerMaker } from './layer-cache.js';
import type { TarEntry } from './tar.js';

const binary = Buffer.from('a binary');
const entries: TarEntry[] = [
  { path: 'usr/local/bin/api', type: 'file', mode: 0o555, data: binary },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
];

describe('layerKey', () => {
  const key = layerKey(entries, 0, 'gzip');

  it('depends on the content, not on the entry order or on who hashed the content', () => {
    const hashed = { ...entries[0], sha256: createHash('sha256').update(binary).digest('hex') };
    expect(layerKey([entries[1], hashed], 0, 'gzip')).toBe(key);
    expect(layerKey([{ ...entries[0], data: Buffer.from('another') }, entries[1]], 0, 'gzip')).not.toBe(key);
  });

  it('changes with the layout, the time and the owner', () => {
    expect(layerKey([{ ...entries[0], mode: 0o755 }, entries[1]], 0, 'gzip')).not.toBe(key);
    expect(layerKey([{ ...entries[0], path: 'api' }, entries[1]], 0, 'gzip')).not.toBe(key);
    expect(layerKey([entries[0], { ...entries[1], uid: 1 }], 0, 'gzip')).not.toBe(key);
    expect(layerKey(entries, 1, 'gzip')).not.toBe(key);
  });
});

describe('layerCacheDir', () => {
  it('is in the runner tool cache, else the user cache folder', () => {
    expect(layerCacheDir({ RUNNER_TOOL_CACHE: '/t' })).toBe('/t/gin-deploy/layers');
    expect(layerCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/gin-deploy/layers');
    expect(layerCacheDir({})).toBe(path.join(os.homedir(), '.cache/gin-deploy/layers'));
  });
});

describe('layerMaker', () => {
  it('reuses a cached layer the registry has, and compresses one it lacks', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'layer-cache-'));
    try {
      const cache = new LayerCache(dir);
      const registry = new Set<string>();
      const options = {
        compression: 'gzip' as const,
        cache,
        inRegistry: async (d: string) => registry.has(d),
      };
      const first = layerMaker(options);
      const made = await first.make(entries, 0);
      expect(first.stats).toMatchObject({ compressed: 1, reused: 0, missing: 0 });
      expect(made.data).toBeInstanceOf(Buffer);

      const missing = layerMaker(options);
      expect((await missing.make(entries, 0)).descriptor).toEqual(made.descriptor);
      expect(missing.stats).toMatchObject({ compressed: 1, reused: 0, missing: 1 });

      registry.add(made.descriptor.digest);
      const second = layerMaker(options);
      const reused = await second.make(entries, 0);
      expect(reused).toEqual({
        descriptor: made.descriptor,
        diffId: made.diffId,
        uncompressedSize: made.uncompressedSize,
      });
      expect(second.stats).toMatchObject({ compressed: 0, reused: 1, compressMs: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks the registry once per blob: a prefetch by the file hash alone is the answer make uses', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'layer-cache-'));
    try {
      const cache = new LayerCache(dir);
      const made = await layerMaker({ compression: 'gzip', cache, inRegistry: async () => false }).make(
        entries,
        0,
      );
      const asked: string[] = [];
      const maker = layerMaker({
        compression: 'gzip',
        cache,
        inRegistry: async (digest) => (asked.push(digest), true),
      });
      const sha256 = createHash('sha256').update(binary).digest('hex');
      maker.prefetch([{ ...entries[0], data: undefined, sha256 }, entries[1]], 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(asked).toEqual([made.descriptor.digest]);
      expect((await maker.make(entries, 0)).data).toBeUndefined();
      expect(asked).toEqual([made.descriptor.digest]);
      expect(maker.stats).toMatchObject({ compressed: 0, reused: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats an unreadable entry as a miss', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'layer-cache-'));
    try {
      writeFileSync(path.join(dir, `${layerKey(entries, 0, 'gzip')}.json`), '{"descriptor":');
      expect(await new LayerCache(dir).get(layerKey(entries, 0, 'gzip'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
