import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '@gin-deploy/action/files';
import path from 'node:path';
import type { AssembledImage, AssembledPlatform } from './assemble.js';
import {
  plainDescriptor,
  digestOf,
  type Blob,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
} from './image.js';
import { isIndexType, MediaType } from './media-types.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';

/**
 * Writes blobs into an OCI image layout and lists `top` in its index.json under each tag. Blobs go first and
 * index.json last, each renamed into place, so a reader never sees an index pointing at a missing blob.
 */
export function writeLayout(
  dir: string,
  blobs: readonly Blob[],
  top: Descriptor,
  tags: readonly string[],
): void {
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileAtomic(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  for (const blob of blobs) {
    const file = path.join(dir, 'blobs', ...blob.descriptor.digest.split(':'));
    if (!existsSync(file)) writeFileAtomic(file, blob.data);
  }
  const indexFile = path.join(dir, 'index.json');
  const existing: ImageIndex = existsSync(indexFile)
    ? (JSON.parse(readFileSync(indexFile, 'utf8')) as ImageIndex)
    : { schemaVersion: 2, mediaType: MediaType.index, manifests: [] };
  const names = tags.length > 0 ? tags : [undefined];
  const kept = existing.manifests.filter((entry) => {
    const name = entry.annotations?.[REF_NAME];
    return name === undefined ? entry.digest !== top.digest : !tags.includes(name);
  });
  const added = names.map((name) => ({
    mediaType: top.mediaType,
    digest: top.digest,
    size: top.size,
    ...(name ? { annotations: { [REF_NAME]: name } } : {}),
  }));
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.index, manifests: [...kept, ...added] };
  writeFileAtomic(indexFile, JSON.stringify(index, null, 2) + '\n');
}

/** An OCI image layout that does not hold what its index.json or a manifest names. */
export class LayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayoutError';
  }
}

/**
 * Reads the image `digest` (an index, or a single manifest) and every blob it needs out of an OCI image layout,
 * e.g. one that buildah or buildx wrote, so that the same push path as an assembled image moves it: blobs, then
 * manifests and index by digest, tags last.
 */
export function readLayoutImage(dir: string, digest: string): AssembledImage {
  const read = (descriptor: Pick<Descriptor, 'digest'>): Buffer => {
    const file = path.join(dir, 'blobs', ...descriptor.digest.split(':'));
    if (!existsSync(file)) throw new LayoutError(`the OCI layout ${dir} has no blob ${descriptor.digest}`);
    const data = readFileSync(file);
    if (digestOf(data) !== descriptor.digest)
      throw new LayoutError(`the blob ${descriptor.digest} in the OCI layout ${dir} has other bytes`);
    return data;
  };
  const topData = read({ digest });
  const top = JSON.parse(topData.toString('utf8')) as ImageIndex | ImageManifest;
  const index: Blob = {
    descriptor: { mediaType: topMediaType(dir, digest, top), digest, size: topData.length },
    data: topData,
  };
  const blobs = new Map<string, Blob>();
  const readManifest = (descriptor: Descriptor): AssembledPlatform => {
    const data = descriptor.digest === digest ? topData : read(descriptor);
    const manifest = JSON.parse(data.toString('utf8')) as ImageManifest;
    const configData = read(manifest.config);
    blobs.set(manifest.config.digest, { descriptor: plainDescriptor(manifest.config), data: configData });
    for (const layer of manifest.layers)
      if (!blobs.has(layer.digest))
        blobs.set(layer.digest, { descriptor: plainDescriptor(layer), data: read(layer) });
    const config = JSON.parse(configData.toString('utf8')) as ImageConfig;
    return {
      platform: descriptor.platform ?? {
        os: config.os,
        architecture: config.architecture,
        variant: config.variant,
      },
      manifest: {
        descriptor: plainDescriptor({ ...descriptor, mediaType: manifest.mediaType ?? descriptor.mediaType }),
        data,
      },
      config,
      layers: manifest.layers,
      size: manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
      baseSize: 0,
    };
  };
  if (!isIndexType(index.descriptor.mediaType)) {
    // A single-platform image: the manifest is the top; it is pushed once, as the "index".
    readManifest(index.descriptor);
    return { index, platforms: [], blobs: [...blobs.values()], present: [] };
  }
  // Attestation manifests (platform unknown/unknown) are pushed too, so the index is whole.
  const platforms = (top as ImageIndex).manifests.map(readManifest);
  return { index, platforms, blobs: [...blobs.values()], present: [] };
}

function topMediaType(dir: string, digest: string, top: ImageIndex | ImageManifest): string {
  if (top.mediaType) return top.mediaType;
  const indexFile = path.join(dir, 'index.json');
  const listed = existsSync(indexFile)
    ? (JSON.parse(readFileSync(indexFile, 'utf8')) as ImageIndex).manifests.find((m) => m.digest === digest)
    : undefined;
  return listed?.mediaType ?? ('manifests' in top ? MediaType.index : MediaType.manifest);
}
