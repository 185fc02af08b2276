import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { digestOf } from './image.js';
import { buildLayer, GZIP_LEVEL } from './layer.js';
import { tarChunks, writeTar } from './tar.js';

describe('writeTar', () => {
  const entries = [
    { path: 'usr/local/bin/api', type: 'file' as const, mode: 0o555, data: Buffer.from('#!binary') },
    { path: 'etc/passwd', type: 'file' as const, mode: 0o644, data: Buffer.from('root:x:0:0::/:/x\n') },
    { path: 'home/nonroot', type: 'dir' as const, mode: 0o700, uid: 65532, gid: 65532 },
    { path: 'etc/localtime', type: 'symlink' as const, mode: 0o777, linkname: '/usr/share/zoneinfo/UTC' },
  ];

  it('writes sorted entries with parents, root ownership, fixed modes and mtime, readable by GNU tar', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tar-'));
    const file = path.join(dir, 'layer.tar');
    writeFileSync(file, writeTar(entries, 1_700_000_000));
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', file], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    expect(
      listing
        .trim()
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' ')),
    ).toEqual([
      'drwxr-xr-x 0/0 0 2023-11-14 22:13:20 etc/',
      'lrwxrwxrwx 0/0 0 2023-11-14 22:13:20 etc/localtime -> /usr/share/zoneinfo/UTC',
      '-rw-r--r-- 0/0 17 2023-11-14 22:13:20 etc/passwd',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13:20 home/',
      'drwx------ 65532/65532 0 2023-11-14 22:13:20 home/nonroot/',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13:20 usr/',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13:20 usr/local/',
      'drwxr-xr-x 0/0 0 2023-11-14 22:13:20 usr/local/bin/',
      '-r-xr-xr-x 0/0 8 2023-11-14 22:13:20 usr/local/bin/api',
    ]);
  });

  it('gives the same bytes and digests whatever the order of the entries', async () => {
    const a = await buildLayer(entries, 0);
    const b = await buildLayer([...entries].reverse(), 0);
    expect(b.descriptor.digest).toBe(a.descriptor.digest);
    expect(b.diffId).toBe(a.diffId);
    expect(gunzipSync(a.data).length).toBe(a.uncompressedSize);
    // gzip header: no mtime (bytes 4-7 zero), no file name flag.
    expect([...a.data.subarray(3, 8)]).toEqual([0, 0, 0, 0, 0]);
    expect((await buildLayer(entries, 1)).descriptor.digest).not.toBe(a.descriptor.digest);
  });

  it('streams the same bytes as compressing the whole tar at once', async () => {
    // 3 MiB of a real executable: its own tar chunk, and several zlib output buffers.
    const big = Buffer.alloc(3 * 1024 * 1024);
    const fd = openSync(process.execPath, 'r');
    const read = readSync(fd, big, 0, big.length, 0);
    closeSync(fd);
    expect(read).toBe(big.length);
    const all = [...entries, { path: 'usr/local/bin/big', type: 'file' as const, mode: 0o555, data: big }];
    const tar = writeTar(all, 7);
    const chunks = tarChunks(all, 7);
    expect(chunks.some((chunk) => chunk === big)).toBe(true);
    expect(Buffer.concat(chunks).equals(tar)).toBe(true);
    const layer = await buildLayer(all, 7);
    const whole = gzipSync(tar, { level: GZIP_LEVEL });
    expect(layer.data.equals(whole)).toBe(true);
    expect(layer.descriptor).toMatchObject({ size: whole.length, digest: digestOf(whole) });
    expect(layer.diffId).toBe(digestOf(tar));
    expect(layer.uncompressedSize).toBe(tar.length);
  });

  it('refuses paths that escape the layer or repeat', () => {
    expect(() => writeTar([{ path: '../etc/passwd', type: 'file', mode: 0o644 }], 0)).toThrow(
      /not a valid path/,
    );
    expect(() =>
      writeTar(
        [
          { path: 'a', type: 'file', mode: 0o644 },
          { path: '/a', type: 'file', mode: 0o644 },
        ],
        0,
      ),
    ).toThrow(/twice/);
  });
});
