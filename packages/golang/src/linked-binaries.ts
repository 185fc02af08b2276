import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { toolCacheDir } from '@gin-deploy/action/runner-context';
import type { BuildSettings } from './build.js';
import { sha256 } from './checksums.js';
import { targetLabel, type Target } from './targets.js';

/** Entries unused for this long are removed, as Go trims its build cache (cmd/go/internal/cache: 5 days). */
export const LINKED_BINARY_MAX_AGE_MS = 5 * 24 * 3600_000;

/** A kept binary copied in place of a build's output before `go build` runs; close it once go build is done. */
export interface LinkedOffer {
  /** The store's entry folder the binary came from. */
  entry: string;
  /** The sha256 the binary had when it was kept (its file name in the entry). */
  sha256: string;
  /**
   * The copy, held open while go build runs, so no file go build writes can get its inode number: go build
   * replaces the output when it links.
   */
  handle: FileHandle;
}

/**
 * The last binary linked for each target of each package, kept in the runner's tool cache, so that a target
 * whose inputs did not change since the last build on this runner is not linked again.
 *
 * Go stamps each binary with a build ID that begins with the hash of everything its internal link reads (the
 * link's action ID), and `go build -o FILE` leaves FILE alone when it already carries the build ID this build
 * would give it (cmd/go/internal/work/buildid.go, `useCache`; it only touches the file's times). The store only
 * offers a candidate: a copy of the kept binary at FILE. Go decides whether it is current and links again when
 * it is not, replacing the file. The caller hashes an offered copy Go left in place and gives the entry up when
 * the hash is not the one it was kept under. Outputs and kept binaries never share a file, so a later step that
 * changes an output in place (strip, chmod) changes nothing else.
 *
 * Not for external linking (cgo, -linkmode=external): the C linker and its flags are not part of Go's build ID
 * (cmd/go/internal/work/exec.go, linkActionID), so a binary could pass for current after the C toolchain changed.
 *
 * One entry per package, target and file name: `-X` flags that change with every commit replace the entry's
 * binary rather than add one. Entries unused for LINKED_BINARY_MAX_AGE_MS are removed by prune().
 */
export class LinkedBinaryStore {
  constructor(readonly dir: string = toolCacheDir('go-binaries')) {}

  /** The entry folder for a target of the package built in cwd into a file named like file. */
  entryFor(cwd: string, pkg: string, target: Target, file: string): string {
    const key = JSON.stringify([path.resolve(cwd), pkg, targetLabel(target), path.basename(file)]);
    return path.join(this.dir, sha256(key).slice(0, 32));
  }

  /** Copies the entry's binary to file (a clone where the file system can); undefined when the entry holds none. */
  async offer(entry: string, file: string): Promise<LinkedOffer | undefined> {
    const names = await readdir(entry).catch(() => [] as string[]);
    const kept = names.find((name) => /^[0-9a-f]{64}$/.test(name));
    if (!kept) return undefined;
    let handle: FileHandle | undefined;
    try {
      await copyFile(path.join(entry, kept), file, constants.COPYFILE_FICLONE);
      handle = await open(file, 'r');
      return { entry, sha256: kept, handle };
    } catch {
      await handle?.close();
      await rm(file, { force: true });
      return undefined;
    }
  }

  /** Whether file is still the offered copy (go build found it current and did not link); closes the offer. */
  static async untouched(offer: LinkedOffer, file: string): Promise<boolean> {
    try {
      const [now, offered] = await Promise.all([stat(file).catch(() => undefined), offer.handle.stat()]);
      return now !== undefined && now.dev === offered.dev && now.ino === offered.ino;
    } finally {
      await offer.handle.close();
    }
  }

  /**
   * Keeps a copy of file (whose content hashes to fileSha256) as the entry's binary, replacing the one kept
   * before and any temporary file an interrupted run left.
   */
  async keep(entry: string, file: string, fileSha256: string): Promise<void> {
    await mkdir(entry, { recursive: true });
    const temporary = path.join(entry, `.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
    try {
      await copyFile(file, temporary, constants.COPYFILE_FICLONE);
      await rename(temporary, path.join(entry, fileSha256));
    } finally {
      await rm(temporary, { force: true });
    }
    const now = Date.now();
    for (const name of await readdir(entry)) {
      if (name === fileSha256) continue;
      const other = path.join(entry, name);
      // Another run's temporary file is left alone for an hour: it may still be being written.
      if (name.startsWith('.') && now - (await modifiedMs(other)) < 3600_000) continue;
      await rm(other, { force: true });
    }
  }

  /** Marks an offered binary as used now, for prune(). */
  async used(offer: LinkedOffer): Promise<void> {
    const now = new Date();
    await utimes(path.join(offer.entry, offer.sha256), now, now).catch(() => undefined);
  }

  /** Drops an entry whose binary is not what it was kept as. */
  async drop(entry: string): Promise<void> {
    await rm(entry, { recursive: true, force: true });
  }

  /**
   * Removes the entries whose files were all last kept or used (see used()) more than maxAgeMs ago.
   */
  async prune(maxAgeMs = LINKED_BINARY_MAX_AGE_MS, now = Date.now()): Promise<void> {
    for (const entry of await readdir(this.dir).catch(() => [] as string[])) {
      const dir = path.join(this.dir, entry);
      const files = await readdir(dir).catch(() => [] as string[]);
      const times = await Promise.all(files.map((name) => modifiedMs(path.join(dir, name))));
      if (times.every((time) => now - time > maxAgeMs)) await rm(dir, { recursive: true, force: true });
    }
  }
}

/** A file's mtime in ms; 0 when it is gone. */
async function modifiedMs(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
}

/**
 * Why kept binaries cannot stand in for a link with these settings, or undefined when they can: UPX rewrites
 * each binary after the link, and an external (C) linker is not part of Go's build ID.
 */
export function linkReuseObstacle(
  settings: Pick<BuildSettings, 'cgo' | 'ldflags' | 'flags' | 'env'>,
  upx: boolean,
  goflags = process.env.GOFLAGS,
): string | undefined {
  if (upx) return 'UPX rewrites each binary after the link';
  if (settings.cgo) return 'with cgo a C linker links, and Go’s build ID does not cover it';
  const external = /-linkmode[= ]external/;
  if (
    [settings.ldflags, ...settings.flags, settings.env.GOFLAGS ?? '', goflags ?? ''].some((text) =>
      external.test(text),
    )
  )
    return '-linkmode=external: the C linker is not covered by Go’s build ID';
  return undefined;
}
