// The example workflows users copy (workflows-examples/), run under act (see act.ts) for the events each one
// declares, against the local registry, Prometheus, test cluster and GitHub API stand-in. Each test asserts
// what the workflow left behind (registry tags, the Service's color, the release), not only act's result.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runBundledAction } from '../support/action.js';
import { sampleServiceHistory } from '../demo/history.js';
import { startCluster, kubectl, type Cluster } from '../support/cluster.js';
import { TempRepo, bareRemote, gitIn } from '../support/git-repo.js';
import {
  createTsdb,
  servePrometheus,
  startPrometheus,
  type RunningPrometheus,
  type SeriesDefinition,
} from '../support/prometheus.js';
import { FakeGitHubApi } from '../support/github-api.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { ANALYSIS, side } from '../k8s-rollout/analysis.js';
import { startSampleKubelet, type SampleKubelet } from '../demo/kubelet-fixture.js';
import { deployApp, sampleApp } from '../drill/support.js';
import { scrapeTargets, startLoad, type LoadLoop } from '../drill/load.js';
import { DAY, scenarioSeries, type Scenario } from '../slo-gate/capacity-history.js';
import { waitFor } from '../support/wait.js';
import { describeAct, runAct, type ActOptions, type ActRun } from './act.js';

const GITHUB_REPOSITORY = 'acme/sample-api';
const RELEASE_REPOSITORY = 'acme/sample-api-release';
const PROMETHEUS_TOKEN = 'prom-act-test-token';
const cleanup: (() => unknown)[] = [];
let registry: Registry;

beforeAll(async () => {
  registry = await startRegistry();
  cleanup.push(() => registry.stop());
}, 60_000);
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
}, 120_000);

function temp(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A user's repository: a Go service at the root, the example workflow under .github/workflows, `origin` a
 * bare repository on disk (release tags are pushed there) and `github` its address on GitHub (act takes
 * github.repository from it).
 */
function userRepository(
  workflow: string,
  service = 'test/fixtures/gin-service',
  repository = GITHUB_REPOSITORY,
): TempRepo {
  const repo = TempRepo.fromFolder(path.join(repoRoot, service));
  cleanup.push(() => repo.remove());
  mkdirSync(path.join(repo.dir, '.github/workflows'), { recursive: true });
  cpSync(
    path.join(repoRoot, 'workflows-examples', workflow),
    path.join(repo.dir, '.github/workflows', workflow),
  );
  const origin = bareRemote();
  cleanup.push(() => rmSync(origin, { recursive: true, force: true }));
  repo.git('remote', 'add', 'origin', origin);
  repo.git('remote', 'add', 'github', `https://github.com/${repository}.git`);
  repo.commit('feat: first');
  return repo;
}

/** A minimal image (umoci) pushed to the registry as `reference`; returns its digest. */
function pushTinyImage(reference: string): string {
  const layout = path.join(temp('act-oci-'), 'layout');
  execFileSync('umoci', ['init', '--layout', layout]);
  execFileSync('umoci', ['new', '--image', `${layout}:main`]);
  const digestFile = path.join(path.dirname(layout), 'digest');
  execFileSync('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    '--digestfile',
    digestFile,
    `oci:${layout}:main`,
    `docker://${reference}`,
  ]);
  return readFileSync(digestFile, 'utf8').trim();
}

function tagsIn(repository: string): string[] {
  const out = execFileSync(
    'skopeo',
    ['list-tags', '--tls-verify=false', `docker://${registry.host}/${repository}`],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out) as { Tags: string[] }).Tags.sort();
}

function expectSucceeded(run: ActRun, jobs: string[]): void {
  if (run.exitCode !== 0 || jobs.some((job) => run.jobs[job] !== 'success'))
    throw new Error(describeAct(run));
}

/** A pull request from `feature/<number>`, one commit ahead of main, as GitHub's webhook payload has it. */
function pullRequest(repo: TempRepo, number: number, fork: boolean) {
  const base = repo.head();
  const branch = `feature/${number}`;
  repo.git('checkout', '--quiet', '-b', branch);
  repo.write('feature.go', 'package main\n\n// Feature is the pull request’s change.\nconst Feature = "x"\n');
  const head = repo.commit('feat: the pull request');
  repo.git('checkout', '--quiet', 'main');
  const headRepository = fork ? 'contributor/sample-api' : GITHUB_REPOSITORY;
  return {
    head,
    payload: {
      number,
      repository: { full_name: GITHUB_REPOSITORY },
      pull_request: {
        number,
        head: { sha: head, ref: branch, repo: { full_name: headRepository } },
        base: { sha: base, ref: 'main', repo: { full_name: GITHUB_REPOSITORY } },
      },
    },
  };
}

/** image.yml for one pull request event, pushing to the local registry. */
function runImageWorkflow(
  repo: TempRepo,
  event: 'pull_request' | 'pull_request_target',
  payload: object,
  more: Partial<ActOptions> = {},
): Promise<ActRun> {
  return runAct({
    repo: repo.dir,
    workflow: 'image.yml',
    event,
    payload,
    vars: { REGISTRY: registry.host },
    secrets: { GITHUB_TOKEN: 'ghs_act_test_token' },
    ...more,
  });
}

describe('image.yml (pull requests)', () => {
  it(
    'pull_request_target labelled safe-to-build: pushes pr-N of the head commit, never the base branch tag',
    async () => {
      const repo = userRepository('image.yml');
      const pr = pullRequest(repo, 17, true);
      const run = await runImageWorkflow(repo, 'pull_request_target', {
        action: 'labeled',
        label: { name: 'safe-to-build' },
        ...pr.payload,
      });
      expectSucceeded(run, ['image']);
      const version = run.outputs.image.version;
      expect(version).toMatchObject({ 'pull-request': '17', 'pull-request-sha': pr.head, commit: pr.head });
      const short = pr.head.slice(0, 7);
      const tags = tagsIn(`${GITHUB_REPOSITORY}`);
      expect(tags).toContain('pr-17');
      expect(tags).toContain(`sha-${short}`);
      expect(tags).not.toContain('main');
      expect(run.outputs.image.image['image-ref']).toMatch(
        new RegExp(`^${registry.host}/${GITHUB_REPOSITORY}@sha256:[0-9a-f]{64}$`),
      );
    },
    10 * 60_000,
  );

  it(
    'pull_request from a branch of the repository: pr-N, and unlabelled pull_request_target builds nothing',
    async () => {
      const repo = userRepository('image.yml');
      const pr = pullRequest(repo, 18, false);
      const run = await runImageWorkflow(repo, 'pull_request', { action: 'opened', ...pr.payload });
      expectSucceeded(run, ['image']);
      expect(run.outputs.image.version['docker-tags']).toContain(
        `${registry.host}/${GITHUB_REPOSITORY}:pr-18`,
      );
      expect(tagsIn(GITHUB_REPOSITORY)).toContain('pr-18');

      const unlabelled = await runImageWorkflow(repo, 'pull_request_target', {
        action: 'labeled',
        label: { name: 'documentation' },
        ...pullRequest(repo, 19, true).payload,
      });
      expect(unlabelled.exitCode).toBe(0);
      expect(unlabelled.jobs.image).toBeUndefined(); // the job's if: was false
      expect(tagsIn(GITHUB_REPOSITORY)).not.toContain('pr-19');
    },
    10 * 60_000,
  );
});

describe("go-cross-build's cache through act's cache server", () => {
  it(
    'the second run restores with an exact hit and saves nothing',
    async () => {
      // A module without dependencies and a GOCACHE of its own keep the cached folders small (the
      // machine's GOCACHE and GOMODCACHE are gigabytes).
      const repo = userRepository('image.yml', 'test/examples/fixtures/tiny-service');
      const go = temp('act-go-');
      const cacheDir = temp('act-cache-server-');
      const payload = { action: 'opened', ...pullRequest(repo, 21, false).payload };
      const options = {
        env: { GOCACHE: path.join(go, 'cache'), GOMODCACHE: path.join(go, 'mod') },
        cacheDir,
      };
      const first = await runImageWorkflow(repo, 'pull_request', payload, options);
      expectSucceeded(first, ['image']);
      expect(first.outputs.image.build['cache-hit']).toBe('false');
      expect(first.summaries.join('\n')).toMatch(/Cache: nothing to restore, saved `gin-deploy-go-Linux-/);
      const entries = listFiles(cacheDir);

      const second = await runImageWorkflow(repo, 'pull_request', payload, options);
      expectSucceeded(second, ['image']);
      expect(second.outputs.image.build['cache-hit']).toBe('true');
      expect(second.summaries.join('\n')).toMatch(
        /Cache: restored `gin-deploy-go-Linux-[^`]+` \(exact hit\), not saved again\./,
      );
      expect(listFiles(cacheDir)).toEqual(entries);
    },
    10 * 60_000,
  );
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/**
 * What a team's repository holds besides the code for the deploying workflows: the manifests (the demo's,
 * without its node selector for the demo kubelet, so that KWOK's nodes run the pods) and the SLO file.
 */
/**
 * A protected Prometheus, as teams run it: a proxy that answers 401 without `Authorization: Bearer <token>`
 * and records the queries it forwarded.
 */
async function bearerProxy(target: string, token: string): Promise<{ url: string; queries: string[] }> {
  const queries: string[] = [];
  const server = http.createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401).end('missing or wrong bearer token\n');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      queries.push(decodeURIComponent(`${request.url ?? ''} ${body.toString()}`.replace(/\+/g, ' ')));
      fetch(`${target}${request.url ?? '/'}`, {
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: request.method === 'GET' ? undefined : body,
      }).then(
        async (answer) =>
          response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
        (error: Error) => response.writeHead(502).end(error.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, queries };
}

function addDeployFiles(repo: TempRepo): void {
  const manifest = readFileSync(path.join(repoRoot, 'test/demo/deploy/sample-api.yaml'), 'utf8');
  repo.write('deploy/sample-api.yaml', manifest.replace(/^\s*nodeSelector:.*\n/m, ''));
  repo.write('.github/slos.yaml', readFileSync(path.join(repoRoot, 'test/demo/slos.yaml'), 'utf8'));
  repo.commit('chore: manifests and SLOs');
}

describe('the deploying workflows, on one cluster and one Prometheus', () => {
  let cluster: Cluster;
  let prometheus: { url: string; queries: string[] };
  let kubeconfigText: string;

  beforeAll(async () => {
    let backend: RunningPrometheus;
    [cluster, backend] = await Promise.all([
      startCluster(),
      startPrometheus([
        ...sampleServiceHistory(Date.now()),
        ...side('sample-api', 'stable', 0.01),
        ...side('sample-api', 'canary', 0.01),
      ]),
    ]);
    cleanup.push(
      () => cluster.stop(),
      () => backend.stop(),
    );
    prometheus = await bearerProxy(backend.url, PROMETHEUS_TOKEN);
    kubeconfigText = readFileSync(cluster.kubeconfig, 'utf8');
    for (const namespace of ['staging', 'production'])
      await kubectl(cluster.kubeconfig, ['create', 'namespace', namespace]);
  }, 30 * 60_000);

  function deploySecrets(): Record<string, string> {
    return {
      GITHUB_TOKEN: 'ghs_act_test_token',
      KUBECONFIG: kubeconfigText,
      PROMETHEUS_TOKEN: 'prom-act-test-token',
    };
  }

  /** The suite's kubeconfig with its context's namespace set: each "cluster" of a workflow is a namespace here. */
  async function kubeconfigIn(namespace: string): Promise<string> {
    await kubectl(cluster.kubeconfig, ['create', 'namespace', namespace]);
    const file = path.join(temp('act-kubeconfig-'), 'kubeconfig.yaml');
    writeFileSync(file, kubeconfigText);
    await kubectl(file, ['config', 'set-context', '--current', `--namespace=${namespace}`]);
    return readFileSync(file, 'utf8');
  }

  async function service(namespace: string): Promise<{ selector: Record<string, string> }> {
    const text = await kubectl(cluster.kubeconfig, [
      '-n',
      namespace,
      'get',
      'service',
      'sample-api',
      '-o',
      'json',
    ]);
    return (JSON.parse(text) as { spec: { selector: Record<string, string> } }).spec;
  }

  it(
    'deploy.yml on a push to main: image tagged main, SLO gate passed, blue-green switch to the new color',
    async () => {
      const repo = userRepository('deploy.yml');
      addDeployFiles(repo);
      const run = await runAct({
        repo: repo.dir,
        workflow: 'deploy.yml',
        event: 'push',
        payload: { ref: 'refs/heads/main', after: repo.head(), repository: { full_name: GITHUB_REPOSITORY } },
        vars: { REGISTRY: registry.host, PROMETHEUS_URL: prometheus.url },
        secrets: deploySecrets(),
      });
      expectSucceeded(run, ['build', 'gate', 'deploy']);
      const short = repo.head().slice(0, 7);
      expect(tagsIn(GITHUB_REPOSITORY)).toEqual(expect.arrayContaining(['main', `sha-${short}`]));
      expect(run.outputs.gate.slo.decision).toBe('pass');
      const rollout = run.outputs.deploy.rollout;
      expect(rollout.status).toBe('succeeded');
      expect((await service('production')).selector).toMatchObject({
        'gin-deploy/color': rollout['active-color'],
      });
    },
    15 * 60_000,
  );

  it(
    'release.yml: workflow_dispatch tags the next version and pushes the tag with RELEASE_TOKEN',
    async () => {
      const repo = userRepository('release.yml', 'test/fixtures/gin-service', RELEASE_REPOSITORY);
      addDeployFiles(repo);
      const run = await runAct({
        repo: repo.dir,
        workflow: 'release.yml',
        event: 'workflow_dispatch',
        payload: { ref: 'refs/heads/main', inputs: {}, repository: { full_name: RELEASE_REPOSITORY } },
        secrets: { RELEASE_TOKEN: 'github_pat_act_test' },
      });
      expectSucceeded(run, ['tag']);
      expect(run.jobs.release).toBeUndefined(); // only a tag push runs the pipeline
      expect(run.outputs.tag.version).toMatchObject({ tag: 'v0.1.0', released: 'true' });
      const origin = repo.git('remote', 'get-url', 'origin');
      expect(gitIn(origin, 'rev-parse', 'v0.1.0^{commit}')).toBe(repo.head());
    },
    10 * 60_000,
  );

  it(
    'release.yml on the tag push: release with binaries and checksums, version-tagged image, staging, SLO gate, production',
    async () => {
      const api = await FakeGitHubApi.start();
      cleanup.push(() => api.stop());
      const repo = userRepository('release.yml', 'test/fixtures/gin-service', RELEASE_REPOSITORY);
      addDeployFiles(repo);
      repo.tag('v1.2.0');
      repo.git('push', '--quiet', 'origin', 'v1.2.0');
      // actions/checkout leaves a tag build on a detached HEAD; act copies the repository as it is.
      repo.git('checkout', '--quiet', '--detach', 'v1.2.0');
      const run = await runAct({
        repo: repo.dir,
        workflow: 'release.yml',
        event: 'push',
        payload: {
          ref: 'refs/tags/v1.2.0',
          after: repo.head(),
          repository: { full_name: RELEASE_REPOSITORY },
        },
        vars: { REGISTRY: registry.host, PROMETHEUS_URL: prometheus.url },
        secrets: deploySecrets(),
        env: { GITHUB_API_URL: api.url },
      });
      expectSucceeded(run, ['release', 'staging', 'gate', 'production']);
      expect(run.jobs.tag).toBeUndefined();
      const release = api.releases.get('v1.2.0');
      expect(release).toBeDefined();
      const assets = release!.assets.map((asset) => asset.name);
      expect(assets).toContain('sha256sums.txt');
      expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/linux.amd64.*\.tar\.gz$/)]));
      expect(release!.assets.every((asset) => asset.size > 0)).toBe(true);
      const tags = tagsIn(RELEASE_REPOSITORY);
      expect(tags).toEqual(expect.arrayContaining(['1.2.0', '1.2', '1', 'latest']));
      expect(tags).not.toContain('main');
      expect(run.outputs.gate.slo.decision).toBe('pass');
      for (const [job, namespace] of [
        ['staging', 'staging'],
        ['production', 'production'],
      ]) {
        const rollout = run.outputs[job].rollout;
        expect(rollout.status).toBe('succeeded');
        expect((await service(namespace)).selector).toMatchObject({
          'gin-deploy/color': rollout['active-color'],
        });
      }
    },
    15 * 60_000,
  );

  it(
    'canary.yml on workflow_dispatch: analysis against a protected Prometheus at each step, then promoted',
    async () => {
      const repo = userRepository('canary.yml');
      repo.write('.github/canary-analysis.yaml', ANALYSIS);
      addDeployFiles(repo);
      const secrets = { ...deploySecrets(), KUBECONFIG: await kubeconfigIn('canary') };
      const dispatch = (image: string) =>
        runAct({
          repo: repo.dir,
          workflow: 'canary.yml',
          event: 'workflow_dispatch',
          payload: { ref: 'refs/heads/main', inputs: { 'image-ref': image, pause: '1s' } },
          vars: { PROMETHEUS_URL: prometheus.url },
          secrets,
        });
      const first = await dispatch(`${registry.host}/acme/sample-api@sha256:${'1'.repeat(64)}`);
      expectSucceeded(first, ['canary']);
      const asked = prometheus.queries.length;
      const second = await dispatch(`${registry.host}/acme/sample-api@sha256:${'2'.repeat(64)}`);
      expectSucceeded(second, ['canary']);
      expect(second.outputs.canary.rollout).toMatchObject({ status: 'succeeded', revision: '2' });
      expect(second.log).toMatch(/analysis at 10%: pass/);
      // k8s-rollout's analysis reached the protected Prometheus with the token.
      expect(prometheus.queries.slice(asked).some((query) => query.includes('track="canary"'))).toBe(true);
    },
    15 * 60_000,
  );

  it(
    'waves.yml on its schedule: the image tagged main, pinned by digest, through staging, a canary region and a matrix of regions',
    async () => {
      const repository = 'acme/sample-waves';
      const digest = pushTinyImage(`${registry.host}/${repository}:main`);
      const repo = userRepository('waves.yml', 'test/fixtures/gin-service', repository);
      addDeployFiles(repo);
      const regions = ['us-east', 'us-west', 'ap-south'];
      const secrets: Record<string, string> = {
        ...deploySecrets(),
        KUBECONFIG_STAGING: await kubeconfigIn('waves-staging'),
        KUBECONFIG_EU_WEST: await kubeconfigIn('eu-west'),
      };
      for (const region of regions)
        secrets[`KUBECONFIG_${region.toUpperCase().replace('-', '_')}`] = await kubeconfigIn(region);
      const run = await runAct({
        repo: repo.dir,
        workflow: 'waves.yml',
        event: 'schedule',
        payload: { schedule: '0 9 * * 1-5' },
        // The local registry speaks plain HTTP; on GitHub the image is on ghcr.io over TLS.
        vars: { REGISTRY: registry.host, REGISTRY_TLS_VERIFY: 'false', PROMETHEUS_URL: prometheus.url },
        secrets,
      });
      expectSucceeded(run, ['image', 'staging', 'canary-region', 'regions']);
      const imageRef = `${registry.host}/${repository}@${digest}`;
      expect(run.outputs.image.pin['image-ref']).toBe(imageRef);
      for (const namespace of ['waves-staging', 'eu-west', ...regions]) {
        const images = await kubectl(cluster.kubeconfig, [
          '-n',
          namespace,
          'get',
          'deployments',
          '-o',
          'jsonpath={range .items[?(@.spec.replicas>0)]}{.spec.template.spec.containers[0].image}{"\\n"}{end}',
        ]);
        expect([namespace, images.trim().split('\n')]).toEqual([namespace, [imageRef]]);
      }
      for (const namespace of ['eu-west', ...regions])
        expect((await service(namespace)).selector['gin-deploy/color']).toMatch(/^(blue|green)$/);
    },
    15 * 60_000,
  );

  it(
    'promote.yml on workflow_dispatch: promotes the blue-green rollout waiting before its switch',
    async () => {
      const kubeconfig = await kubeconfigIn('promote');
      const manifests = temp('act-promote-');
      const manifest = readFileSync(path.join(repoRoot, 'test/demo/deploy/sample-api.yaml'), 'utf8');
      writeFileSync(path.join(manifests, 'app.yaml'), manifest.replace(/^\s*nodeSelector:.*\n/m, ''));
      // The rollout that waits: blue serves, green is up, the switch waits for a person (pause: manual).
      const deploy = (image: string, pause?: string) =>
        runBundledAction('k8s-rollout', {
          inputs: {
            kubeconfig,
            manifests: 'app.yaml',
            image,
            strategy: 'blue-green',
            pause,
            'scale-down-delay': '0s',
          },
          workspace: manifests,
        });
      expect((await deploy(`registry.local/sample-api@sha256:${'a'.repeat(64)}`)).outputs.status).toBe(
        'succeeded',
      );
      const waiting = await deploy(`registry.local/sample-api@sha256:${'b'.repeat(64)}`, 'manual');
      expect([waiting.outputs.status, waiting.outputs['active-color']]).toEqual(['paused', 'blue']);

      const repo = userRepository('promote.yml');
      const run = await runAct({
        repo: repo.dir,
        workflow: 'promote.yml',
        event: 'workflow_dispatch',
        payload: {
          ref: 'refs/heads/main',
          inputs: { decision: 'promote', app: 'sample-api', strategy: 'blue-green' },
        },
        secrets: { KUBECONFIG: kubeconfig },
      });
      expectSucceeded(run, ['gate']);
      expect(run.outputs.gate.rollout).toMatchObject({ status: 'succeeded', 'active-color': 'green' });
      expect((await service('promote')).selector).toMatchObject({ 'gin-deploy/color': 'green' });
    },
    15 * 60_000,
  );

  describe('the scheduled workflows: drill and capacity, against one live Prometheus', () => {
    let kubelet: SampleKubelet;
    let live: RunningPrometheus;
    let load: LoadLoop;
    const namespace = 'production';

    beforeAll(async () => {
      const targets = temp('act-scrape-targets-');
      // drill.yml drills production/api: the sample service's real processes on the demo kubelet's node.
      kubelet = await startSampleKubelet({
        kubeconfig: cluster.kubeconfig,
        registry,
        work: temp('act-kubelet-'),
        nodeName: 'act-kubelet',
        version: '1.0.0-act',
      });
      cleanup.push(() => kubelet.stop());
      cleanup.push(scrapeTargets(cluster.kubeconfig, namespace, 'api', path.join(targets, 'api.json')));
      // slo-gate asks kube-state-metrics for current values (instant queries), which a backfilled history
      // ending minutes ago would not answer past Prometheus's 5-minute lookback: those series are scraped live.
      const exporter = await kubeStateMetrics(capacityHistory.filter(isKubeState));
      const tsdb = temp('act-tsdb-');
      await createTsdb(
        capacityHistory.filter((series) => !isKubeState(series)),
        tsdb,
      );
      live = await servePrometheus(tsdb, {
        scrapeConfigs: [
          {
            job_name: 'pods',
            scrape_interval: '1s',
            scrape_timeout: '900ms',
            file_sd_configs: [{ files: [path.join(targets, '*.json')] }],
          },
          {
            // As in a cluster, kube-state-metrics is scraped live; its labels are kept as it exports them.
            job_name: 'kube-state-metrics',
            scrape_interval: '2s',
            honor_labels: true,
            static_configs: [{ targets: [exporter] }],
            metric_relabel_configs: [{ action: 'labeldrop', regex: 'instance' }],
          },
        ],
      });
      cleanup.push(() => live.stop());
      await deployApp(
        cluster.kubeconfig,
        namespace,
        sampleApp('api', kubelet.image, { replicas: 2 }),
        120_000,
      );
      await waitFor('Prometheus to scrape both pods and kube-state-metrics', 60_000, async () => {
        const both = await instant(`count(up{namespace="${namespace}"} == 1)`);
        const ksm = await instant('count(kube_horizontalpodautoscaler_spec_max_replicas)');
        return both === '2' && ksm === '1' ? true : undefined;
      });
      // Traffic through the Ready pods for both drills and the window before the first (loopback only,
      // bounded in count and time).
      load = startLoad(cluster.kubeconfig, namespace, 'api', {
        perSecond: 20,
        maxRequests: 8000,
        maxMs: 6 * 60_000,
      });
      cleanup.push(() => load.stop());
      await new Promise((resolve) => setTimeout(resolve, 16_000));
    }, 20 * 60_000);

    async function instant(query: string): Promise<string | undefined> {
      const response = await fetch(`${live.url}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
      return body.data.result[0]?.value[1];
    }

    it(
      'drill.yml on its schedule, then dispatched: pod-kill, recovery measured, SLO held, history carried in the cache and kept as an artifact',
      async () => {
        const repo = userRepository('drill.yml');
        repo.write(
          '.github/drill-analysis.yaml',
          [
            `baseline: namespace="${namespace}"`,
            'minSamples: 50',
            'tolerance: 10%',
            'checks:',
            '  - name: errors',
            '    errorRatio:',
            '      errors: http_requests_total{route="/ping",code=~"5.."}',
            '      total: http_requests_total{route="/ping"}',
            '',
          ].join('\n'),
        );
        repo.commit('chore: drill analysis');
        const cacheDir = temp('act-drill-cache-');
        const drill = (runId: number, event: string, payload: object) => {
          const artifactDir = temp('act-drill-artifacts-');
          const run = runAct({
            repo: repo.dir,
            workflow: 'drill.yml',
            event,
            payload,
            vars: { PROMETHEUS_URL: live.url, DRILL_DURATION: '12s' },
            secrets: { KUBECONFIG: kubeconfigText, PROMETHEUS_TOKEN: PROMETHEUS_TOKEN },
            // Each run its own id, as on GitHub: the cache key of the history is per run.
            env: { GITHUB_RUN_ID: String(runId) },
            cacheDir,
            artifactDir,
          });
          return run.then((result) => ({ result, artifactDir }));
        };
        const historyIn = (artifactDir: string) =>
          JSON.parse(readFileSync(path.join(artifactDir, 'drill-history/history.json'), 'utf8')) as {
            drills: { app: string; fault: string; result: string; score: number; recoveryMs: number }[];
          };

        const weekly = await drill(101, 'schedule', { schedule: '17 6 * * 1' });
        expectSucceeded(weekly.result, ['drill']);
        const outputs = weekly.result.outputs.drill.drill;
        expect(outputs['drill-result']).toBe('pass');
        const recovery = Number(outputs['recovery-time']);
        // A new process had to start and pass /ready: never instant, well inside drill-recovery 60s.
        expect(recovery).toBeGreaterThan(0.5);
        expect(recovery).toBeLessThan(60);
        const score = Number(outputs['health-score']);
        expect(score).toBeGreaterThan(0);
        expect(JSON.parse(outputs.json)).toMatchObject({ 'drill-result': 'pass', 'health-score': score });
        expect(weekly.result.log).toContain(`Cache not found for input keys: drill-history-101`);
        expect(weekly.result.log).toContain('Cache saved with key: drill-history-101');
        expect(weekly.result.log).toContain(
          `drill pass, recovered in ${outputs['recovery-time']}s, health score ${score}`,
        );
        const summary = weekly.result.summaries.join('\n');
        expect(summary).toContain('### Drill: pod-kill 50% — ✅ pass');
        // The error ratio under the fault, measured by the live Prometheus against the window before.
        expect(summary).toMatch(/\| errors \| 0 \| 0 \| pass \|/);
        const first = historyIn(weekly.artifactDir);
        expect(first.drills).toMatchObject([
          { app: `${namespace}/api`, fault: 'pod-kill 50%', result: 'pass', score },
        ]);

        const byHand = await drill(102, 'workflow_dispatch', {
          ref: 'refs/heads/main',
          inputs: { fault: 'pod-kill 1', duration: '12s' },
        });
        expectSucceeded(byHand.result, ['drill']);
        expect(byHand.result.outputs.drill.drill['drill-result']).toBe('pass');
        // The history came back from the first run's cache entry and the second drill was appended.
        expect(byHand.result.log).toContain('Cache restored from key: drill-history-101');
        expect(byHand.result.log).toContain('Cache saved with key: drill-history-102');
        expect(historyIn(byHand.artifactDir).drills.map((entry) => entry.fault)).toEqual([
          'pod-kill 50%',
          'pod-kill 1',
        ]);
        process.stdout.write(
          `act drill: recovery ${recovery} s, score ${score}; dispatched: recovery ${byHand.result.outputs.drill.drill['recovery-time']} s\n`,
        );
      },
      15 * 60_000,
    );

    const capacity = (event: string, payload: object, artifactDir: string) =>
      runAct({
        repo: userRepository('capacity.yml').dir,
        workflow: 'capacity.yml',
        event,
        payload,
        vars: { PROMETHEUS_URL: live.url },
        secrets: { PROMETHEUS_TOKEN: PROMETHEUS_TOKEN },
        artifactDir,
      });

    it(
      'capacity.yml on its schedule: 8 replicas needed for the 214 req/s forecast with N+2, the HPA may reach 10',
      async () => {
        const artifactDir = temp('act-capacity-artifacts-');
        const run = await capacity('schedule', { schedule: '0 6 * * 1' }, artifactDir);
        expectSucceeded(run, ['capacity']);
        const outputs = run.outputs.capacity.capacity;
        // Trend 200 + 2/day, 7 days ahead: 214 req/s; ceil(214 × 1.2 / 50) + 2 = 8.
        expect(outputs).toMatchObject({
          decision: 'pass',
          'forecast-peak': '214',
          'required-replicas': '8',
          'max-replicas': '10',
        });
        const kept = readdirSync(path.join(artifactDir, 'capacity-report'));
        expect(kept).toEqual([path.basename(outputs.report)]);
        const report = JSON.parse(
          readFileSync(path.join(artifactDir, 'capacity-report', kept[0]), 'utf8'),
        ) as { perReplica: { value: number; source: string }; supply: { maxReplicas: number } };
        expect(report.perReplica).toMatchObject({ value: 50, source: 'history' });
        expect(report.supply).toMatchObject({ maxReplicas: 10, source: 'kube-state-metrics', replicas: 4 });
        expect(run.summaries.join('\n')).toContain('## Capacity: ✅ pass');
      },
      10 * 60_000,
    );

    it(
      'capacity.yml dispatched for an event twice as busy: short supply fails the job with the numbers, the report still kept',
      async () => {
        const artifactDir = temp('act-capacity-artifacts-');
        const run = await capacity(
          'workflow_dispatch',
          { ref: 'refs/heads/main', inputs: { 'event-multiplier': '2' } },
          artifactDir,
        );
        expect(run.jobs.capacity).toBe('failure');
        const outputs = run.outputs.capacity.capacity;
        // 428 req/s: ceil(428 × 1.2 / 50) + 2 = 13.
        expect(outputs).toMatchObject({
          decision: 'fail',
          'forecast-peak': '428',
          'required-replicas': '13',
          'max-replicas': '10',
        });
        expect(run.annotations).toContainEqual(
          expect.objectContaining({
            level: 'error',
            message: "next week's peak needs 13 replicas; the HPA allows 10 (see the job summary)",
          }),
        );
        expect(readdirSync(path.join(artifactDir, 'capacity-report'))).toEqual([
          path.basename(outputs.report),
        ]);
      },
      10 * 60_000,
    );
  });
});

/**
 * capacity.yml's service: production/api with five weeks of history, more than the workflow's 28-day lookback
 * so that every day it looks at is whole (capacity-history.ts's "shop": peaks growing 2 req/s a day to 200
 * today, one day when two of the four pods carried the peak and the latency SLO broke, so 50 req/s per pod
 * with the SLO met), moved to end now, as the workflow asks at the time it runs. The shift is whole 5-minute
 * steps, the subqueries' resolution, so every rate lines up as in the original.
 */
const capacityHistory: SeriesDefinition[] = (() => {
  const pods = ['x7k2p', 'b9q4d', 'm3n8z', 'r5t6w'].map((id) => `api-6f8d9c7b5-${id}`);
  const scenario: Scenario = {
    service: 'api',
    namespace: 'production',
    pods,
    spanMs: 35 * DAY,
    replicas: 4,
    containers: [{ name: 'api', cpu: 0.2, memoryBytes: 192 * 2 ** 20 }],
    peak: (day) => 200 + 2 * day,
    base: 60,
    overloaded: { day: -9, serving: 2 },
    hpa: { maxReplicas: 10 },
  };
  const series = scenarioSeries(scenario);
  const end = Math.max(...series.map((entry) => ('endMs' in entry ? entry.endMs : 0)));
  const step = 5 * 60_000;
  const shift = Math.floor((Date.now() - end) / step) * step;
  return series.map((entry) =>
    'samples' in entry
      ? entry
      : {
          ...entry,
          startMs: entry.startMs + shift,
          endMs: entry.endMs + shift,
          value: (time: number) => entry.value(time - shift),
        },
  );
})();

const isKubeState = (series: SeriesDefinition) => series.metric.startsWith('kube_');

/** A kube-state-metrics stand-in: the series' current values in the text format; returns its host:port. */
async function kubeStateMetrics(series: SeriesDefinition[]): Promise<string> {
  const text = series
    .map((entry) => {
      const labels = Object.entries(entry.labels ?? {})
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(',');
      const value = 'samples' in entry ? entry.samples.at(-1)![1] : entry.value(entry.endMs);
      return `${entry.metric}{${labels}} ${value}\n`;
    })
    .join('');
  const server = http.createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}
