import { createHash } from 'node:crypto';
import { createGzip, type Gzip } from 'node:zlib';
import type { Blob, Descriptor } from './image.js';
import { MediaType } from './media-types.js';
import { tarChunks, type TarEntry } from './tar.js';

/** What an image needs to know of a compressed layer, without its bytes. */
export interface LayerFacts {
  descriptor: Descriptor;
  /** sha256 of the uncompressed tar, as the image config's rootfs.diff_ids lists it. */
  diffId: string;
  /** Bytes of the uncompressed tar. */
  uncompressedSize: number;
}

export interface Layer extends LayerFacts, Blob {}

export type Compression = 'gzip';

/** Everything besides the tar that decides a compressed layer's bytes: format, level and library version. */
export interface CompressionSettings {
  name: Compression;
  /** OCI image-spec layer media type. */
  mediaType: string;
  level: number;
  /** The compressor and its version, e.g. `zlib 1.3.1`: another version may write other bytes. */
  library: string;
}

export function compressionSettings(name: Compression): CompressionSettings {
  return {
    name,
    mediaType: MediaType.layerGzip,
    level: GZIP_LEVEL,
    library: `zlib ${process.versions.zlib}`,
  };
}

/**
 * Fastest gzip, as go-containerregistry (ko) writes layers: compression is most of the time of an assembled
 * build, and level 6 would make a Go binary's layer only ~8% smaller at ~4× the time.
 */
export const GZIP_LEVEL = 1;

// zlib's output buffer: the default 16 KiB costs one thread-pool round trip per 16 KiB of a ~10 MB layer.
// Deflate's bytes do not depend on how its input or output is split, only on the data and the level.
const GZIP_CHUNK = 1024 * 1024;

/**
 * A gzip-compressed layer. Node's zlib writes a gzip header with no mtime and no file name, so for one zlib
 * version and level the bytes, and the digest, depend only on the entries. Compression runs on libuv's
 * thread pool, so the layers of several platforms compress in parallel, while this thread hashes the tar.
 */
export async function buildLayer(
  entries: readonly TarEntry[],
  mtimeSeconds: number,
  compression: Compression = 'gzip',
): Promise<Layer> {
  const settings = compressionSettings(compression);
  const chunks = tarChunks(entries, mtimeSeconds);
  const gzip = createGzip({ level: GZIP_LEVEL, chunkSize: GZIP_CHUNK });
  const compressed = collect(gzip);
  for (const chunk of chunks) gzip.write(chunk);
  gzip.end();
  // Let the caller start its other layers' compression before this thread is busy hashing.
  await Promise.resolve();
  const diff = createHash('sha256');
  let uncompressedSize = 0;
  for (const chunk of chunks) {
    diff.update(chunk);
    uncompressedSize += chunk.length;
  }
  const { data, digest } = await compressed;
  return {
    descriptor: { mediaType: settings.mediaType, digest, size: data.length },
    data,
    diffId: `sha256:${diff.digest('hex')}`,
    uncompressedSize,
  };
}

/** The stream's output and its sha256, hashed as it arrives. */
function collect(gzip: Gzip): Promise<{ data: Buffer; digest: string }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const hash = createHash('sha256');
    gzip.on('data', (part: Buffer) => {
      parts.push(part);
      hash.update(part);
    });
    gzip.on('error', reject);
    gzip.on('end', () => resolve({ data: Buffer.concat(parts), digest: `sha256:${hash.digest('hex')}` }));
  });
}
