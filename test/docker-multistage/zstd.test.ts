// compression: zstd through the bundled action under Node 24 against the real registry, read back by
// independent clients (skopeo copy decompresses it, umoci unpacks); without zstd the step fails on one line.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as zlib from 'node:zlib';
import { describeRun, runBundledAction } from '../support/action.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { unpackImage } from '../support/unpack-image.js';
import { buildSample, inspectRaw, sha256Hex, type ArtifactEntry } from './sample.js';

let registry: Registry;
let work: string;
let artifacts: ArtifactEntry[];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'dm-zstd-'));
  [registry, artifacts] = await Promise.all([startRegistry(), buildSample(path.join(work, 'bin'), '1.2.3')]);
}, 10 * 60_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

const inputs = () => ({
  image: `${registry.host}/acme/zstd`,
  artifacts: JSON.stringify(artifacts),
  tags: 'v1',
  compression: 'zstd',
  'source-date-epoch': '1700000000',
});

describe('docker-multistage compression: zstd', () => {
  it('pushes zstd layers that skopeo copies and umoci unpacks to the same binary', async () => {
    const run = await runBundledAction('docker-multistage', { workspace: work, inputs: inputs() });
    if (run.exitCode !== 0) throw new Error(describeRun(run));
    const { raw } = await inspectRaw(`docker://${registry.host}/acme/zstd:v1`);
    expect(sha256Hex(raw)).toBe(run.outputs.digest);
    const amd64 = (JSON.parse(raw) as { manifests: { digest: string }[] }).manifests[0].digest;
    const manifest = (await inspectRaw(`docker://${registry.host}/acme/zstd@${amd64}`)).json as {
      layers: { mediaType: string }[];
    };
    expect(manifest.layers.map((layer) => layer.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar+zstd',
      'application/vnd.oci.image.layer.v1.tar+zstd',
    ]);
    expect(run.summary).toMatch(/Layers \(zstd\): 3 compressed, [\d.]+ MiB → [\d.]+ MiB in [\d.]+ s\./);

    // skopeo reads (decompresses) the zstd layers and hands umoci 0.4, which has no zstd, gzip ones; the
    // uncompressed bytes must still match the diff_ids umoci checks.
    const bundle = path.join(work, 'bundle');
    await unpackImage(`${registry.host}/acme/zstd:v1`, path.join(work, 'layout'), bundle, { toGzip: true });
    const binary = readFileSync(path.join(bundle, 'rootfs/usr/local/bin/zstd'));
    expect(createHash('sha256').update(binary).digest('hex')).toBe(artifacts[0].sha256);
    expect(readFileSync(path.join(bundle, 'rootfs/etc/passwd'), 'utf8')).toContain('nonroot:x:65532');
  }, 120_000);

  // The jest process's own Node.js, when it is one without zstd (Node 20 here; skipped on a newer one).
  const withoutZstd = typeof (zlib as Record<string, unknown>).createZstdCompress !== 'function';
  (withoutZstd ? it : it.skip)(
    'fails on one line naming the input under a Node.js without zstd',
    async () => {
      const run = await runBundledAction('docker-multistage', {
        workspace: work,
        inputs: inputs(),
        node: process.execPath,
      });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([
        `input 'compression': zstd needs Node.js 22.15 or later (zstd in zlib), this step runs on ${process.version}; use gzip or the action's node24 runtime`,
      ]);
    },
  );
});
