import { link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { toolCacheDir } from '@gin-deploy/action/runner-context';
import { sha256 } from './checksums.js';
import { targetLabel, type Target } from './targets.js';

/** A kept binary put in place of a build's output before `go build` runs. */
export interface LinkedOffer {
  /** The store's entry folder the binary came from. */
  entry: string;
  /** The sha256 the binary had when it was kept (its file name in the entry). */
  sha256: string;
  /** The kept file's identity (the output is a hard link to it): go build replaces the output when it links. */
  dev: number;
  ino: number;
}

/**
 * The last binary linked for each target of each package, kept in the runner's tool cache, so that a target
 * whose inputs did not change since the last build on this runner is not linked again.
 *
 * Go stamps each binary with a build ID that begins with the hash of everything its link reads (the link's
 * action ID), and `go build -o FILE` leaves FILE alone when it already carries the build ID this build would
 * give it (cmd/go/internal/work/buildid.go, `useCache`). The store only offers a candidate; Go decides whether
 * it is current and links again when it is not, replacing the file (it removes a regular file before writing,
 * so the kept binary, hard-linked in place, is never written through; when it is current it only touches the
 * file's times). The caller hashes an offered binary that Go kept and gives it up when the hash is not the one it
 * was kept under, so a kept binary changed in place by a later step is never handed on.
 *
 * One entry per package, target and file name: `-X` flags that change with every commit replace the entry's
 * binary rather than add one, so the store holds one binary per target.
 */
export class LinkedBinaryStore {
  constructor(readonly dir: string = toolCacheDir('go-binaries')) {}

  /** The entry folder for a target of the package built in cwd into a file named like file. */
  entryFor(cwd: string, pkg: string, target: Target, file: string): string {
    const key = JSON.stringify([path.resolve(cwd), pkg, targetLabel(target), path.basename(file)]);
    return path.join(this.dir, sha256(key).slice(0, 32));
  }

  /**
   * Hard-links the entry's binary at file; undefined when the entry holds none or the store is on another file
   * system. Only a hard link is offered: while the store holds the same inode, no file go build writes can get
   * its number, so an unchanged inode number proves go build left the file alone (it touches its times).
   */
  async offer(entry: string, file: string): Promise<LinkedOffer | undefined> {
    const names = await readdir(entry).catch(() => [] as string[]);
    const kept = names.find((name) => /^[0-9a-f]{64}$/.test(name));
    if (!kept) return undefined;
    try {
      await rm(file, { force: true });
      await link(path.join(entry, kept), file);
      const facts = await stat(file);
      return { entry, sha256: kept, dev: facts.dev, ino: facts.ino };
    } catch {
      await rm(file, { force: true });
      return undefined;
    }
  }

  /** Whether file is still the offered binary: go build found it current and did not link. */
  static untouched(offer: LinkedOffer, facts: { dev: number; ino: number }): boolean {
    return facts.dev === offer.dev && facts.ino === offer.ino;
  }

  /**
   * Makes file (whose content hashes to fileSha256) the entry's binary, replacing the one kept before, as a
   * hard link; nothing is kept when the store is on another file system than the output.
   */
  async keep(entry: string, file: string, fileSha256: string): Promise<void> {
    await mkdir(entry, { recursive: true });
    const temporary = path.join(entry, `.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
    try {
      await link(file, temporary);
      await rename(temporary, path.join(entry, fileSha256));
    } catch {
      return;
    } finally {
      await rm(temporary, { force: true });
    }
    for (const name of await readdir(entry))
      if (name !== fileSha256 && !name.startsWith('.')) await rm(path.join(entry, name), { force: true });
  }

  /** Drops an entry whose binary is not what it was kept as. */
  async drop(entry: string): Promise<void> {
    await rm(entry, { recursive: true, force: true });
  }
}
