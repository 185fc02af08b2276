import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { TarEntry } from './tar.js';

/** The non-root user distroless and Chainguard images use. */
export const NONROOT_UID = 65532;

export const PASSWD = `root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:${NONROOT_UID}:${NONROOT_UID}:nonroot:/home/nonroot:/sbin/nologin
`;

export const GROUP = `root:x:0:
nobody:x:65534:
nonroot:x:${NONROOT_UID}:
`;

export interface ScratchOptions {
  /** The CA bundle to copy to /etc/ssl/certs/ca-certificates.crt. */
  caCertificates?: string;
  /** A zoneinfo folder to copy to /usr/share/zoneinfo. */
  zoneinfo?: string;
}

export const HOST_CA_CERTIFICATES = '/etc/ssl/certs/ca-certificates.crt';
export const HOST_ZONEINFO = '/usr/share/zoneinfo';

/** What a Go HTTPS service needs on `scratch`: CA certificates, users and groups, a home, /tmp, maybe tzdata. */
export function scratchEntries(options: ScratchOptions): TarEntry[] {
  const entries: TarEntry[] = [
    { path: 'etc/passwd', type: 'file', mode: 0o644, data: Buffer.from(PASSWD) },
    { path: 'etc/group', type: 'file', mode: 0o644, data: Buffer.from(GROUP) },
    { path: 'home/nonroot', type: 'dir', mode: 0o700, uid: NONROOT_UID, gid: NONROOT_UID },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
  ];
  if (options.caCertificates) {
    entries.push({
      path: 'etc/ssl/certs/ca-certificates.crt',
      type: 'file',
      mode: 0o644,
      data: readFileSync(options.caCertificates),
    });
  }
  // right/ holds the leap-second variants, which Go's time package never reads.
  if (options.zoneinfo) entries.push(...treeEntries(options.zoneinfo, 'usr/share/zoneinfo', ['right']));
  return entries;
}

/** Files, directories and symlinks of a host folder as root-owned entries; `skip` names top-level folders to leave out. */
export function treeEntries(hostDir: string, layerDir: string, skip: string[] = []): TarEntry[] {
  const entries: TarEntry[] = [{ path: layerDir, type: 'dir', mode: 0o755 }];
  for (const name of readdirSync(hostDir).sort()) {
    if (skip.includes(name)) continue;
    const full = path.join(hostDir, name);
    const target = `${layerDir}/${name}`;
    const stat = lstatSync(full);
    if (stat.isDirectory()) entries.push(...treeEntries(full, target));
    else if (stat.isSymbolicLink())
      entries.push({ path: target, type: 'symlink', mode: 0o777, linkname: readlinkSync(full) });
    else if (stat.isFile())
      entries.push({
        path: target,
        type: 'file',
        mode: stat.mode & 0o111 ? 0o755 : 0o644,
        data: readFileSync(full),
      });
  }
  return entries;
}
