import type { BaseImage, BasePlatform } from './assemble.js';
import type { ImageConfig, ImageIndex, ImageManifest, Platform } from './image.js';
import { isIndexType, isManifestType } from './media-types.js';
import { repositoryName, type Reference } from './reference.js';
import type { RegistryClient } from './registry.js';

/** Reads a base image (index or single manifest) and the configs of the wanted platforms. */
export async function readBaseImage(
  client: RegistryClient,
  ref: Reference,
  wanted: readonly Platform[],
): Promise<BaseImage> {
  const top = await client.getManifest(ref.path, ref.digest ?? ref.tag ?? 'latest');
  if (ref.digest && top.digest !== ref.digest) {
    throw new Error(
      `the base ${repositoryName(ref)}@${ref.digest} answered with a manifest of digest ${top.digest}`,
    );
  }
  const platforms: BasePlatform[] = [];
  if (isIndexType(top.mediaType)) {
    const index = JSON.parse(top.data.toString('utf8')) as ImageIndex;
    for (const entry of index.manifests) {
      const platform = entry.platform;
      if (!platform || !wanted.some((w) => w.os === platform.os && w.architecture === platform.architecture))
        continue;
      platforms.push(await readPlatform(client, ref.path, entry.digest, platform));
    }
  } else if (isManifestType(top.mediaType)) {
    const manifest = JSON.parse(top.data.toString('utf8')) as ImageManifest;
    const config = await readConfig(client, ref.path, manifest.config.digest);
    platforms.push({
      platform: {
        os: config.os,
        architecture: config.architecture,
        ...(config.variant ? { variant: config.variant } : {}),
      },
      manifestDigest: top.digest,
      config,
      layers: manifest.layers,
    });
  } else {
    throw new Error(
      `the base ${repositoryName(ref)} is a ${top.mediaType || 'manifest of unknown type'}, not an image`,
    );
  }
  return { name: repositoryName(ref), domain: ref.domain, repo: ref.path, digest: top.digest, platforms };
}

async function readPlatform(
  client: RegistryClient,
  repo: string,
  digest: string,
  platform: Platform,
): Promise<BasePlatform> {
  const { data } = await client.getManifest(repo, digest);
  const manifest = JSON.parse(data.toString('utf8')) as ImageManifest;
  return {
    platform,
    manifestDigest: digest,
    config: await readConfig(client, repo, manifest.config.digest),
    layers: manifest.layers,
  };
}

async function readConfig(client: RegistryClient, repo: string, digest: string): Promise<ImageConfig> {
  return JSON.parse((await client.getBlob(repo, digest)).toString('utf8')) as ImageConfig;
}
