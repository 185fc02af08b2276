// Test support for docker-multistage: the sample Gin service cross-built as go-cross-build would, and helpers
// that check images with independent clients (skopeo, umoci).
import { expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/action.js';
import { unpackImage } from '../support/unpack-image.js';
import type { ActionRun } from '@gin-deploy/runner';

const run = promisify(execFile);

export interface ArtifactEntry {
  os: string;
  arch: string;
  path: string;
  sha256: string;
  size: number;
}

const FIXTURE = path.join(repoRoot, 'test/fixtures/gin-service');

/** `go build` of the sample service per platform: CGO off, -trimpath, stripped, version injected. */
export async function buildSample(
  dir: string,
  version: string,
  arches = ['amd64', 'arm64'],
): Promise<ArtifactEntry[]> {
  mkdirSync(dir, { recursive: true });
  const artifacts: ArtifactEntry[] = [];
  for (const arch of arches) {
    const out = path.join(dir, `sample-api_linux_${arch}`);
    await run('go', ['build', '-trimpath', '-ldflags', `-s -w -X main.Version=${version}`, '-o', out, '.'], {
      cwd: FIXTURE,
      env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: arch, GOFLAGS: '-buildvcs=false' },
      timeout: 8 * 60_000,
    });
    const data = readFileSync(out);
    artifacts.push({
      os: 'linux',
      arch,
      path: out,
      sha256: createHash('sha256').update(data).digest('hex'),
      size: statSync(out).size,
    });
  }
  return artifacts;
}

export async function skopeo(args: string[]): Promise<string> {
  const { stdout } = await run('skopeo', args, { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function inspectRaw(ref: string): Promise<{ raw: string; json: Record<string, unknown> }> {
  const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', ref]);
  return { raw, json: JSON.parse(raw) as Record<string, unknown> };
}

export function sha256Hex(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Copies the host-platform image out of the registry and unpacks it with umoci; returns the bundle folder. */
export async function unpackFromRegistry(ref: string, work: string): Promise<string> {
  const bundle = path.join(work, 'bundle');
  await unpackImage(ref, path.join(work, 'layout'), bundle);
  return bundle;
}

/**
 * The outputs, error and summary of a step whose image is pushed by digest but whose `latest` tag PUT kept
 * failing after `v1` moved (tags v1,latest, two platforms).
 */
export function expectLatestTagRefused(run: ActionRun, image: string, builder: string): string {
  const digest = run.outputs.digest;
  expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  expect(run.outputs['image-ref']).toBe(`${image}@${digest}`);
  expect(run.outputs.tags).toBe(`${image}:v1`);
  expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64');
  expect(JSON.parse(run.outputs.metadata)).toMatchObject({ builder, 'tags-not-moved': ['latest'] });
  expect([run.exitCode, run.errors.length]).toEqual([1, 1]);
  expect(run.errors[0]).toContain(`${image}@${digest} is pushed, but tag latest failed`);
  expect(run.errors[0]).toContain('500');
  expect(run.errors[0]).toContain('moved: v1; not moved: latest');
  expect(run.summary).toMatch(/Tagging failed.*Moved: `v1`\. Not moved: `latest`/);
  return digest;
}

/** skopeo reads the index at `reference` and every manifest it lists; returns the index digest (sha256:hex). */
export async function expectWholeIndex(reference: string): Promise<string> {
  const { raw, json } = await inspectRaw(`docker://${reference}`);
  const repository = reference.slice(0, reference.lastIndexOf(':'));
  for (const manifest of json.manifests as { digest: string }[]) {
    await skopeo(['inspect', '--tls-verify=false', `docker://${repository}@${manifest.digest}`]);
  }
  return sha256Hex(raw);
}
