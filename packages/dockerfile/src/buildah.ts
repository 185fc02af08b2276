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

export function cleanupArgs(global: BuildahGlobal, kind: 'manifest' | 'rmi', names: string[]): string[] {
  return [
    '--storage-driver',
    global.storageDriver,
    ...(kind === 'manifest' ? ['manifest', 'rm'] : ['rmi', '--force']),
    ...names,
  ];
}
