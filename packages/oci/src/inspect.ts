import { readFileSync } from 'node:fs';
import path from 'node:path';
import { platformString, type ImageIndex, type ImageManifest } from './image.js';
import { isIndexType } from './media-types.js';
import type { RegistryClient } from './registry.js';

export interface PlatformSummary {
  platform: string;
  digest: string;
  /** Compressed bytes: config and layers. */
  size: number;
  layers: number;
}

type Reader = (digest: string) => Promise<Buffer>;

/** Platforms, manifest digests and compressed sizes of an index another tool pushed. */
export function summarizeRemoteIndex(
  client: RegistryClient,
  repo: string,
  digest: string,
): Promise<PlatformSummary[]> {
  return summarize(digest, async (d) => (await client.getManifest(repo, d)).data);
}

/** The same, read from an OCI image layout folder. */
export function summarizeLayoutIndex(dir: string, digest: string): Promise<PlatformSummary[]> {
  return summarize(digest, async (d) => readFileSync(path.join(dir, 'blobs', ...d.split(':'))));
}

async function summarize(digest: string, read: Reader): Promise<PlatformSummary[]> {
  const top = JSON.parse((await read(digest)).toString('utf8')) as ImageIndex | ImageManifest;
  const entries = isIndexType(top.mediaType) || 'manifests' in top ? (top as ImageIndex).manifests : [];
  const result: PlatformSummary[] = [];
  for (const entry of entries) {
    if (!entry.platform || entry.platform.os === 'unknown') continue;
    const manifest = JSON.parse((await read(entry.digest)).toString('utf8')) as ImageManifest;
    result.push({
      platform: platformString(entry.platform),
      digest: entry.digest,
      size: manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
      layers: manifest.layers.length,
    });
  }
  return result;
}
