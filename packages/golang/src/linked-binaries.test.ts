import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256 } from './checksums.js';
import { LINKED_BINARY_MAX_AGE_MS, LinkedBinaryStore, linkReuseObstacle } from './linked-binaries.js';

const settings = {
  cgo: false,
  ldflags: '-X main.Version=1',
  flags: [] as string[],
  env: {} as Record<string, string>,
};
const linux = { os: 'linux', arch: 'amd64', variant: '' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'linked-binaries-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LinkedBinaryStore', () => {
  it('has one entry per folder, package, target and file name; ldflags do not count', () => {
    const store = new LinkedBinaryStore(dir);
    const entry = store.entryFor('/src', '.', linux, '/out/api');
    expect(store.entryFor('/src', '.', linux, '/elsewhere/api')).toBe(entry);
    expect(store.entryFor('/src', '.', { os: 'linux', arch: 'arm64', variant: '' }, '/out/api')).not.toBe(
      entry,
    );
    expect(store.entryFor('/src', './cmd/x', linux, '/out/api')).not.toBe(entry);
    expect(store.entryFor('/other', '.', linux, '/out/api')).not.toBe(entry);
    expect(store.entryFor('/src', '.', linux, '/out/api2')).not.toBe(entry);
  });

  it('keeps one copy per entry, offers a copy of it, and clears temporary files older than an hour', async () => {
    const store = new LinkedBinaryStore(dir);
    const entry = store.entryFor('/src', '.', linux, 'api');
    const output = path.join(dir, 'api');
    writeFileSync(output, 'first');
    await store.keep(entry, output, sha256('first'));
    mkdirSync(entry, { recursive: true });
    writeFileSync(path.join(entry, '.1-stale.tmp'), 'left by a killed run');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(path.join(entry, '.1-stale.tmp'), old, old);
    writeFileSync(path.join(entry, '.2-fresh.tmp'), 'another run writing now');
    writeFileSync(output, 'second');
    await store.keep(entry, output, sha256('second'));
    expect(readdirSync(entry).sort()).toEqual(['.2-fresh.tmp', sha256('second')]);

    const offered = path.join(dir, 'offered');
    const offer = await store.offer(entry, offered);
    expect(offer?.sha256).toBe(sha256('second'));
    expect(await LinkedBinaryStore.untouched(offer!, offered)).toBe(true);
    const again = await store.offer(entry, offered);
    rmSync(offered);
    writeFileSync(offered, 'linked anew');
    expect(await LinkedBinaryStore.untouched(again!, offered)).toBe(false);
    expect(await store.offer(store.entryFor('/src', '.', linux, 'none'), offered)).toBeUndefined();
  });

  it('prunes entries not kept or used for five days', async () => {
    const store = new LinkedBinaryStore(dir);
    const output = path.join(dir, 'api');
    writeFileSync(output, 'x');
    const stale = store.entryFor('/a', '.', linux, 'api');
    const fresh = store.entryFor('/b', '.', linux, 'api');
    await store.keep(stale, output, sha256('x'));
    await store.keep(fresh, output, sha256('x'));
    const old = new Date(Date.now() - LINKED_BINARY_MAX_AGE_MS - 60_000);
    utimesSync(path.join(stale, sha256('x')), old, old);
    await store.prune();
    expect(readdirSync(dir).filter((name) => name !== 'api')).toEqual([path.basename(fresh)]);
  });
});

describe('linkReuseObstacle', () => {
  it('allows Go’s internal linker only, without UPX', () => {
    expect(linkReuseObstacle(settings, false, '')).toBeUndefined();
    expect(linkReuseObstacle(settings, true, '')).toMatch(/UPX/);
    expect(linkReuseObstacle({ ...settings, cgo: true }, false, '')).toMatch(/cgo/);
    expect(linkReuseObstacle({ ...settings, ldflags: '-linkmode=external' }, false, '')).toMatch(
      /-linkmode=external/,
    );
    expect(linkReuseObstacle({ ...settings, flags: ['-ldflags=-linkmode external'] }, false, '')).toMatch(
      /external/,
    );
    expect(
      linkReuseObstacle({ ...settings, env: { GOFLAGS: '-ldflags=-linkmode=external' } }, false, ''),
    ).toMatch(/external/);
    expect(linkReuseObstacle(settings, false, '-ldflags=-linkmode=external')).toMatch(/external/);
  });
});
