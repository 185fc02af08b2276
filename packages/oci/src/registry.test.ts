import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startRegistry, type Registry } from '../../../test/support/registry.js';
import { digestOf, jsonBlob } from './image.js';
import { MediaType } from './media-types.js';
import { isPlainHttp, registryBaseUrl, RegistryClient } from './registry.js';

describe('registryBaseUrl', () => {
  it('uses plain HTTP only for loopback hosts and the listed insecure registries', () => {
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
    expect(registryBaseUrl('reg.lan:5000', ['reg.lan:5000'])).toBe('http://reg.lan:5000');
    expect(isPlainHttp('reg.lan:5000')).toBe(false);
  });
});

describe('RegistryClient against docker-registry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('uploads in chunks, skips existing blobs, mounts across repositories and reads back', async () => {
    const client = new RegistryClient(registry.host, { chunkSize: 64 * 1024 });
    const data = randomBytes(200 * 1024 + 17);
    const descriptor = { mediaType: MediaType.layerGzip, digest: digestOf(data), size: data.length };
    expect(await client.pushBlob('unit/a', descriptor, async () => data)).toBe('uploaded');
    expect(await client.pushBlob('unit/a', descriptor, async () => data)).toBe('exists');
    expect(await client.pushBlob('unit/b', descriptor, async () => data, 'unit/a')).toBe('mounted');
    expect((await client.getBlob('unit/b', descriptor.digest)).equals(data)).toBe(true);

    const config = jsonBlob(
      { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } },
      MediaType.config,
    );
    await client.pushBlob('unit/b', config.descriptor, async () => config.data);
    const manifest = jsonBlob(
      { schemaVersion: 2, mediaType: MediaType.manifest, config: config.descriptor, layers: [descriptor] },
      MediaType.manifest,
    );
    const put = await client.putManifest('unit/b', 't1', manifest.data, MediaType.manifest);
    expect(put.digest).toBe(manifest.descriptor.digest);
    const got = await client.getManifest('unit/b', 't1');
    expect(got).toEqual({
      mediaType: MediaType.manifest,
      digest: manifest.descriptor.digest,
      data: manifest.data,
    });
    expect(await client.listTags('unit/b')).toEqual(['t1']);
    expect(await client.listTags('unit/none')).toEqual([]);
  });

  it('refuses to push a manifest whose blobs are missing', async () => {
    const client = new RegistryClient(registry.host);
    const missing = { mediaType: MediaType.config, digest: digestOf('nope'), size: 4 };
    const manifest = jsonBlob(
      { schemaVersion: 2, mediaType: MediaType.manifest, config: missing, layers: [] },
      MediaType.manifest,
    );
    await expect(client.putManifest('unit/c', 'x', manifest.data, MediaType.manifest)).rejects.toThrow(
      /PUT manifest unit\/c:x failed: 400/,
    );
  });
});
