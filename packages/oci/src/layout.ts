import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Blob, Descriptor, ImageIndex } from './image.js';
import { MediaType } from './media-types.js';

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
  atomicWrite(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  for (const blob of blobs) {
    const file = path.join(dir, 'blobs', ...blob.descriptor.digest.split(':'));
    if (!existsSync(file)) atomicWrite(file, blob.data);
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
  atomicWrite(indexFile, JSON.stringify(index, null, 2) + '\n');
}

function atomicWrite(file: string, data: string | Buffer): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}
