import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { exec } from '@gin-deploy/action';

/**
 * Copies an image's linux/amd64 variant out of a (plain HTTP) registry with skopeo and unpacks it with umoci
 * into an OCI runtime bundle (`config.json` and `rootfs/`): independent clients checking what we pushed.
 * `toGzip`: skopeo decompresses every layer and writes it as gzip, for zstd layers that umoci 0.4 cannot read.
 */
export async function unpackImage(
  ref: string,
  layout: string,
  bundle: string,
  { toGzip = false }: { toGzip?: boolean } = {},
): Promise<void> {
  mkdirSync(path.dirname(layout), { recursive: true });
  mkdirSync(path.dirname(bundle), { recursive: true });
  await exec(
    'skopeo',
    [
      'copy',
      '--src-tls-verify=false',
      '--override-os',
      'linux',
      '--override-arch',
      'amd64',
      ...(toGzip ? ['--dest-compress', '--dest-compress-format', 'gzip'] : []),
      `docker://${ref}`,
      `oci:${layout}:unpack`,
    ],
    { timeoutMs: 120_000 },
  );
  // --rootless keeps file owners as the invoking user, so an unprivileged run unpacks too.
  await exec('umoci', ['unpack', '--rootless', '--image', `${layout}:unpack`, bundle], {
    timeoutMs: 120_000,
  });
}
