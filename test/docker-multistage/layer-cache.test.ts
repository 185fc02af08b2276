// The layer cache through the bundled action against a real registry: a second run of the same inputs
// compresses and uploads nothing and gives the same digest; a cache entry naming a blob the registry lacks
// falls back to compressing. skopeo and umoci read the image made from cached layers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LayerStats } from '@gin-deploy/oci';
import type { ActionRun } from '@gin-deploy/runner';
import { describeRun, runBundledAction } from '../support/action.js';
import { startActionsCacheService } from './actions-cache-service.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { buildSample, inspectRaw, sha256Hex, unpackFromRegistry, type ArtifactEntry } from './sample.js';

let registry: Registry;
let work: string;
let toolCache: string;
let artifacts: ArtifactEntry[];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'dm-layer-cache-'));
  toolCache = path.join(work, 'tool-cache');
  [registry, artifacts] = await Promise.all([startRegistry(), buildSample(path.join(work, 'bin'), '1.2.3')]);
}, 10 * 60_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function assemble(
  tag: string,
  { repo = 'acme/cached', env = { RUNNER_TOOL_CACHE: toolCache } as Record<string, string> } = {},
): Promise<{ run: ActionRun; layers: LayerStats }> {
  const run = await runBundledAction('docker-multistage', {
    workspace: work,
    inputs: {
      image: `${registry.host}/${repo}`,
      artifacts: JSON.stringify(artifacts),
      tags: tag,
      'source-date-epoch': '1700000000',
    },
    env,
  });
  if (run.exitCode !== 0) throw new Error(describeRun(run));
  return { run, layers: (JSON.parse(run.outputs.metadata) as { layers: LayerStats }).layers };
}

const cacheDir = () => path.join(toolCache, 'gin-deploy', 'layers');
const entries = () => readdirSync(cacheDir()).filter((name) => name.endsWith('.json'));

describe('docker-multistage layer cache', () => {
  let first: Awaited<ReturnType<typeof assemble>>;

  it('compresses every layer on the first run and records each in the runner tool cache', async () => {
    first = await assemble('v1');
    // The scratch rootfs and one binary layer per platform.
    expect(first.layers).toMatchObject({ compression: 'gzip', compressed: 3, reused: 0, missing: 0 });
    // Three layers and two configs.
    expect(first.run.stdout).toContain(': 5 blobs uploaded, 0 mounted, 0 already there');
    expect(entries()).toHaveLength(3);
  });

  it('compresses and uploads nothing on the second run, and gives the same digest', async () => {
    const second = await assemble('v2');
    expect(second.layers).toMatchObject({ compressed: 0, reused: 3, missing: 0, compressMs: 0 });
    expect(second.run.outputs.digest).toBe(first.run.outputs.digest);
    expect(second.run.stdout).toContain(': 0 blobs uploaded, 0 mounted, 5 already there');
    expect(second.run.summary).toContain(
      'Layers (gzip): none compressed; 3 reused from the layer cache (already in the registry).',
    );
    // Independent clients read the tag the second run moved, down to the binary.
    const { raw } = await inspectRaw(`docker://${registry.host}/acme/cached:v2`);
    expect(sha256Hex(raw)).toBe(first.run.outputs.digest);
    const bundle = await unpackFromRegistry(`${registry.host}/acme/cached:v2`, path.join(work, 'unpack'));
    const binary = readFileSync(path.join(bundle, 'rootfs/usr/local/bin/cached'));
    expect(createHash('sha256').update(binary).digest('hex')).toBe(artifacts[0].sha256);
  }, 120_000);

  it('compresses again when a cached digest is not in the registry, and repairs the cache', async () => {
    const bogus = sha256Hex('not a layer');
    const good = new Map<string, string>();
    for (const name of entries()) {
      const file = path.join(cacheDir(), name);
      const text = readFileSync(file, 'utf8');
      good.set(name, text);
      const entry = JSON.parse(text) as { descriptor: { digest: string } };
      entry.descriptor.digest = bogus;
      writeFileSync(file, JSON.stringify(entry));
    }
    const third = await assemble('v3');
    expect(third.layers).toMatchObject({ compressed: 3, reused: 0, missing: 3 });
    expect(third.run.outputs.digest).toBe(first.run.outputs.digest);
    expect(third.run.summary).toContain('3 cached but not in the registry, so compressed again');
    for (const [name, text] of good) expect(readFileSync(path.join(cacheDir(), name), 'utf8')).toBe(text);
  }, 120_000);
});

describe('docker-multistage layer cache in the Actions cache', () => {
  it('carries the entries to a run on an empty tool cache, which then compresses and uploads nothing', async () => {
    const service = await startActionsCacheService();
    try {
      // Two runners, each with an empty tool cache and a RUNNER_TEMP of its own (act makes new ones for every
      // run): the carried entry is still found, since its path does not depend on them.
      const runner = (name: string) => ({
        RUNNER_TOOL_CACHE: path.join(work, name),
        RUNNER_TEMP: path.join(work, `${name}-temp`),
        RUNNER_OS: 'Linux',
        ACTIONS_CACHE_URL: service.url,
        ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      });
      const metadata = (run: ActionRun) =>
        JSON.parse(run.outputs.metadata) as { 'layer-cache': { state: string; key: string } };
      const first = await assemble('v1', { repo: 'acme/carried', env: runner('first-runner') });
      expect(first.layers).toMatchObject({ compressed: 3, reused: 0 });
      if (metadata(first.run)['layer-cache'].state !== 'saved') throw new Error(describeRun(first.run));
      expect(metadata(first.run)['layer-cache'].state).toBe('saved');
      const key = metadata(first.run)['layer-cache'].key;
      expect(key).toMatch(/^gin-deploy-layers-v1-Linux-gzip-[a-f0-9]{32}$/);
      expect(service.keys()).toEqual([key]);
      expect(first.run.stdout).toContain(`layer cache: saved 3 entries as ${key}`);

      const second = await assemble('v2', { repo: 'acme/carried', env: runner('second-runner') });
      expect(second.run.stdout).toContain(`layer cache: 3 entries restored from the Actions cache (${key})`);
      expect(second.layers).toMatchObject({ compressed: 0, reused: 3, missing: 0 });
      expect(second.run.stdout).toContain(': 0 blobs uploaded, 0 mounted, 5 already there');
      expect(second.run.outputs.digest).toBe(first.run.outputs.digest);
      // skopeo reads the tag the second run moved as that digest.
      const { raw } = await inspectRaw(`docker://${registry.host}/acme/carried:v2`);
      expect(sha256Hex(raw)).toBe(first.run.outputs.digest);
      // An exact hit is not saved again.
      expect(metadata(second.run)['layer-cache'].state).toBe('unchanged');
      expect(service.keys()).toEqual([key]);
      // Nothing of the carried entries is left in the workspace.
      expect(existsSync(path.join(work, '.gin-deploy-layers-carried'))).toBe(false);
    } finally {
      await service.stop();
    }
  }, 180_000);
});
