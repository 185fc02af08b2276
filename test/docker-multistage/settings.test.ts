// docker-multistage's readSettings in-process, driven by INPUT_* variables as the runner sets them (actions/cache's
// test utilities are the model): every input is read there, with the action.yml names in its errors.
import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BasePlatformError, BinaryMismatchError, RegistryAuthError } from '@gin-deploy/oci';
import { asInputError, readSettings } from '../../actions/docker-multistage/src/settings.js';
import { clearInputs, setInput, setInputs } from '../support/inputs.js';

const saved = { ...process.env };
let workspace: string;
let artifacts: string;

beforeAll(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'dm-settings-'));
  mkdirSync(path.join(workspace, 'bin'));
  const entries = ['amd64', 'arm64'].map((arch) => {
    writeFileSync(path.join(workspace, 'bin', `api_${arch}`), arch);
    return { os: 'linux', arch, path: `bin/api_${arch}`, sha256: 'ab'.repeat(32), size: arch.length };
  });
  artifacts = JSON.stringify(entries);
});

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

afterEach(() => {
  clearInputs();
  process.env = { ...saved };
});

function runner(): void {
  process.env.GITHUB_WORKSPACE = workspace;
  process.env.RUNNER_TEMP = path.join(workspace, '.runner-temp');
  delete process.env.SOURCE_DATE_EPOCH;
}

describe('docker-multistage readSettings', () => {
  it('reads the defaults: assemble from the artifacts, pushed, SBOM and layout inside the workspace', () => {
    runner();
    setInputs({ image: '127.0.0.1:5000/acme/api', artifacts });
    const settings = readSettings();
    expect(settings).toMatchObject({
      builder: 'assemble',
      tags: [],
      platforms: [],
      push: true,
      sbom: true,
      sbomFile: path.join(workspace, 'sbom.spdx.json'),
      outputDir: path.join(workspace, 'oci-layout'),
      compression: 'gzip',
      user: '65532:65532',
      binaryName: 'api',
      epoch: 0,
      lint: 'warn',
      tzdata: false,
      base: undefined,
    });
    expect(settings.image).toMatchObject({ domain: '127.0.0.1:5000', path: 'acme/api' });
    expect(settings.binaries.map((b) => b.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
  });

  it('chooses buildah without artifacts, and takes SOURCE_DATE_EPOCH when source-date-epoch is empty', () => {
    runner();
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    setInputs({ image: 'ghcr.io/acme/api', 'source-date-epoch': '' });
    expect(readSettings()).toMatchObject({ builder: 'buildah', binaries: [], epoch: 1700000000 });
  });

  it('reads sbom-file and output-dir inside the workspace, and refuses a path outside it', () => {
    runner();
    setInputs({
      image: 'ghcr.io/acme/api',
      artifacts,
      'sbom-file': 'out/api.spdx.json',
      'output-dir': 'out/l',
    });
    expect(readSettings()).toMatchObject({
      sbomFile: path.join(workspace, 'out/api.spdx.json'),
      outputDir: path.join(workspace, 'out/l'),
    });
    setInput('sbom-file', '../elsewhere.json');
    expect(() => readSettings()).toThrow(/^input 'sbom-file': /);
  });

  it('takes tags bare or as references of the same repository, and names the input otherwise', () => {
    runner();
    setInputs({ image: 'ghcr.io/acme/api', tags: 'v1, ghcr.io/acme/api:1.2.3\nlatest, v1' });
    expect(readSettings().tags).toEqual(['v1', '1.2.3', 'latest']);
    setInput('tags', 'ghcr.io/acme/other:v1');
    expect(() => readSettings()).toThrow(
      "input 'tags': 'ghcr.io/acme/other:v1' names ghcr.io/acme/other, not the image ghcr.io/acme/api",
    );
  });

  it('reads the registry credentials, labels, env, port and base', () => {
    runner();
    setInputs({
      image: 'ghcr.io/acme/api',
      artifacts,
      'registry-username': 'bot',
      'registry-password': 's3cret',
      labels: 'a=1\nb=2',
      env: 'GIN_MODE=release',
      port: '8080/tcp',
      base: 'gcr.io/distroless/static:nonroot',
    });
    const settings = readSettings();
    expect(settings).toMatchObject({
      username: 'bot',
      password: 's3cret',
      labels: { a: '1', b: '2' },
      env: { GIN_MODE: 'release' },
      port: '8080/tcp',
    });
    expect(settings.base).toMatchObject({ domain: 'gcr.io', path: 'distroless/static', tag: 'nonroot' });
  });

  it("takes each binary's platform from go-cross-build's platform field, through the OCI platform parser", () => {
    runner();
    const entry = (arch: string, variant: string, platform: string) => ({
      os: 'linux',
      arch,
      variant,
      platform,
      path: `bin/api_${arch === 'arm' ? 'amd64' : arch}`,
      sha256: 'ab'.repeat(32),
      size: 5,
    });
    setInputs({
      image: 'ghcr.io/acme/api',
      artifacts: JSON.stringify([entry('arm', '7', 'linux/arm/v7'), entry('amd64', 'v3', 'linux/amd64/v3')]),
    });
    expect(readSettings().binaries.map((b) => b.platform)).toEqual([
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'linux', architecture: 'amd64', variant: 'v3' },
    ]);
    setInput('artifacts', JSON.stringify([entry('arm64', '', 'linux/amd64')]));
    expect(() => readSettings()).toThrow(
      "input 'artifacts': the linux/arm64 entry has platform 'linux/amd64'; expected linux/arm64[/variant]",
    );
  });

  it.each([
    [{ port: '70000' }, /^input 'port': '70000' is not valid; expected a port from 1 to 65535/],
    [{ builder: 'kaniko' }, /^input 'builder': 'kaniko'/],
    [
      { compression: 'zstd', builder: 'buildah' },
      /^input 'compression': zstd is made by the assemble builder/,
    ],
    [{ builder: 'assemble', artifacts: '' }, /^input 'artifacts' is required by builder 'assemble'/],
    [{ entrypoint: '[1]' }, /^input 'entrypoint': '\[1\]' is not valid/],
    [{ platforms: 'linux/arm64,linux/arm64' }, "input 'platforms': linux/arm64 is listed twice"],
    [{ image: 'Not An Image' }, /^input 'image': 'Not An Image' is not a valid image name/],
  ])('names the input of a bad value: %j', (inputs, message) => {
    runner();
    setInputs({ image: 'ghcr.io/acme/api', artifacts, ...inputs });
    expect(() => readSettings()).toThrow(message);
  });
});

describe('docker-multistage asInputError', () => {
  it("names the input a library's domain error comes from, and leaves other errors alone", () => {
    const mismatch = new BinaryMismatchError('linux/amd64', 'bin/api', 'size', 10, 11);
    expect((asInputError(mismatch) as Error).message).toBe(
      "input 'artifacts': the linux/amd64 binary bin/api has size 11, not the 10 its build reported; nothing was pushed or written",
    );
    const platform = new BasePlatformError('gcr.io/distroless/static@sha256:ab', 'linux/s390x', [
      'linux/amd64',
    ]);
    expect((asInputError(platform) as Error).message).toBe(
      "input 'base': gcr.io/distroless/static@sha256:ab has no linux/s390x image; it offers linux/amd64",
    );
    expect((asInputError(new RegistryAuthError('ghcr.io')) as Error).message).toBe(
      'registry ghcr.io requires authentication (401 Unauthorized); set registry-username and registry-password, GITHUB_TOKEN for ghcr.io, or log in with docker login',
    );
    const refused = new RegistryAuthError('ghcr.io', { username: 'bot', source: 'registry-password' });
    expect((asInputError(refused) as Error).message).toBe(
      "registry ghcr.io rejected the credentials of user 'bot' from registry-password (401 Unauthorized); check the username and password or token and its push rights",
    );
    const other = new Error('the registry is down');
    expect(asInputError(other)).toBe(other);
  });
});
