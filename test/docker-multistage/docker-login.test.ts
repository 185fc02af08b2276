// builder: docker (buildx). No Docker engine runs here: a fake `docker` on PATH records its arguments,
// DOCKER_CONFIG and stdin, and stands in for `docker buildx build --output type=oci,dest=<dir>,tar=false
// --metadata-file <file>`: it copies an OCI image layout into dest and writes the index digest as
// containerimage.digest, as buildx's OCI exporter does. The layout is a real two-platform image index, written
// beforehand by this project's assemble builder with push: false, so everything after the "build" (reading the
// layout, pushing it by digest through the registry client, tags last, outputs, summary) runs for real against
// the real registry, checked with skopeo. What it cannot show is buildx's own build.
// It also covers the login: registry-username/registry-password through a temporary Docker configuration,
// password on stdin.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeRun, runBundledAction } from '../support/action.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { RegistryProxy } from './proxy.js';
import { buildSample, expectLatestTagRefused, expectWholeIndex, skopeo } from './sample.js';

const USER = 'ci';
const PASSWORD = 'd0cker-Login-5e1f';

const FAKE_DOCKER = `#!/bin/sh
log="$FAKE_DOCKER_LOG"
echo "ARGS $*" >>"$log"
echo "DOCKER_CONFIG $DOCKER_CONFIG" >>"$log"
if [ "$1" = login ]; then
  echo "STDIN $(cat)" >>"$log"
  echo "CONFIG $(tr -d '\\n' <"$DOCKER_CONFIG/config.json")" >>"$log"
  exit 0
fi
while [ $# -gt 0 ]; do
  case "$1" in
    --output)
      dest="\${2#*dest=}"; dest="\${dest%%,*}"
      mkdir -p "$dest" && cp -R "$FAKE_LAYOUT/." "$dest/" ;;
    --metadata-file) printf '{"containerimage.digest":"%s"}' "$FAKE_DIGEST" >"$2" ;;
  esac
  shift
done
`;

let registry: Registry;
let work: string;
let bin: string;
let digest: string;
let layout: string;

function fakeEnv(log: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_DOCKER_LOG: log,
    FAKE_DIGEST: digest,
    FAKE_LAYOUT: layout,
    ...extra,
  };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'dm-docker-'));
  bin = path.join(work, 'fake-bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'docker'), FAKE_DOCKER);
  chmodSync(path.join(bin, 'docker'), 0o755);
  const [started, artifacts] = await Promise.all([
    startRegistry(),
    buildSample(path.join(work, 'bin'), '4.0.0', ['amd64', 'arm64']),
  ]);
  registry = started;
  const written = await runBundledAction('docker-multistage', {
    workspace: work,
    inputs: {
      image: `${registry.host}/acme/api`,
      artifacts: JSON.stringify(artifacts),
      sbom: 'false',
      push: 'false',
      'output-dir': 'buildx-layout',
    },
  });
  if (written.exitCode !== 0) throw new Error(describeRun(written));
  digest = written.outputs.digest;
  layout = path.join(work, 'buildx-layout');
}, 10 * 60_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('docker-multistage builder: docker', () => {
  it('logs in through a temporary Docker config, password on stdin, and removes it afterwards', async () => {
    const log = path.join(work, 'docker.log');
    const home = path.join(work, 'home');
    mkdirSync(path.join(home, '.docker/cli-plugins'), { recursive: true });
    writeFileSync(
      path.join(home, '.docker/config.json'),
      JSON.stringify({ credsStore: 'desktop', auths: { 'other.example': {} } }),
    );
    const result = await runBundledAction('docker-multistage', {
      workspace: work,
      inputs: {
        image: `${registry.host}/acme/api`,
        builder: 'docker',
        tags: 'v4',
        'registry-username': USER,
        'registry-password': PASSWORD,
      },
      env: fakeEnv(log, { HOME: home }),
    });
    expect([result.exitCode, result.errors]).toEqual([0, []]);
    expect(result.outputs.digest).toBe(digest);

    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const args = lines.filter((line) => line.startsWith('ARGS '));
    expect(args[0]).toBe(`ARGS login --username ${USER} --password-stdin ${registry.host}`);
    expect(args[1]).toMatch(/^ARGS buildx build /);
    expect(lines).toContain(`STDIN ${PASSWORD}`);
    expect(args.join('\n')).not.toContain(PASSWORD);

    // One folder for the login and the build, inside the runner temp folder, without the credential store.
    const configs = [...new Set(lines.filter((l) => l.startsWith('DOCKER_CONFIG ')).map((l) => l.slice(14)))];
    expect(configs).toHaveLength(1);
    expect(configs[0].startsWith(path.join(result.runnerDir, 'temp'))).toBe(true);
    expect(JSON.parse(lines.find((l) => l.startsWith('CONFIG '))!.slice(7))).toEqual({
      auths: { 'other.example': {} },
    });
    expect(existsSync(configs[0])).toBe(false);
    expect(JSON.parse(readFileSync(path.join(home, '.docker/config.json'), 'utf8'))).toMatchObject({
      credsStore: 'desktop',
    });

    expect(result.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect(
      result.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(PASSWORD);
  }, 120_000);

  it('does not log in without credentials', async () => {
    const log = path.join(work, 'docker-anonymous.log');
    const result = await runBundledAction('docker-multistage', {
      workspace: work,
      inputs: { image: `${registry.host}/acme/api`, builder: 'docker' },
      env: fakeEnv(log),
    });
    expect(result.exitCode).toBe(0);
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(lines.filter((line) => line.startsWith('ARGS login'))).toEqual([]);
    expect(lines).toContain('DOCKER_CONFIG ');
  }, 120_000);

  it('pushes the layout buildx exported by digest and moves tags last: a 500 on a tag PUT leaves it unmoved', async () => {
    const proxy = new RegistryProxy(registry.url);
    await proxy.start();
    try {
      const image = `${proxy.host}/acme/buildx`;
      const log = path.join(work, 'docker-tags.log');
      proxy.fail({ method: 'PUT', path: /\/manifests\/latest$/, times: Infinity, status: 500 });
      const result = await runBundledAction('docker-multistage', {
        workspace: work,
        inputs: { image, builder: 'docker', tags: 'v1,latest', platforms: 'linux/amd64,linux/arm64' },
        env: fakeEnv(log),
      });
      expect(expectLatestTagRefused(result, image, 'docker')).toBe(digest);

      // buildx is asked for an OCI layout only: it neither pushes nor tags.
      const build = readFileSync(log, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('ARGS buildx build '))!;
      expect(build).toMatch(/ --output type=oci,dest=\S+,tar=false /);
      expect(build).not.toMatch(/ --push| --tag /);

      // skopeo: v1 is the whole index with both platforms; latest was never written.
      expect(await expectWholeIndex(`${registry.host}/acme/buildx:v1`)).toBe(digest);
      await expect(
        skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/acme/buildx:latest`]),
      ).rejects.toThrow(/manifest unknown|name unknown|not found/i);
    } finally {
      await proxy.stop();
    }
  }, 120_000);
});
