import { createHash } from 'node:crypto';
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
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

export type Compression = 'gzip' | 'zstd';

/**
 * zstd's own default level, as BuildKit's `compression=zstd` uses: on a Go binary about twice as fast as gzip
 * level 1 and some 9 % smaller.
 */
export const ZSTD_LEVEL = 3;

// Node's zstd (22.15, 23.8 and later) is newer than the @types/node the code is checked against.
interface ZstdZlib {
  createZstdCompress?: (options: { chunkSize?: number; params?: Record<number, number> }) => Transform;
  constants: { ZSTD_c_compressionLevel?: number };
}
const zstd = zlib as unknown as ZstdZlib;

/** Whether this Node.js has zstd in zlib (Node 24 does; Node 20 does not). */
export function zstdAvailable(): boolean {
  return typeof zstd.createZstdCompress === 'function';
}

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
  if (name === 'zstd') {
    const version = (process.versions as Record<string, string | undefined>).zstd ?? 'unknown';
    return { name, mediaType: MediaType.layerZstd, level: ZSTD_LEVEL, library: `zstd ${version}` };
  }
  return {
    name,
    mediaType: MediaType.layerGzip,
    level: GZIP_LEVEL,
    library: `zlib ${process.versions.zlib}`,
  };
}

/** A compressing stream; throws where the runtime lacks zstd (check zstdAvailable first). */
function compressor(name: Compression): Transform {
  if (name === 'gzip') return zlib.createGzip({ level: GZIP_LEVEL, chunkSize: CHUNK });
  if (!zstd.createZstdCompress) throw new Error(`this Node.js ${process.version} has no zstd in zlib`);
  return zstd.createZstdCompress({
    chunkSize: CHUNK,
    params: { [zstd.constants.ZSTD_c_compressionLevel!]: ZSTD_LEVEL },
  });
}

/**
 * Fastest gzip, as go-containerregistry (ko) writes layers: compression is most of the time of an assembled
 * build, and level 6 would make a Go binary's layer only ~8% smaller at ~4× the time.
 */
export const GZIP_LEVEL = 1;

// zlib's output buffer: the default 16 KiB costs one thread-pool round trip per 16 KiB of a ~10 MB layer.
// Deflate's and zstd's bytes do not depend on how the input or output is split, only on the data and level.
const CHUNK = 1024 * 1024;

/**
 * A compressed layer: `application/vnd.oci.image.layer.v1.tar+gzip`, or `+zstd` (OCI image-spec 1.1,
 * layer.md) when asked for. Node's zlib writes a gzip header with no mtime and no file name, and zstd frames
 * hold neither, so for one library version and level the bytes, and the digest, depend only on the entries. Compression runs on libuv's
 * thread pool, so the layers of several platforms compress in parallel, while this thread hashes the tar.
 */
export async function buildLayer(
  entries: readonly TarEntry[],
  mtimeSeconds: number,
  compression: Compression = 'gzip',
): Promise<Layer> {
  const settings = compressionSettings(compression);
  const chunks = tarChunks(entries, mtimeSeconds);
  const stream = compressor(compression);
  const compressed = collect(stream);
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
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
function collect(stream: Transform): Promise<{ data: Buffer; digest: string }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const hash = createHash('sha256');
    stream.on('data', (part: Buffer) => {
      parts.push(part);
      hash.update(part);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve({ data: Buffer.concat(parts), digest: `sha256:${hash.digest('hex')}` }));
  });
}
