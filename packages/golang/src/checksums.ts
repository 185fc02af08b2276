import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  // 1 MiB reads: a 20 MiB binary in 20 chunks rather than 320 of the default 64 KiB.
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
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
