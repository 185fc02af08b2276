import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** A file to put in an archive; the archive holds nothing else, so the same inputs give the same bytes. */
export interface ArchiveEntry {
  name: string;
  data: Buffer;
  mode: number;
  /** Unix seconds. */
  mtime: number;
}

export type ArchiveFormat = 'tar.gz' | 'zip';

const gzip = promisify(zlib.gzip);
const deflateRaw = promisify(zlib.deflateRaw);

export function archive(format: ArchiveFormat, entries: readonly ArchiveEntry[]): Promise<Buffer> {
  return format === 'zip' ? zipArchive(entries) : tarGz(entries);
}

export async function tarGz(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const compressed = await gzip(tarball(entries));
  // The gzip header's OS byte is the build platform of zlib; fixing it to Unix keeps macOS and Linux runs equal.
  compressed[9] = 3;
  return compressed;
}

/** A POSIX ustar archive: owner root, no user or group names, the given times and modes. */
export function tarball(entries: readonly ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    blocks.push(tarHeader(entry), entry.data);
    const padding = (512 - (entry.data.length % 512)) % 512;
    if (padding) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function tarHeader(entry: ArchiveEntry): Buffer {
  const header = Buffer.alloc(512);
  const [prefix, name] = splitTarName(entry.name);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, entry.mode & 0o7777, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeOctal(header, entry.data.length, 124, 12);
  writeOctal(header, Math.max(0, Math.floor(entry.mtime)), 136, 12);
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\u000000', 257, 8, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field read as spaces.
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return header;
}

function splitTarName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  const cut = name.lastIndexOf('/', 155);
  if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
    throw new Error(`'${name}' is too long for a ustar archive`);
  return [name.slice(0, cut), name.slice(cut + 1)];
}

function writeOctal(buffer: Buffer, value: number, offset: number, length: number): void {
  if (value >= 8 ** (length - 1)) throw new Error(`${value} does not fit a ${length}-byte tar field`);
  buffer.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

const ZIP_LIMIT = 0xffffffff;

/** A zip of deflated entries with Unix modes, without the zip64 extensions (binaries stay far below 4 GiB). */
export async function zipArchive(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const compressed = await deflateRaw(entry.data);
    const name = Buffer.from(entry.name, 'utf8');
    if (entry.data.length >= ZIP_LIMIT || offset >= ZIP_LIMIT)
      throw new Error(`'${entry.name}' is too large for zip`);
    const crc = zlib.crc32(entry.data);
    const [time, date] = dosTime(entry.mtime);
    const common = (header: Buffer, at: number): void => {
      header.writeUInt16LE(20, at); // version needed: deflate
      header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
      header.writeUInt16LE(8, at + 4); // method: deflate
      header.writeUInt16LE(time, at + 6);
      header.writeUInt16LE(date, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(compressed.length, at + 14);
      header.writeUInt32LE(entry.data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold the mode
    common(central, 6);
    central.writeUInt32LE(((0o100000 | (entry.mode & 0o7777)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** MS-DOS time and date in UTC (zip has no time zone), clamped to the format's 1980–2107 range. */
export function dosTime(unixSeconds: number): [number, number] {
  const clamped = Math.min(Math.max(unixSeconds, 315_532_800), 4_354_819_198);
  const d = new Date(clamped * 1000);
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return [time, date];
}
