// A deterministic ustar writer: the same entries give the same bytes, whatever the host's clock, umask or user.

export interface TarEntry {
  /** Relative path without a leading slash, e.g. `etc/passwd`; directories without a trailing slash. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  data?: Buffer;
  /** Hex sha256 of data when the caller knows it already (layer cache keys); not written to the archive. */
  sha256?: string;
  linkname?: string;
  uid?: number;
  gid?: number;
}

const BLOCK = 512;

/** Adds missing parent directories (0755, root), sorts by path, and writes the archive with one fixed mtime. */
export function writeTar(entries: readonly TarEntry[], mtimeSeconds: number): Buffer {
  return Buffer.concat(tarChunks(entries, mtimeSeconds));
}

// Pieces below this size are gathered into one buffer; larger file contents are passed on uncopied.
const GATHER_LIMIT = 64 * 1024;

/**
 * The archive writeTar makes, as consecutive buffers: file contents of GATHER_LIMIT or more are their own chunk
 * (not copied), and the headers, padding and small files between them are joined into one.
 */
export function tarChunks(entries: readonly TarEntry[], mtimeSeconds: number): Buffer[] {
  const byPath = new Map<string, TarEntry>();
  for (const entry of entries) {
    const path = normalize(entry.path);
    if (byPath.has(path)) throw new Error(`the layer lists '${path}' twice`);
    byPath.set(path, { ...entry, path });
  }
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!byPath.has(parent)) byPath.set(parent, { path: parent, type: 'dir', mode: 0o755 });
    }
  }
  const sorted = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const chunks: Buffer[] = [];
  let small: Buffer[] = [];
  const gather = () => {
    if (small.length > 0) chunks.push(small.length === 1 ? small[0] : Buffer.concat(small));
    small = [];
  };
  for (const entry of sorted) {
    const data = entry.type === 'file' ? (entry.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    small.push(header(entry, data.length, mtimeSeconds));
    if (data.length >= GATHER_LIMIT) {
      gather();
      chunks.push(data);
    } else if (data.length > 0) small.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) small.push(Buffer.alloc(pad));
  }
  small.push(Buffer.alloc(BLOCK * 2));
  gather();
  return chunks;
}

function normalize(path: string): string {
  const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (clean === '' || clean.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`'${path}' is not a valid path inside a layer`);
  }
  return clean;
}

function header(entry: TarEntry, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const name = entry.type === 'dir' ? `${entry.path}/` : entry.path;
  let prefix = '';
  let short = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    short = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(short) > 100) {
      throw new Error(`'${name}' is too long for a ustar header`);
    }
  }
  block.write(short, 0, 100, 'utf8');
  octal(block, 100, 8, entry.mode & 0o7777);
  octal(block, 108, 8, entry.uid ?? 0);
  octal(block, 116, 8, entry.gid ?? 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, mtime);
  block.fill(' ', 148, 156);
  block.write(entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2', 156, 1, 'ascii');
  if (entry.linkname) block.write(entry.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'binary');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'binary');
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}
