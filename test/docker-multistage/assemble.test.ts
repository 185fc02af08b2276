import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeRun, runBundledAction } from '../support/action.js';
import { freePort } from '../support/ports.js';
import { startRegistry, type Registry } from '../support/registry.js';
import {
  buildSample,
  inspectRaw,
  sha256Hex,
  skopeo,
  unpackFromRegistry,
  type ArtifactEntry,
} from './sample.js';
import { waitFor } from '../support/wait.js';

const EPOCH = 1_700_000_000;
/** The inputs of the release image, pushed once and written once as a layout: the digests must agree. */
const RELEASE = {
  tags: '1.2.3,latest',
  labels:
    'org.opencontainers.image.version=1.2.3\norg.opencontainers.image.source=https://example.com/acme/api',
  annotations: 'org.opencontainers.image.title=api',
  env: 'GIN_MODE=release',
};
let registry: Registry;
let work: string;
let artifacts: ArtifactEntry[];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'dm-assemble-'));
  [registry, artifacts] = await Promise.all([startRegistry(), buildSample(path.join(work, 'bin'), '1.2.3')]);
}, 10 * 60_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

function assemble(inputs: Record<string, string>, workspace = work) {
  return runBundledAction('docker-multistage', {
    workspace,
    inputs: {
      artifacts: JSON.stringify(artifacts),
      'source-date-epoch': String(EPOCH),
      ...inputs,
    },
  });
}

describe('docker-multistage builder: assemble', () => {
  let digest: string;
  const image = () => `${registry.host}/acme/api`;

  it('pushes a two-platform index whose amd64 image runs the service as nonroot', async () => {
    const run = await assemble({
      image: image(),
      ...RELEASE,
    });
    expect(run.exitCode).toBe(0);
    digest = run.outputs.digest;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(run.outputs['image-ref']).toBe(`${image()}@${digest}`);
    expect(run.outputs.image).toBe(image());
    expect(run.outputs.tags).toBe(`${image()}:1.2.3,${image()}:latest`);
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64');
    expect(JSON.parse(run.outputs.json)).toMatchObject({ digest, 'image-ref': `${image()}@${digest}` });

    // An independent client sees the index under both tags, byte for byte the digest the step reported.
    const { raw, json } = await inspectRaw(`docker://${image()}:1.2.3`);
    expect(sha256Hex(raw)).toBe(digest);
    expect((await inspectRaw(`docker://${image()}:latest`)).raw).toBe(raw);
    expect(json.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const manifests = json.manifests as { platform: { os: string; architecture: string } }[];
    expect(manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    expect(json.annotations).toEqual({
      'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
      'org.opencontainers.image.title': 'api',
    });

    // Sizes: compressed config + layers per platform, and the image is no bigger than the binary + 512 KiB.
    const sizes = JSON.parse(run.outputs.size) as Record<string, number>;
    for (const artifact of artifacts) {
      expect(sizes[`linux/${artifact.arch}`]).toBeGreaterThan(0);
      expect(sizes[`linux/${artifact.arch}`]).toBeLessThanOrEqual(artifact.size + 512 * 1024);
    }

    const config = JSON.parse(
      await skopeo(['inspect', '--config', '--tls-verify=false', `docker://${image()}@${digest}`]),
    ) as { config: Record<string, unknown>; created: string; architecture: string };
    expect(config.architecture).toBe('amd64');
    expect(config.created).toBe('2023-11-14T22:13:20Z');
    expect(config.config).toMatchObject({
      User: '65532:65532',
      Entrypoint: ['/usr/local/bin/api'],
      ExposedPorts: { '8080/tcp': {} },
      Labels: {
        'org.opencontainers.image.version': '1.2.3',
        'org.opencontainers.image.source': 'https://example.com/acme/api',
      },
    });
    expect(config.config.Env).toEqual(
      expect.arrayContaining(['GIN_MODE=release', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt']),
    );

    const bundle = await unpackFromRegistry(`${image()}@${digest}`, path.join(work, 'unpack'));
    const rootfs = path.join(bundle, 'rootfs');
    const runtime = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as {
      process: { user: { uid: number; gid: number }; args: string[] };
    };
    expect(runtime.process.user).toMatchObject({ uid: 65532, gid: 65532 });
    expect(runtime.process.args).toEqual(['/usr/local/bin/api']);
    const binary = path.join(rootfs, 'usr/local/bin/api');
    expect(statSync(binary).mode & 0o7777).toBe(0o555);
    expect(readFileSync(path.join(rootfs, 'etc/passwd'), 'utf8')).toContain(
      'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin',
    );
    expect(readFileSync(path.join(rootfs, 'etc/group'), 'utf8')).toContain('nonroot:x:65532:');
    expect(readFileSync(path.join(rootfs, 'etc/ssl/certs/ca-certificates.crt'))).toEqual(
      readFileSync('/etc/ssl/certs/ca-certificates.crt'),
    );
    expect(statSync(path.join(rootfs, 'tmp')).mode & 0o7777).toBe(0o1777);

    const port = await freePort();
    const service = spawn(binary, [], {
      env: { PORT: String(port), PATH: '/usr/bin:/bin' },
      stdio: 'ignore',
    });
    try {
      const body = await pollJson(`http://127.0.0.1:${port}/ping`, 15_000);
      expect(body).toMatchObject({ version: '1.2.3' });
    } finally {
      service.kill('SIGKILL');
    }

    expect(run.summary).toContain(`docker pull ${image()}@${digest}`);
    expect(run.summary).toContain('linux/arm64');
  }, 240_000);

  it('attaches an SPDX SBOM of the Go modules that refers to the index', async () => {
    const sbom = JSON.parse(readFileSync(path.join(work, 'sbom.spdx.json'), 'utf8')) as {
      spdxVersion: string;
      packages: { name: string; versionInfo?: string; primaryPackagePurpose?: string }[];
      relationships: { relationshipType: string }[];
    };
    expect(sbom.spdxVersion).toBe('SPDX-2.3');
    expect(sbom.packages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'github.com/gin-gonic/gin', versionInfo: 'v1.11.0' }),
        expect.objectContaining({
          name: 'github.com/gin-deploy/sample-api',
          primaryPackagePurpose: 'APPLICATION',
        }),
        expect.objectContaining({ name: 'stdlib' }),
      ]),
    );
    // The registry (distribution 2.8) has no referrers API: the SBOM is found through the fallback tag.
    const referrers = (await inspectRaw(`docker://${image()}:${digest.replace(':', '-')}`)).json as {
      manifests: { digest: string; artifactType: string }[];
    };
    expect(referrers.manifests).toHaveLength(1);
    expect(referrers.manifests[0].artifactType).toBe('application/spdx+json');
    const artifact = (await inspectRaw(`docker://${image()}@${referrers.manifests[0].digest}`)).json as {
      subject: { digest: string };
      layers: { mediaType: string; digest: string }[];
    };
    expect(artifact.subject.digest).toBe(digest);
    expect(artifact.layers[0].mediaType).toBe('application/spdx+json');
    expect(artifact.layers[0].digest).toBe(sha256Hex(readFileSync(path.join(work, 'sbom.spdx.json'))));
  });

  it('gives the same digest for the same inputs, and writes the same image as an OCI layout when not pushing', async () => {
    const first = await assemble({ image: image(), tags: '1.2.3-again' });
    expect(first.exitCode).toBe(0);
    const again = await assemble({ image: image(), tags: '1.2.3-again' });
    expect(again.outputs.digest).toBe(first.outputs.digest);
    expect(again.stdout).toMatch(/0 blobs uploaded, 0 mounted, \d+ already there/);

    const layout = await assemble({
      image: image(),
      ...RELEASE,
      push: 'false',
      'output-dir': 'out/layout',
    });
    expect(layout.exitCode).toBe(0);
    expect(layout.outputs.digest).toBe(digest);
    const raw = await skopeo(['inspect', '--raw', `oci:${path.join(work, 'out/layout')}:1.2.3`]);
    expect(sha256Hex(raw)).toBe(digest);
    expect(JSON.parse(layout.outputs.metadata)).toMatchObject({
      pushed: false,
      'containerimage.digest': digest,
    });
  }, 180_000);

  it('adds tzdata and assembles onto a base image pulled by digest, mounting its layers', async () => {
    const base = await assemble({
      image: `${registry.host}/base/static`,
      tags: 'v1',
      entrypoint: '/usr/local/bin/base',
      'binary-name': 'base',
      tzdata: 'true',
      sbom: 'false',
      env: 'TZ=UTC',
    });
    expect(base.exitCode).toBe(0);
    const baseDigest = base.outputs.digest;

    const run = await assemble({
      image: `${registry.host}/acme/on-base`,
      tags: 'v1',
      base: `${registry.host}/base/static@${baseDigest}`,
      sbom: 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/blobs uploaded, [1-9]\d* mounted/);
    const { json } = await inspectRaw(`docker://${registry.host}/acme/on-base:v1`);
    expect(json.annotations).toMatchObject({
      'org.opencontainers.image.base.name': `${registry.host}/base/static`,
      'org.opencontainers.image.base.digest': baseDigest,
    });
    const bundle = await unpackFromRegistry(
      `${registry.host}/acme/on-base@${run.outputs.digest}`,
      path.join(work, 'unpack-base'),
    );
    const rootfs = path.join(bundle, 'rootfs');
    expect(statSync(path.join(rootfs, 'usr/local/bin/base')).isFile()).toBe(true);
    expect(statSync(path.join(rootfs, 'usr/local/bin/on-base')).mode & 0o7777).toBe(0o555);
    expect(
      readFileSync(path.join(rootfs, 'usr/share/zoneinfo/Europe/Berlin')).subarray(0, 4).toString(),
    ).toBe('TZif');
    const config = JSON.parse(
      await skopeo([
        'inspect',
        '--config',
        '--tls-verify=false',
        `docker://${registry.host}/acme/on-base:v1`,
      ]),
    ) as { config: { Env: string[]; Entrypoint: string[] }; rootfs: { diff_ids: string[] } };
    expect(config.config.Env).toContain('TZ=UTC');
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/on-base']);
    expect(config.rootfs.diff_ids).toHaveLength(3);

    // Without pushing, the layout holds the base's layers too: skopeo can copy every platform out of it.
    const layout = await assemble({
      image: `${registry.host}/acme/on-base`,
      tags: 'v1',
      base: `${registry.host}/base/static@${baseDigest}`,
      sbom: 'false',
      push: 'false',
      'output-dir': 'out/on-base',
    });
    expect(layout.outputs.digest).toBe(run.outputs.digest);
    await skopeo([
      'copy',
      '--all',
      `oci:${path.join(work, 'out/on-base')}:v1`,
      `dir:${path.join(work, 'out/on-base-copy')}`,
    ]);
    expect(describeRun(run)).toContain('base ');
  }, 180_000);
});

function pollJson(url: string, timeoutMs: number): Promise<unknown> {
  return waitFor(
    `${url} to answer`,
    timeoutMs,
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      return response.ok ? ((await response.json()) as unknown) : undefined;
    },
    100,
  );
}
