// Test support: no public image can be pulled here, so the buildah tests make their own Go builder image from
// the machine's Go toolchain (GOROOT) and a minimal root filesystem (sh, cp, mkdir, chmod and their libraries),
// pushed to the local registry with the project's own OCI client.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import {
  buildLayer,
  jsonBlob,
  MediaType,
  RegistryClient,
  treeEntries,
  type ImageConfig,
  type ImageManifest,
  type TarEntry,
} from '@gin-deploy/oci';

const TOOLS = ['/bin/sh', '/bin/cp', '/bin/mkdir', '/bin/chmod'];

function hostFile(path: string, inImage = path, mode = 0o755): TarEntry {
  return { path: inImage, type: 'file', mode, data: readFileSync(realpathSync(path)) };
}

function libraries(binaries: string[]): string[] {
  const libs = new Set<string>();
  for (const binary of binaries) {
    const output = execFileSync('ldd', [realpathSync(binary)], { encoding: 'utf8' });
    for (const match of output.matchAll(/(\/[^\s]+\.so[^\s]*)/g)) libs.add(match[1]);
  }
  return [...libs].sort();
}

/** Pushes `<host>/tools/golang:<tag>` (linux/amd64) and returns its reference. */
export async function pushGoBuilderImage(host: string, tag = '1.26'): Promise<string> {
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const rootfs: TarEntry[] = [
    ...TOOLS.map((tool) => hostFile(tool)),
    // The dynamic loader must be executable, so libraries keep 0755 as on the host.
    ...libraries(TOOLS).map((lib) => hostFile(lib)),
    hostFile('/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/certs/ca-certificates.crt', 0o644),
    { path: 'etc/passwd', type: 'file', mode: 0o644, data: Buffer.from('root:x:0:0:root:/root:/bin/sh\n') },
    { path: 'etc/group', type: 'file', mode: 0o644, data: Buffer.from('root:x:0:\n') },
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'go', type: 'dir', mode: 0o755 },
  ];
  const layers = await Promise.all([
    buildLayer(rootfs, 0),
    buildLayer(treeEntries(goroot, 'usr/local/go', ['test', 'doc', 'api', 'misc']), 0),
  ]);
  const config: ImageConfig = {
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/go/bin:/bin', 'GOTOOLCHAIN=local', 'GOPATH=/go', 'HOME=/root'],
      WorkingDir: '/',
    },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
  };
  const configBlob = jsonBlob(config, MediaType.config);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.manifest,
    config: configBlob.descriptor,
    layers: layers.map((layer) => layer.descriptor),
  };
  const manifestBlob = jsonBlob(manifest, MediaType.manifest);
  const client = new RegistryClient(host);
  for (const blob of [...layers, configBlob])
    await client.pushBlob('tools/golang', blob.descriptor, async () => blob.data);
  await client.putManifest('tools/golang', tag, manifestBlob.data, MediaType.manifest);
  return `${host}/tools/golang:${tag}`;
}
