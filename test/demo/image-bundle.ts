import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { unpackImage } from '../support/unpack-image.js';

export interface ImageBundle {
  /** Absolute path of the program to run, inside the unpacked root filesystem. */
  program: string;
  args: string[];
  env: string[];
}

/**
 * Pulls an image's linux/amd64 variant with skopeo and unpacks it with umoci into a runtime bundle, once per
 * reference; the demo kubelet runs the bundle's entrypoint as a host process.
 */
export async function imageBundle(image: string, cacheDir: string): Promise<ImageBundle> {
  const key = image.replace(/[^A-Za-z0-9._-]/g, '_');
  const layout = path.join(cacheDir, 'layouts', key);
  const bundle = path.join(cacheDir, 'bundles', key);
  if (!existsSync(path.join(bundle, 'config.json'))) {
    rmSync(layout, { recursive: true, force: true });
    rmSync(bundle, { recursive: true, force: true });
    await unpackImage(image, layout, bundle);
  }
  const spec = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as {
    process: { args: string[]; env?: string[] };
  };
  const [entry, ...args] = spec.process.args;
  return { program: path.join(bundle, 'rootfs', entry), args, env: spec.process.env ?? [] };
}
