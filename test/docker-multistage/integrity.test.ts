// Issue 14 through the bundled action: the image holds exactly the bytes that were built, every file the step
// reads or writes stays in the workspace (or the runner temp folder), root is refused under strict, and tags
// move only after the image and its SBOM are complete, checked with skopeo against the real registry behind a
// fault-injecting proxy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ActionRun } from '@gin-deploy/runner';
import { describeRun, runBundledAction } from '../support/action.js';
import { freePort } from '../support/ports.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { RegistryProxy } from './proxy.js';
import { buildSample, inspectRaw, sha256Hex, skopeo, type ArtifactEntry } from './sample.js';

let registry: Registry;
let proxy: RegistryProxy;
let work: string;
let artifacts: ArtifactEntry[];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'dm-integrity-'));
  [registry, artifacts] = await Promise.all([
    startRegistry(),
    buildSample(path.join(work, 'bin'), '3.0.0', ['amd64']),
  ]);
  proxy = new RegistryProxy(registry.url);
  await proxy.start();
}, 10 * 60_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runBundledAction('docker-multistage', {
    workspace: work,
    inputs: { artifacts: JSON.stringify(artifacts), 'source-date-epoch': '1700000000', ...inputs },
  });
}

function expectOneError(result: ActionRun, ...parts: (string | RegExp)[]): void {
  expect([result.exitCode, result.errors.length]).toEqual([1, 1]);
  for (const part of parts) expect(result.errors[0]).toMatch(part);
}

/** skopeo, an independent client, finds no such tag. */
async function expectNoTag(reference: string): Promise<void> {
  await expect(skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${reference}`])).rejects.toThrow(
    /manifest unknown|name unknown|not found/i,
  );
}

describe('docker-multistage packs exactly the bytes that were built', () => {
  it('refuses artifacts whose sha256 is 64 zeros, naming the artifact, and pushes nothing', async () => {
    const zeros = artifacts.map((a) => ({ ...a, sha256: '0'.repeat(64) }));
    const result = await run({
      image: `${registry.host}/acme/zeros`,
      tags: 'v1',
      artifacts: JSON.stringify(zeros),
    });
    expectOneError(
      result,
      "input 'artifacts'",
      `the linux/amd64 binary ${artifacts[0].path} has sha256 ${artifacts[0].sha256}, not the ${'0'.repeat(64)}`,
    );
    await expectNoTag(`${registry.host}/acme/zeros:v1`);
  });

  it('refuses a size that is not the file size', async () => {
    const result = await run({
      image: `${registry.host}/acme/sized`,
      tags: 'v1',
      artifacts: JSON.stringify(artifacts.map((a) => ({ ...a, size: a.size + 1 }))),
    });
    expectOneError(
      result,
      "input 'artifacts'",
      `has size ${artifacts[0].size}, not the ${artifacts[0].size + 1}`,
    );
    await expectNoTag(`${registry.host}/acme/sized:v1`);
  });

  it('refuses an artifact path outside the workspace, even with matching facts', async () => {
    const passwd = readFileSync('/etc/passwd');
    const result = await run({
      image: `${registry.host}/acme/escape`,
      tags: 'v1',
      artifacts: JSON.stringify([
        {
          os: 'linux',
          arch: 'amd64',
          path: '../../../../../../etc/passwd',
          sha256: sha256Hex(passwd).slice(7),
          size: passwd.length,
        },
      ]),
    });
    expectOneError(
      result,
      "input 'artifacts': '../../../../../../etc/passwd' resolves to /etc/passwd, outside the workspace",
    );
    await expectNoTag(`${registry.host}/acme/escape:v1`);
  });

  it('puts the verified hashes in the SBOM, the summary and the metadata', async () => {
    const result = await run({ image: `${registry.host}/acme/verified`, tags: 'v1', sbom: 'true' });
    expect([result.exitCode, result.errors]).toEqual([0, []]);
    const sbom = JSON.parse(readFileSync(path.join(work, 'sbom.spdx.json'), 'utf8')) as {
      packages: { name: string; checksums?: { checksumValue: string }[] }[];
    };
    const sums = sbom.packages.flatMap((p) => p.checksums ?? []).map((c) => c.checksumValue);
    expect(sums).toContain(artifacts[0].sha256);
    expect(result.summary).toContain(artifacts[0].sha256);
    expect(JSON.parse(result.outputs.metadata)).toMatchObject({
      binaries: [{ platform: 'linux/amd64', sha256: artifacts[0].sha256, size: artifacts[0].size }],
    });
  });
});

describe('docker-multistage writes only inside the workspace or the runner temp folder', () => {
  it.each([
    ['sbom-file', '../../../../elsewhere/sbom.json', { sbom: 'true' }],
    ['sbom-file', '/var/tmp/gin-deploy-elsewhere/sbom.json', { sbom: 'true' }],
    ['output-dir', '../elsewhere-layout', { push: 'false' }],
  ])('refuses %s %s', async (input, value, extra) => {
    const result = await run({ image: `${registry.host}/acme/outside`, [input]: value, ...extra });
    expectOneError(
      result,
      `input '${input}': '${value}' resolves to`,
      'outside the workspace',
      'runner temp',
    );
    expect(existsSync(path.resolve(work, value))).toBe(false);
    expect(result.outputs.digest ?? '').toBe('');
  });
});

describe('docker-multistage applies one hardening policy to both builders', () => {
  it.each(['0:0', 'root', '0'])('refuses user %s for an assembled image under lint: strict', async (user) => {
    const result = await run({ image: `${registry.host}/acme/rooted`, tags: 'v1', user, lint: 'strict' });
    expectOneError(
      result,
      `input 'lint' is strict and input 'user': user ${user} runs the container as root`,
    );
    await expectNoTag(`${registry.host}/acme/rooted:v1`);
  });

  it('warns about root under lint: warn and still builds', async () => {
    const result = await run({ image: `${registry.host}/acme/rooted`, tags: 'warned', user: 'root' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings.join('\n')).toContain("input 'user': user root runs the container as root");
  });
});

describe('docker-multistage checks ranges and names the right input', () => {
  it('a port above 65535', async () => {
    expectOneError(
      await run({ image: `${registry.host}/acme/api`, port: '70000' }),
      "input 'port': '70000'",
      '1 to 65535',
    );
  });

  it('a source-date-epoch past what a date can hold', async () => {
    expectOneError(
      await run({ image: `${registry.host}/acme/api`, 'source-date-epoch': '99999999999999999999' }),
      "input 'source-date-epoch': '99999999999999999999' is not valid; expected whole seconds since 1970 from 0 to 253402300799",
    );
  });

  it('a platform listed twice blames platforms', async () => {
    expectOneError(
      await run({ image: `${registry.host}/acme/api`, platforms: 'linux/amd64,linux/amd64' }),
      "input 'platforms': linux/amd64 is listed twice",
    );
  });

  it('an unreachable base names base, host:port, path and the cause', async () => {
    const port = await freePort();
    const result = await run({
      image: `${registry.host}/acme/api`,
      base: `127.0.0.1:${port}/base/static:v1`,
    });
    expectOneError(
      result,
      `input 'base': 127.0.0.1:${port}/base/static:v1 could not be read`,
      `GET 127.0.0.1:${port} /v2/base/static/manifests/v1: connection refused`,
    );
  }, 60_000);

  it('a registry on a port fetch refuses says so', async () => {
    const result = await run({ image: '127.0.0.1:6000/acme/api', tags: 'v1' });
    expectOneError(result, 'HEAD 127.0.0.1:6000 /v2/acme/api/blobs/sha256:', 'port 6000', 'bad port');
  }, 60_000);
});

describe('docker-multistage moves tags last', () => {
  const image = () => `${proxy.host}/acme/tagged`;
  const direct = (tag: string) => `${registry.host}/acme/tagged:${tag}`;
  let before: string;

  beforeAll(async () => {
    proxy.clear();
    const first = await run({ image: image(), tags: 'v1,latest', sbom: 'true' });
    if (first.exitCode !== 0) throw new Error(describeRun(first));
    before = first.outputs.digest;
  }, 120_000);

  afterAll(() => proxy.clear());

  it('a tag PUT that keeps failing: digest and image-ref are written, the error and summary list moved and unmoved tags', async () => {
    proxy.clear();
    proxy.fail({ method: 'PUT', path: /\/manifests\/latest$/, times: Infinity, status: 500 });
    const result = await run({ image: image(), tags: 'v1,latest', sbom: 'true', labels: 'build=2' });
    const digest = result.outputs.digest;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(digest).not.toBe(before);
    expect(result.outputs['image-ref']).toBe(`${image()}@${digest}`);
    expect(result.outputs.tags).toBe(`${image()}:v1`);
    expectOneError(
      result,
      `@${digest} is pushed, but tag latest failed`,
      '500',
      'moved: v1; not moved: latest',
    );
    expect(result.summary).toMatch(/Tagging failed.*Moved: `v1`\. Not moved: `latest`/);
    // The image v1 points at is complete: its SBOM was attached before any tag moved.
    expect(sha256Hex((await inspectRaw(`docker://${direct('v1')}`)).raw)).toBe(digest);
    expect(sha256Hex((await inspectRaw(`docker://${direct('latest')}`)).raw)).toBe(before);
    const referrers = (await inspectRaw(`docker://${direct(digest.replace(':', '-'))}`)).json as {
      manifests: { artifactType: string }[];
    };
    expect(referrers.manifests.map((m) => m.artifactType)).toEqual(['application/spdx+json']);
  }, 120_000);

  it('an SBOM manifest PUT that keeps failing: no tag moves, the error names the SBOM, outputs and summary written', async () => {
    proxy.clear();
    const head = sha256Hex((await inspectRaw(`docker://${direct('v1')}`)).raw);
    proxy.fail({
      method: 'PUT',
      path: /\/manifests\/sha256:/,
      bodyIncludes: 'application/spdx+json',
      times: Infinity,
      status: 500,
    });
    const result = await run({ image: image(), tags: 'v1,latest', sbom: 'true', labels: 'build=3' });
    expectOneError(
      result,
      /the SBOM of .*acme\/tagged@sha256:[a-f0-9]{64} could not be attached/,
      '500',
      'no tag was moved',
    );
    const digest = result.outputs.digest;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(result.outputs['image-ref']).toBe(`${image()}@${digest}`);
    expect(result.summary).toContain('no tag was moved');
    expect(sha256Hex((await inspectRaw(`docker://${direct('v1')}`)).raw)).toBe(head);
    expect(sha256Hex((await inspectRaw(`docker://${direct('latest')}`)).raw)).toBe(before);
  }, 120_000);

  it('resets on every blob: the error names method, host:port, path and the reset; no tag moves', async () => {
    proxy.clear();
    const head = sha256Hex((await inspectRaw(`docker://${direct('v1')}`)).raw);
    proxy.fail({ method: 'HEAD', path: /\/blobs\//, times: Infinity, reset: true });
    proxy.fail({ method: 'PUT', path: /\/blobs\//, times: Infinity, reset: true });
    const result = await run({ image: image(), tags: 'v1,latest', labels: 'build=4' });
    expectOneError(
      result,
      `HEAD ${proxy.host} /v2/acme/tagged/blobs/sha256:`,
      /connection reset by the server \(ECONNRESET\)|the server closed the connection/,
    );
    expect(result.summary).toContain('Nothing was tagged');
    expect(sha256Hex((await inspectRaw(`docker://${direct('v1')}`)).raw)).toBe(head);
  }, 120_000);
});
