import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dosTime, tarGz, zipArchive, type ArchiveEntry } from './archive.js';
import { formatChecksums, sha256 } from './checksums.js';

const MTIME = 1_767_323_045; // 2026-01-02T03:04:05Z
const entries: ArchiveEntry[] = [
  { name: 'api', data: Buffer.from('#!/bin/sh\necho hello\n'.repeat(100)), mode: 0o755, mtime: MTIME },
  { name: `${'d'.repeat(60)}/${'n'.repeat(60)}.txt`, data: Buffer.alloc(513, 7), mode: 0o644, mtime: MTIME },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'archive-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tar.gz', () => {
  it('is read back by GNU tar with the names, modes, times and contents given', async () => {
    const file = path.join(dir, 'a.tar.gz');
    writeFileSync(file, await tarGz(entries));
    const listing = execFileSync('tar', ['-tvzf', file, '--full-time', '--numeric-owner'], {
      encoding: 'utf8',
    });
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 +2100 2026-01-02 03:04:05 api$/m);
    expect(listing).toMatch(new RegExp(`^-rw-r--r-- 0/0 +513 2026-01-02 03:04:05 ${entries[1].name}$`, 'm'));
    const out = path.join(dir, 'tar-out');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xzf', file, '-C', out]);
    expect(readFileSync(path.join(out, 'api'))).toEqual(entries[0].data);
    expect(statSync(path.join(out, 'api')).mtimeMs).toBe(MTIME * 1000);
  });

  it('is byte-identical for the same input', async () => {
    expect(sha256(await tarGz(entries))).toBe(sha256(await tarGz(entries)));
  });
});

describe('zip', () => {
  it('passes unzip -t and extracts the same bytes and mode', async () => {
    const file = path.join(dir, 'a.zip');
    writeFileSync(file, await zipArchive(entries));
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    const out = path.join(dir, 'zip-out');
    execFileSync('unzip', ['-q', file, '-d', out], { env: { ...process.env, TZ: 'UTC' } });
    expect(readFileSync(path.join(out, 'api'))).toEqual(entries[0].data);
    expect(statSync(path.join(out, 'api')).mode & 0o777).toBe(0o755);
    expect(sha256(await zipArchive(entries))).toBe(sha256(readFileSync(file)));
  });

  it('stores MS-DOS times in UTC, clamped to 1980', () => {
    expect(dosTime(MTIME)).toEqual([(3 << 11) | (4 << 5) | 2, (46 << 9) | (1 << 5) | 2]);
    expect(dosTime(0)).toEqual([0, (1 << 5) | 1]);
  });
});

describe('checksums', () => {
  it('writes the sha256sum format sorted by name', () => {
    expect(
      formatChecksums([
        { name: 'b', sha256: 'bb' },
        { name: 'a.zip', sha256: 'aa' },
      ]),
    ).toBe('aa  a.zip\nbb  b\n');
  });
});
