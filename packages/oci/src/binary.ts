import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { platformString } from './image.js';
import type { PlatformBinary } from './assemble.js';

/** A binary read for packing, with the facts of exactly the bytes that go into its layer. */
export interface VerifiedBinary extends PlatformBinary {
  data: Buffer;
  /** Hex, without `sha256:`. */
  sha256: string;
  /** Bytes. */
  size: number;
}

/** A binary whose bytes are not the ones its builder reported. */
export class BinaryMismatchError extends Error {
  constructor(
    readonly platform: string,
    readonly file: string,
    readonly field: 'sha256' | 'size',
    readonly expected: string | number,
    readonly actual: string | number,
  ) {
    super(`the ${platform} binary ${file} has ${field} ${actual}, not the ${expected} its build reported`);
    this.name = 'BinaryMismatchError';
  }
}

/** A binary with its bytes read once: what is hashed is what gets packed. */
export async function readBinary(binary: PlatformBinary): Promise<PlatformBinary & { data: Buffer }> {
  return { ...binary, data: binary.data ?? (await readFile(binary.file)) };
}

/**
 * Hashes a binary's bytes (synchronously: call it while its layer compresses on the thread pool). When the
 * binary carries `expected` facts, a different size or sha256 throws BinaryMismatchError.
 */
export function verifyBinary(binary: PlatformBinary & { data: Buffer }): VerifiedBinary {
  const data = binary.data;
  const sha256 = createHash('sha256').update(data).digest('hex');
  const expected = binary.expected;
  const name = platformString(binary.platform);
  if (expected && expected.size !== data.length)
    throw new BinaryMismatchError(name, binary.file, 'size', expected.size, data.length);
  if (expected && expected.sha256 !== sha256)
    throw new BinaryMismatchError(name, binary.file, 'sha256', expected.sha256, sha256);
  return { ...binary, data, sha256, size: data.length };
}
