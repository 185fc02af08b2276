import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ActionRun } from '@gin-deploy/runner';
import { describeRun, runBundledAction } from '../support/action.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { RegistryProxy } from './proxy.js';
import { buildSample, inspectRaw, sha256Hex, type ArtifactEntry } from './sample.js';

const USER = 'ci';
const PASSWORD = 'c0rrect-Horse-9f3a';
const WRONG = 'wr0ng-Battery-71cd';

let work: string;
let artifacts: ArtifactEntry[];
let open: Registry;
let secured: Registry;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'dm-bad-'));
  [open, secured, artifacts] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: { username: USER, password: PASSWORD } }),
    buildSample(path.join(work, 'bin'), '2.0.0', ['amd64']),
  ]);
}, 10 * 60_000);

afterAll(async () => {
  await Promise.all([open?.stop(), secured?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runBundledAction('docker-multistage', {
    workspace: work,
    inputs: { artifacts: JSON.stringify(artifacts), sbom: 'false', ...inputs },
  });
}

function expectOneError(result: ActionRun, ...parts: (string | RegExp)[]): void {
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  for (const part of parts) expect(result.errors[0]).toMatch(part);
}

/** Everything the step printed, except the runner's own mask registrations. */
function printed(result: ActionRun): string {
  return (result.stdout + result.stderr)
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

describe('docker-multistage rejects bad input with one clear error', () => {
  it('an artifacts list without any linux target', async () => {
    const result = await run({
      image: `${open.host}/acme/api`,
      artifacts: JSON.stringify([
        { os: 'darwin', arch: 'arm64', path: 'bin/api_darwin_arm64', sha256: 'x', size: 1 },
        { os: 'windows', arch: 'amd64', path: 'bin/api.exe', sha256: 'x', size: 1 },
      ]),
    });
    expectOneError(result, "input 'artifacts'", 'no linux target among darwin/arm64, windows/amd64');
  });

  it('an image name that is not a valid reference', async () => {
    const result = await run({ image: 'ghcr.io/Acme/API' });
    expectOneError(result, "input 'image'", "'ghcr.io/Acme/API' is not a valid image name", 'lower-case');
    // Fail-safe: even input the step could not read writes every declared output, and a summary.
    const declared = [
      'image',
      'digest',
      'image-ref',
      'tags',
      'platforms',
      'size',
      'sbom',
      'metadata',
      'json',
    ];
    expect(Object.keys(result.outputs).sort()).toEqual([...declared].sort());
    expect(result.outputs.digest).toBe('');
    expect(result.outputs['image-ref']).toBe('');
    expect(JSON.parse(result.outputs.metadata)).toEqual({ pushed: false, error: result.errors[0] });
    expect(JSON.parse(result.outputs.json)).toMatchObject({ digest: '', size: {} });
    expect(result.summary).toContain('### docker-multistage: the step failed');
    expect(result.summary).toContain("input 'image': 'ghcr.io/Acme/API' is not a valid image name");
    const tagged = await run({ image: `${open.host}/acme/api:1.0` });
    expectOneError(tagged, "input 'image'", 'without a tag');
  });

  it('a tag with forbidden characters', async () => {
    const result = await run({ image: `${open.host}/acme/api`, tags: '1.0.0,v1.0+build.5' });
    expectOneError(result, "input 'tags'", "'v1.0+build.5'", "letters, digits, '_', '.' and '-'");
  });

  it('a platform that is not among the artifacts', async () => {
    const result = await run({ image: `${open.host}/acme/api`, platforms: 'linux/arm64' });
    expectOneError(result, "input 'platforms'", 'linux/arm64 is not among the linux artifacts (linux/amd64)');
  });

  it('a Dockerfile that runs as root under lint: strict, before anything is built', async () => {
    writeFileSync(
      path.join(work, 'Dockerfile.root'),
      'FROM golang:1.26 AS build\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=build /app /app\nUSER root\n',
    );
    const result = await run({
      image: `${open.host}/acme/rooted`,
      builder: 'buildah',
      artifacts: '',
      dockerfile: 'Dockerfile.root',
      lint: 'strict',
    });
    expectOneError(
      result,
      "input 'lint' is strict and Dockerfile.root has 1 finding(s); line 5: USER root runs the container as root",
    );
    expect(result.stdout).not.toContain('STEP');
  });

  it('wrong registry credentials: a 401 message that names the user, never the password', async () => {
    const good = await run({
      image: `${secured.host}/acme/api`,
      tags: 'ok',
      'registry-username': USER,
      'registry-password': PASSWORD,
    });
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect(printed(good)).not.toContain(PASSWORD);

    const bad = await run({
      image: `${secured.host}/acme/api`,
      tags: 'bad',
      'registry-username': USER,
      'registry-password': WRONG,
    });
    expectOneError(
      bad,
      `registry ${secured.host} rejected the credentials of user '${USER}'`,
      '401 Unauthorized',
    );
    expect(printed(bad)).not.toContain(WRONG);
    expect(bad.stdout).toContain(`::add-mask::${WRONG}`);

    const none = await run({ image: `${secured.host}/acme/api`, tags: 'none' });
    expectOneError(none, `registry ${secured.host} requires authentication`, 'registry-password');
  });
});

describe('docker-multistage against a registry behind Bearer tokens and failures', () => {
  let proxy: RegistryProxy;
  let bearer: RegistryProxy;

  beforeAll(async () => {
    proxy = new RegistryProxy(open.url);
    bearer = new RegistryProxy(open.url, { username: USER, password: PASSWORD });
    await Promise.all([proxy.start(), bearer.start()]);
  });

  afterAll(async () => {
    await Promise.all([proxy?.stop(), bearer?.stop()]);
  });

  it('gets a token from the WWW-Authenticate realm with the credentials, for the right scope', async () => {
    const result = await run({
      image: `${bearer.host}/acme/tokened`,
      tags: 'v1',
      'registry-username': USER,
      'registry-password': PASSWORD,
    });
    expect(result.exitCode).toBe(0);
    expect(bearer.tokenRequests).toContain('service=test-proxy scope=repository:acme/tokened:pull,push');
    expect(printed(result)).not.toContain(PASSWORD);

    const wrong = await run({
      image: `${bearer.host}/acme/tokened`,
      tags: 'v2',
      'registry-username': USER,
      'registry-password': WRONG,
    });
    expectOneError(wrong, `rejected the credentials of user '${USER}'`, '401');
    expect(printed(wrong)).not.toContain(WRONG);
  });

  it('retries uploads and manifests that fail with 5xx mid-push, and requests answered 429', async () => {
    proxy.fail({ method: 'PUT', path: /\/blobs\/uploads\//, times: 2 });
    proxy.fail({ method: 'PUT', path: /\/manifests\/v1$/, times: 1, status: 502 });
    proxy.fail({ method: 'HEAD', path: /\/blobs\/sha256:/, times: 1, status: 429 });
    const result = await run({ image: `${proxy.host}/acme/flaky`, tags: 'v1' });
    expect([result.exitCode, result.errors]).toEqual([0, []]);
    expect(proxy.injected).toHaveLength(4);
    expect(result.stdout.match(/retrying PUT/g)).toHaveLength(3);
    expect(result.stdout.match(/retrying HEAD .* 429 Too Many Requests/g)).toHaveLength(1);
    expect(sha256Hex((await inspectRaw(`docker://${open.host}/acme/flaky:v1`)).raw)).toBe(
      result.outputs.digest,
    );
  }, 120_000);

  it('moves no tag when the registry keeps failing', async () => {
    proxy.clear();
    const first = await run({ image: `${proxy.host}/acme/steady`, tags: 'stable' });
    expect(first.exitCode).toBe(0);
    proxy.fail({ method: 'PUT', path: /\/blobs\/uploads\//, times: Infinity });
    const second = await run({
      image: `${proxy.host}/acme/steady`,
      tags: 'stable',
      labels: 'org.opencontainers.image.version=2.0.1',
    });
    expectOneError(second, /upload sha256:[a-f0-9]{64} to acme\/steady/, '503');
    expect(describeRun(second)).toContain('retrying PUT');
    expect(proxy.injected.every((request) => request.startsWith('PUT /v2/acme/steady/blobs/uploads/'))).toBe(
      true,
    );
    const { raw } = await inspectRaw(`docker://${open.host}/acme/steady:stable`);
    expect(sha256Hex(raw)).toBe(first.outputs.digest);
    proxy.clear();
  }, 120_000);
});
