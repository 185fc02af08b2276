import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exec, info } from '@gin-deploy/action';
import type { DockerfileBuild } from './build.js';

export interface BuildahGlobal {
  /** vfs works everywhere, without fuse-overlayfs or kernel overlay support. */
  storageDriver: string;
  tlsVerify: boolean;
  /** A containers auth.json with the registry credentials, never passed on the command line. */
  authFile?: string;
}

export interface BudOptions {
  dockerfile: string;
  context: string;
  platform: string;
  tag: string;
  buildArgs: Record<string, string>;
  iidFile: string;
}

function registryFlags(global: BuildahGlobal): string[] {
  return [`--tls-verify=${global.tlsVerify}`, ...(global.authFile ? ['--authfile', global.authFile] : [])];
}

/** `buildah bud` of one platform, chroot isolation so no user namespaces or daemon are needed. */
export function budArgs(global: BuildahGlobal, options: BudOptions): string[] {
  const args = [
    '--storage-driver',
    global.storageDriver,
    'bud',
    '--isolation',
    'chroot',
    '--platform',
    options.platform,
  ];
  args.push(
    '--file',
    options.dockerfile,
    '--tag',
    options.tag,
    '--iidfile',
    options.iidFile,
    ...registryFlags(global),
  );
  for (const [key, value] of Object.entries(options.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  args.push(options.context);
  return args;
}

export function manifestCreateArgs(global: BuildahGlobal, list: string): string[] {
  return ['--storage-driver', global.storageDriver, 'manifest', 'create', list];
}

export function manifestAddArgs(global: BuildahGlobal, list: string, imageId: string): string[] {
  return ['--storage-driver', global.storageDriver, 'manifest', 'add', list, imageId];
}

export function manifestPushArgs(
  global: BuildahGlobal,
  list: string,
  destination: string,
  digestFile: string,
): string[] {
  return [
    '--storage-driver',
    global.storageDriver,
    'manifest',
    'push',
    '--all',
    '--digestfile',
    digestFile,
    ...registryFlags(global),
    list,
    destination,
  ];
}

const CLEANUP_COMMANDS = { manifest: ['manifest', 'rm'], rmi: ['rmi', '--force'], rm: ['rm'] } as const;

export function cleanupArgs(
  global: BuildahGlobal,
  kind: keyof typeof CLEANUP_COMMANDS,
  names: string[],
): string[] {
  return ['--storage-driver', global.storageDriver, ...CLEANUP_COMMANDS[kind], ...names];
}

/** The ids of buildah's working containers in the storage (a build that was stopped can leave its own). */
async function workingContainers(global: BuildahGlobal): Promise<string[]> {
  const listed = await exec(
    'buildah',
    ['--storage-driver', global.storageDriver, 'containers', '--quiet', '--notruncate'],
    { allowFailure: true, cleanup: true },
  );
  return listed.exitCode === 0 ? listed.stdout.split('\n').filter(Boolean) : [];
}

export interface BuildahAccess {
  /** False when any registry the build reaches is plain HTTP. */
  tlsVerify: boolean;
  /** Credentials of the registry the image goes to, written to a containers auth.json for the build. */
  credentials?: { domain: string; username: string; password: string };
}

/**
 * Builds each platform with buildah (vfs storage, chroot isolation: no daemon, no user namespaces), lists them,
 * and writes the list with all its images to the OCI layout; returns the list's digest.
 */
export async function buildWithBuildah(build: DockerfileBuild, access: BuildahAccess): Promise<string> {
  const global: BuildahGlobal = {
    storageDriver: 'vfs',
    tlsVerify: access.tlsVerify,
    authFile: access.credentials && writeAuthFile(build.temp, access.credentials),
  };
  // buildah's own temporary files (a layer being committed: hundreds of MB) go in the build's temporary folder,
  // which is removed however the build ends, instead of /var/tmp, where a stopped build would leave them.
  const tmpdir = path.join(build.temp, 'buildah-tmp');
  mkdirSync(tmpdir, { recursive: true });
  const run = (args: string[]) =>
    exec('buildah', args, {
      env: { TMPDIR: tmpdir },
      displayName: `buildah ${args[2]}${args[2] === 'manifest' ? ` ${args[3]}` : ''}`,
      missingHint: 'install buildah (apt-get install buildah) or use builder: docker or assemble',
      onStdout: (chunk) => process.stdout.write(chunk),
    });
  const suffix = `${process.pid}-${Date.now()}`;
  const list = `localhost/gin-deploy-list-${suffix}`;
  const images: string[] = [];
  const containersBefore = await workingContainers(global);
  let built = false;
  try {
    for (const platform of build.platforms) {
      const iidFile = path.join(build.temp, `iid-${platform.replace(/\//g, '-')}`);
      await run(
        budArgs(global, {
          dockerfile: build.dockerfile,
          context: build.context,
          platform,
          tag: `localhost/gin-deploy-build-${suffix}:${platform.replace(/\//g, '-')}`,
          buildArgs: build.buildArgs,
          iidFile,
        }),
      );
      images.push(readFileSync(iidFile, 'utf8').trim());
    }
    await run(manifestCreateArgs(global, list));
    for (const image of images) await run(manifestAddArgs(global, list, image));
    const digestFile = path.join(build.temp, 'digest');
    await run(manifestPushArgs(global, list, `oci:${build.layout}`, digestFile));
    const digest = readFileSync(digestFile, 'utf8').trim();
    info(`buildah wrote ${digest} for ${build.platforms.join(', ')} to ${build.layout}`);
    built = true;
    return digest;
  } finally {
    // cleanup: these run after a cancelled build too, so its images do not pile up in the runner's storage.
    await exec('buildah', cleanupArgs(global, 'manifest', [list]), { allowFailure: true, cleanup: true });
    if (images.length > 0)
      await exec('buildah', cleanupArgs(global, 'rmi', images), { allowFailure: true, cleanup: true });
    // A build stopped in its COMMIT (cancelled, killed) leaves its working container, hundreds of MB in vfs.
    const left = built
      ? []
      : (await workingContainers(global)).filter((id) => !containersBefore.includes(id));
    if (left.length > 0)
      await exec('buildah', cleanupArgs(global, 'rm', left), { allowFailure: true, cleanup: true });
  }
}

function writeAuthFile(
  temp: string,
  { domain, username, password }: NonNullable<BuildahAccess['credentials']>,
) {
  const file = path.join(temp, 'auth.json');
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  writeFileSync(file, JSON.stringify({ auths: { [domain]: { auth } } }), { mode: 0o600 });
  return file;
}
