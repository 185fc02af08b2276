import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBundledAction } from '../support/action.js';
import { cancelStep, environmentOf, processesUsing, waitForProcess } from '../support/processes.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { pushGoBuilderImage } from './go-builder-image.js';
import { RegistryProxy } from './proxy.js';
import {
  expectLatestTagRefused,
  expectWholeIndex,
  inspectRaw,
  sha256Hex,
  skopeo,
  unpackFromRegistry,
} from './sample.js';

// A module without dependencies: the builder stage compiles it inside buildah for both platforms.
const HELLO = `package main

import (
	"fmt"
	"os"
)

var Version = "dev"

func main() {
	fmt.Fprintf(os.Stdout, "hello %s as %d\\n", Version, os.Getuid())
}
`;

let registry: Registry;
let work: string;
let storageConf: string;
let goImage: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'dm-buildah-'));
  const context = path.join(work, 'hello');
  mkdirSync(context);
  writeFileSync(path.join(context, 'go.mod'), 'module example.com/hello\n\ngo 1.26\n');
  writeFileSync(path.join(context, 'go.sum'), '');
  writeFileSync(path.join(context, 'main.go'), HELLO);
  // buildah keeps its images in this test's own folder, removed in afterAll.
  storageConf = path.join(work, 'storage.conf');
  writeFileSync(
    storageConf,
    `[storage]\ndriver = "vfs"\ngraphroot = "${work}/storage"\nrunroot = "${work}/run"\n`,
  );
  registry = await startRegistry();
  goImage = await pushGoBuilderImage(registry.host);
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function build(inputs: Record<string, string>, onStart?: (step: ChildProcess) => void) {
  return runBundledAction('docker-multistage', {
    workspace: work,
    env: { CONTAINERS_STORAGE_CONF: storageConf },
    inputs: { builder: 'buildah', 'go-image': goImage, context: 'hello', 'binary-name': 'hello', ...inputs },
    onStart,
  });
}

/** buildah's own view of its storage: images and working containers left in it. */
function buildahStorage(): { images: string[]; containers: string[] } {
  const list = (args: string[]) =>
    execFileSync('buildah', ['--storage-driver', 'vfs', ...args], {
      encoding: 'utf8',
      env: { ...process.env, CONTAINERS_STORAGE_CONF: storageConf },
    })
      .split('\n')
      .filter(Boolean);
  return { images: list(['images', '--quiet', '--no-trunc']), containers: list(['containers', '--quiet']) };
}

/** hello/bin/hello_<arch> built on the host and a COPY-only Dockerfile.copy: quick to build for both platforms. */
function prebuiltContext(): void {
  if (existsSync(path.join(work, 'hello', 'Dockerfile.copy'))) return;
  const bin = path.join(work, 'hello', 'bin');
  mkdirSync(bin, { recursive: true });
  for (const arch of ['amd64', 'arm64']) {
    execFileSync(
      'go',
      ['build', '-trimpath', '-ldflags', '-X main.Version=copy', '-o', path.join(bin, `hello_${arch}`), '.'],
      {
        cwd: path.join(work, 'hello'),
        env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: arch },
      },
    );
  }
  writeFileSync(
    path.join(work, 'hello', 'Dockerfile.copy'),
    'FROM scratch\nARG TARGETARCH\nCOPY bin/hello_${TARGETARCH} /usr/local/bin/hello\nENTRYPOINT ["/usr/local/bin/hello"]\n',
  );
}

describe('docker-multistage builder: buildah', () => {
  it('builds the hardened multi-stage template for amd64 and arm64 and pushes the index', async () => {
    const run = await build({
      image: `${registry.host}/acme/hello`,
      tags: 'v1',
      ldflags: '-s -w -X main.Version=3.1.4',
      labels: 'org.opencontainers.image.version=3.1.4',
    });
    expect([run.exitCode, run.errors]).toEqual([0, []]);
    expect(run.warnings).toEqual([]);
    const digest = run.outputs.digest;
    expect(run.outputs['image-ref']).toBe(`${registry.host}/acme/hello@${digest}`);
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64');
    const { raw, json } = await inspectRaw(`docker://${registry.host}/acme/hello:v1`);
    expect(sha256Hex(raw)).toBe(digest);
    const manifests = json.manifests as { platform: { architecture: string } }[];
    expect(manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);

    const config = JSON.parse(
      await skopeo([
        'inspect',
        '--config',
        '--tls-verify=false',
        '--override-arch',
        'arm64',
        `docker://${registry.host}/acme/hello:v1`,
      ]),
    ) as {
      architecture: string;
      config: { User: string; Entrypoint: string[]; Labels: Record<string, string> };
    };
    expect(config.architecture).toBe('arm64');
    expect(config.config.User).toBe('65532:65532');
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/hello']);
    expect(config.config.Labels['org.opencontainers.image.version']).toBe('3.1.4');

    const bundle = await unpackFromRegistry(
      `${registry.host}/acme/hello@${digest}`,
      path.join(work, 'unpack'),
    );
    const rootfs = path.join(bundle, 'rootfs');
    expect(readFileSync(path.join(rootfs, 'etc/passwd'), 'utf8')).toContain('nonroot:x:65532:65532');
    expect(execFileSync(path.join(rootfs, 'usr/local/bin/hello'), { encoding: 'utf8' })).toMatch(
      /^hello 3\.1\.4 as \d+/,
    );
    expect(() => readFileSync(path.join(rootfs, 'bin/sh'))).toThrow();
  }, 600_000);

  it('builds a user Dockerfile of prebuilt binaries with the platform build argument, warning about its lint findings', async () => {
    prebuiltContext();
    const run = await build({
      image: `${registry.host}/acme/copied`,
      tags: 'v1',
      dockerfile: 'hello/Dockerfile.copy',
    });
    expect([run.exitCode, run.errors]).toEqual([0, []]);
    // lint: warn (the default) reports the missing USER as an annotation on the file and line, and builds.
    expect(run.warnings).toEqual([
      'the final stage sets no USER, so the container runs as root; add USER 65532:65532 (no-user)',
    ]);
    expect(run.stdout).toContain('::warning file=hello/Dockerfile.copy,line=1::');
    expect(JSON.parse(run.outputs.metadata).lint).toHaveLength(1);
    const bundle = await unpackFromRegistry(
      `${registry.host}/acme/copied@${run.outputs.digest}`,
      path.join(work, 'unpack-copy'),
    );
    expect(execFileSync(path.join(bundle, 'rootfs/usr/local/bin/hello'), { encoding: 'utf8' })).toMatch(
      /^hello copy/,
    );
    expect(JSON.parse(run.outputs.size)).toEqual({
      'linux/amd64': expect.any(Number),
      'linux/arm64': expect.any(Number),
    });
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64');
    expect(run.stdout).toContain('COPY bin/hello_${TARGETARCH} /usr/local/bin/hello');
  }, 300_000);

  it('pushes through the registry client by digest and moves tags last: a 500 on a tag PUT leaves it unmoved', async () => {
    prebuiltContext();
    writeFileSync(
      path.join(work, 'hello', 'Dockerfile.tagged'),
      'FROM scratch\nARG TARGETARCH\nARG BUILD\nLABEL build=$BUILD\nCOPY bin/hello_${TARGETARCH} /usr/local/bin/hello\nUSER 65532:65532\nENTRYPOINT ["/usr/local/bin/hello"]\n',
    );
    const proxy = new RegistryProxy(registry.url);
    await proxy.start();
    try {
      const image = `${proxy.host}/acme/tagged`;
      const direct = (tag: string) => `docker://${registry.host}/acme/tagged:${tag}`;
      const tagged = (build_: string) =>
        build({
          image,
          tags: 'v1,latest',
          dockerfile: 'hello/Dockerfile.tagged',
          'build-args': `BUILD=${build_}`,
        });
      const first = await tagged('1');
      expect([first.exitCode, first.errors]).toEqual([0, []]);
      const before = first.outputs.digest;
      expect(sha256Hex((await inspectRaw(direct('latest'))).raw)).toBe(before);

      proxy.fail({ method: 'PUT', path: /\/manifests\/latest$/, times: Infinity, status: 500 });
      const run = await tagged('2');
      const digest = expectLatestTagRefused(run, image, 'buildah');
      expect(digest).not.toBe(before);
      // buildah only wrote a local OCI layout; the project's registry client pushed it and met the failing tag.
      expect(proxy.injected.every((request) => request === 'PUT /v2/acme/tagged/manifests/latest')).toBe(
        true,
      );
      expect(proxy.injected.length).toBeGreaterThan(0);
      expect(run.stdout).toContain(`buildah wrote ${digest} for linux/amd64, linux/arm64`);
      expect(run.stdout).toMatch(new RegExp(`pushed ${image}@${digest}: \\d+ blobs uploaded`));

      // skopeo, an independent client: v1 is the whole new index (both platforms readable), latest did not move.
      expect(await expectWholeIndex(`${registry.host}/acme/tagged:v1`)).toBe(digest);
      const config = JSON.parse(
        await skopeo(['inspect', '--config', '--tls-verify=false', '--override-arch', 'arm64', direct('v1')]),
      ) as { config: { Labels: Record<string, string> } };
      expect(config.config.Labels.build).toBe('2');
      expect(sha256Hex((await inspectRaw(direct('latest'))).raw)).toBe(before);
    } finally {
      await proxy.stop();
    }
  }, 600_000);

  it('push: false writes the same layout to output-dir under each tag, and nothing reaches the registry', async () => {
    prebuiltContext();
    const run = await build({
      image: `${registry.host}/acme/local`,
      tags: 'v1,edge',
      dockerfile: 'hello/Dockerfile.copy',
      push: 'false',
      'output-dir': 'oci-buildah',
    });
    expect(run.exitCode).toBe(0);
    const digest = run.outputs.digest;
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64');
    const layout = path.join(work, 'oci-buildah');
    for (const tag of ['v1', 'edge']) {
      const raw = await skopeo(['inspect', '--raw', `oci:${layout}:${tag}`]);
      expect(sha256Hex(raw)).toBe(digest);
    }
    await expect(
      skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/acme/local:v1`]),
    ).rejects.toThrow(/manifest unknown|name unknown|not found/i);
  }, 300_000);
  it('when the job is cancelled during the build: stops buildah, removes its images, pushes and tags nothing', async () => {
    const storageBefore = buildahStorage();
    let step: ChildProcess | undefined;
    const running = build(
      { image: `${registry.host}/acme/cancelled`, tags: 'v1', ldflags: '-X main.Version=9' },
      (child) => (step = child),
    );
    // The template's builder stage compiles hello for two platforms inside buildah: seconds of work to stop.
    await waitForProcess(storageConf, / (build|bud) /, 120_000);
    // buildah keeps its temporary files (a layer being committed) in the step's temporary folder, not /var/tmp.
    const buildah = processesUsing(storageConf).find((line) => / (build|bud) /.test(line))!;
    const { TMPDIR: buildahTmp } = environmentOf(Number(buildah.split(' ')[0]));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const run = await cancelStep(step!, running);
    expect(buildahTmp.startsWith(`${run.runnerDir}/`)).toBe(true);
    expect(existsSync(buildahTmp)).toBe(false);
    expect(run.errors).toEqual([
      expect.stringMatching(/^the job was cancelled \(SIGINT\): 'buildah bud' was stopped$/),
    ]);
    expect([run.outputs.digest, run.outputs.tags]).toEqual(['', '']);
    expect(run.summary).toContain('Nothing was tagged');
    expect(processesUsing(storageConf)).toEqual([]);
    expect(buildahStorage()).toEqual(storageBefore);
    await expect(
      skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/acme/cancelled:v1`]),
    ).rejects.toThrow(/manifest unknown|name unknown|not found/i);
  }, 300_000);

  it('when the job is cancelled while the tags move: no tag PUT is sent after the signal', async () => {
    prebuiltContext();
    const proxy = new RegistryProxy(registry.url);
    await proxy.start();
    try {
      let step: ChildProcess | undefined;
      // The registry is slow on the first tag; the job is cancelled while the step waits for it.
      proxy.fail({
        method: 'PUT',
        path: /\/manifests\/v1$/,
        times: 1,
        holdMs: 1500,
        onHold: () => step!.kill('SIGINT'),
      });
      const image = `${proxy.host}/acme/cancel-push`;
      const run = await build(
        { image, tags: 'v1,v2,latest', dockerfile: 'hello/Dockerfile.copy' },
        (child) => (step = child),
      );
      expect(proxy.injected).toEqual(['PUT /v2/acme/cancel-push/manifests/v1']);
      expect(run.exitCode).toBe(1);
      const digest = run.outputs.digest;
      expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      // v1's PUT was on its way when the job was cancelled: the registry may have applied it, so it is not
      // reported as moved. No later tag was sent.
      expect(run.errors).toEqual([
        `the job was cancelled (SIGINT): ${image}@${digest} is pushed; tags moved: none; not moved or not confirmed: v1, v2, latest`,
      ]);
      expect(run.outputs.tags).toBe('');
      expect(JSON.parse(run.outputs.metadata)).toMatchObject({ pushed: true });
      expect(run.summary).toContain(
        `The image is in the registry as \`${image}@${digest}\`, but no tag was moved`,
      );
      const { raw, json } = await inspectRaw(`docker://${registry.host}/acme/cancel-push@${digest}`);
      expect(sha256Hex(raw)).toBe(digest);
      expect(json.manifests).toHaveLength(2);
      for (const tag of ['v2', 'latest'])
        await expect(
          skopeo([
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${registry.host}/acme/cancel-push:${tag}`,
          ]),
        ).rejects.toThrow(/manifest unknown|name unknown|not found/i);
    } finally {
      await proxy.stop();
    }
  }, 300_000);
});
