import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * The hex sha256 of a file, read through one 1 MiB buffer. Measured on 16 Go binaries (~21 MiB) hashed four at
 * a time: about half the CPU of a read stream (which allocates every chunk anew) and a third of WebCrypto on the
 * whole file, with the event loop held up at most a few ms, and the process kept small, so starting the next
 * `go build` (a fork of this process) stays cheap.
 */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface Checksum {
  /** Relative to the checksums file's directory, with forward slashes. */
  name: string;
  sha256: string;
}

/** The format `sha256sum -c` reads (two spaces: text mode), sorted by name so the file is reproducible. */
export function formatChecksums(entries: readonly Checksum[]): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => `${entry.sha256}  ${entry.name}\n`)
    .join('');
}
