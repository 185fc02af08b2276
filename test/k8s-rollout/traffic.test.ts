import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { kubectl } from '../support/cluster.js';
import { freePort } from '../support/ports.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { waitFor } from '../support/wait.js';
import { ANALYSIS, side } from './analysis.js';
import { appManifests, digestImage, tempDir, useRolloutCluster, visibleLog, writeFiles } from './support.js';

const cluster = useRolloutCluster(300_000);

const GATEWAY_API = 'sigs.k8s.io/gateway-api@v1.2.1';
const TOKEN = 'prom-s3cret-bearer-7f3a';
const TENANT = 'tenant-s3cret-42';
let prometheus: RunningPrometheus;
let proxy: Server;
let proxyUrl: string;
let unauthorized = 0;

/** Prometheus behind a front that answers 401 unless the bearer token and the tenant header come along. */
async function startAuthProxy(target: string): Promise<void> {
  proxy = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}` || request.headers['x-scope-orgid'] !== TENANT) {
      unauthorized++;
      response.writeHead(401).end('unauthorized');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void fetch(`${target}${request.url ?? ''}`, {
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: request.method === 'POST' ? Buffer.concat(chunks) : undefined,
      }).then(async (upstream) =>
        response
          .writeHead(upstream.status, { 'content-type': 'application/json' })
          .end(await upstream.text()),
      );
    });
  });
  const port = await freePort();
  proxy.listen(port, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${port}`;
}

/** The real HTTPRoute CRD from the Gateway API module (no controller: the test reads the weights itself). */
async function installHttpRouteCrd(kubeconfig: string): Promise<void> {
  const { stdout } = await promisify(execFile)('go', ['mod', 'download', '-json', GATEWAY_API], {
    cwd: os.tmpdir(),
    timeout: 5 * 60_000,
  });
  const dir = (JSON.parse(stdout) as { Dir: string }).Dir;
  await kubectl(kubeconfig, [
    'apply',
    '--server-side',
    '-f',
    path.join(dir, 'config/crd/standard/gateway.networking.k8s.io_httproutes.yaml'),
  ]);
  // Polled rather than `kubectl wait`, which fails at once while the new CRD has no status.conditions yet.
  await waitFor('the HTTPRoute CRD to be Established', 60_000, async () => {
    const established = await kubectl(kubeconfig, [
      'get',
      'crd/httproutes.gateway.networking.k8s.io',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);
    return established.trim() === 'True' ? true : undefined;
  });
}

beforeAll(async () => {
  prometheus = await startPrometheus([
    ...side('gw', 'stable', 0.01),
    ...side('gw', 'canary', 0.01),
    ...side('gwbad', 'stable', 0.01),
    ...side('gwbad', 'canary', 0.05),
  ]);
  await startAuthProxy(prometheus.url);
  await installHttpRouteCrd(cluster.kubeconfig);
}, 8 * 60_000);

afterAll(async () => {
  proxy?.close();
  await prometheus?.stop();
}, 120_000);

function httpRoute(app: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${app}
spec:
  parentRefs: [{ name: public }]
  hostnames: [${app}.example]
  rules:
    - matches: [{ path: { type: PathPrefix, value: / } }]
      backendRefs: [{ name: ${app}, port: 80 }]
`;
}

function ingress(app: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${app}
spec:
  ingressClassName: nginx
  rules:
    - host: ${app}.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: ${app}, port: { number: 80 } } }
`;
}

type Refs = { name: string; port: number; weight?: number }[];

async function backendRefs(namespace: string, route: string): Promise<Refs> {
  const object = await cluster.getJson<{ spec: { rules: { backendRefs: Refs }[] } }>([
    '-n',
    namespace,
    'get',
    'httproute',
    route,
  ]);
  return object.spec.rules[0].backendRefs;
}

async function selector(namespace: string, service: string): Promise<Record<string, string>> {
  const object = await cluster.getJson<{ spec: { selector: Record<string, string> } }>([
    '-n',
    namespace,
    'get',
    'service',
    service,
  ]);
  return object.spec.selector;
}

/** Reads the route every 300 ms until `done` settles: every distinct set of weights it went through. */
async function watchWeights<T>(namespace: string, route: string, done: Promise<T>): Promise<string[]> {
  const seen: string[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const refs = await backendRefs(namespace, route).catch(() => []);
    const state = refs.map((ref) => `${ref.name}=${ref.weight ?? '-'}`).join(',');
    if (state && seen.at(-1) !== state) seen.push(state);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return seen;
}

async function setUp(
  app: string,
  image: string,
  files: Record<string, string>,
  inputs: Record<string, string>,
) {
  const namespace = await cluster.createNamespace(`traffic-${app}`);
  const workspace = writeFiles(tempDir(`traffic-${app}`), {
    'app.yaml': appManifests(app, image, 4),
    'analysis.yaml': ANALYSIS,
    ...files,
  });
  const deploy = (more: Record<string, string>) =>
    cluster.rollout(
      { manifests: Object.keys(files).concat('app.yaml').join(','), namespace, strategy: 'canary', ...more },
      workspace,
    );
  const first = await deploy(inputs);
  expect([first.exitCode, first.outputs.status]).toEqual([0, 'succeeded']);
  return { namespace, deploy };
}

const analysis = {
  analysis: 'analysis.yaml',
  'prometheus-bearer-token': TOKEN,
  'prometheus-headers': `X-Scope-OrgID: ${TENANT}`,
};

describe('k8s-rollout canary with exact traffic weights', () => {
  it('gateway-api: weights the HTTPRoute at each step, analysis through an authenticating Prometheus, promotes', async () => {
    const v1 = digestImage('gw', '1');
    const v2 = digestImage('gw', '2');
    const traffic = { traffic: 'gateway-api', route: 'gw' };
    const { namespace, deploy } = await setUp('gw', v1, { 'route.yaml': httpRoute('gw') }, traffic);
    expect(await selector(namespace, 'gw')).toEqual({ app: 'gw', track: 'stable' });

    const running = deploy({
      ...traffic,
      ...analysis,
      image: v2,
      'canary-steps': '20,50,100',
      pause: '2s',
      'prometheus-url': proxyUrl,
    });
    const [run, states] = await Promise.all([running, watchWeights(namespace, 'gw', running)]);
    expect([run.exitCode, run.outputs.status, run.outputs.revision]).toEqual([0, 'succeeded', '2']);
    expect(run.stdout.match(/analysis at \d+%: pass/g)).toHaveLength(2);
    expect(states.filter((s) => s.includes('gw-canary'))).toEqual([
      'gw=80,gw-canary=20',
      'gw=50,gw-canary=50',
    ]);
    expect(await backendRefs(namespace, 'gw')).toEqual([
      { group: '', kind: 'Service', name: 'gw', port: 80, weight: 100 },
    ]);
    expect(await selector(namespace, 'gw-canary')).toEqual({ app: 'gw', track: 'canary' });
    expect(run.summary).toContain(`### Traffic: gateway-api (exact weights at HTTPRoute ${namespace}/gw)`);
    expect(run.summary).toContain('| 1 | 20% | 80% |\n| 2 | 50% | 50% |\n| promote | 0% | 100% |');
    expect(await cluster.readyPodImages(namespace, 'app=gw,track=stable')).toEqual([v2, v2, v2, v2]);
    expect(unauthorized).toBe(0);
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
    for (const log of [visibleLog(run), run.summary, JSON.stringify(run.outputs)]) {
      expect(log).not.toContain(TOKEN);
      expect(log).not.toContain(TENANT);
    }

    const missing = await deploy({ traffic: 'gateway-api', route: 'nope', image: digestImage('gw', '3') });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toEqual([
      `input 'route': HTTPRoute ${namespace}/nope does not exist (or the Gateway API HTTPRoute CRD gateway.networking.k8s.io/v1 is not installed)`,
    ]);
    expect((await cluster.deployment(namespace, 'gw')).spec.template.spec.containers[0].image).toBe(v2);
    expect((await cluster.deployment(namespace, 'gw-canary')).spec.replicas).toBe(0);
  });

  it('gateway-api: a failing analysis sends all traffic back to stable; stable pods are labelled first', async () => {
    const v1 = digestImage('gwbad', '1');
    const v2 = digestImage('gwbad', '2');
    const { namespace, deploy } = await setUp('gwbad', v1, { 'route.yaml': httpRoute('gwbad') }, {});
    expect(await selector(namespace, 'gwbad')).toEqual({ app: 'gwbad' });
    const refused = await deploy({
      ...analysis,
      'prometheus-bearer-token': 'not-the-token',
      traffic: 'gateway-api',
      route: 'gwbad',
      image: v2,
      'canary-steps': '25,100',
      'prometheus-url': proxyUrl,
    });
    expect([refused.exitCode, refused.outputs.status]).toEqual([1, 'rolled-back']);
    expect(refused.stdout).toContain('labelling the stable gwbad pods track=stable');
    expect(refused.errors[0]).toMatch(/canary analysis at 25% could not run: .*401/);
    expect((await backendRefs(namespace, 'gwbad')).map((ref) => ref.weight)).toEqual([100, 0]);
    expect(unauthorized).toBeGreaterThan(0);
    const run = await deploy({
      ...analysis,
      traffic: 'gateway-api',
      route: 'gwbad',
      image: v2,
      'canary-steps': '25,100',
      'prometheus-url': proxyUrl,
    });
    expect([run.exitCode, run.outputs.status]).toEqual([1, 'rolled-back']);
    expect(run.errors[0]).toMatch(/canary analysis at 25% is fail/);
    expect(await backendRefs(namespace, 'gwbad')).toEqual([
      { group: '', kind: 'Service', name: 'gwbad', port: 80, weight: 100 },
      { group: '', kind: 'Service', name: 'gwbad-canary', port: 80, weight: 0 },
    ]);
    expect(await selector(namespace, 'gwbad')).toEqual({ app: 'gwbad', track: 'stable' });
    expect(run.summary).toContain('| 1 | 25% | 75% |\n| abort | 0% | 100% |');
    expect((await cluster.deployment(namespace, 'gwbad-canary')).spec.replicas).toBe(0);
    expect(await cluster.readyPodImages(namespace, 'app=gwbad,track=stable')).toEqual([v1, v1, v1, v1]);
    expect(visibleLog(run)).not.toContain(TOKEN);
  });

  it('ingress-nginx: a canary Ingress at the step weight, 0 after abort, deleted after promote', async () => {
    const [v1, v2, v3] = ['1', '2', '3'].map((c) => digestImage('ing', c));
    const traffic = { traffic: 'ingress-nginx', ingress: 'ing' };
    const { namespace, deploy } = await setUp('ing', v1, { 'ingress.yaml': ingress('ing') }, traffic);
    const canaryIngress = () =>
      cluster.getJson<{
        metadata: { annotations: Record<string, string> };
        spec: {
          ingressClassName: string;
          rules: { host: string; http: { paths: { backend: unknown }[] } }[];
        };
      }>(['-n', namespace, 'get', 'ingress', 'ing-canary']);
    const finish = (action: string) =>
      cluster.rollout({ name: 'ing', namespace, strategy: 'canary', action, ...traffic });

    const paused = await deploy({ ...traffic, image: v2, 'canary-steps': '40', pause: 'manual' });
    expect([paused.exitCode, paused.outputs.status]).toEqual([0, 'paused']);
    const at40 = await canaryIngress();
    expect(at40.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '40',
    });
    expect(at40.spec.ingressClassName).toBe('nginx');
    expect(at40.spec.rules.map((r) => [r.host, r.http.paths.map((p) => p.backend)])).toEqual([
      ['ing.example', [{ service: { name: 'ing-canary', port: { number: 80 } } }]],
    ]);
    expect(await cluster.readyPodImages(namespace, 'app=ing,track=stable')).toEqual([v1, v1, v1, v1]);

    const aborted = await finish('abort');
    expect([aborted.exitCode, aborted.outputs.status]).toEqual([0, 'rolled-back']);
    expect((await canaryIngress()).metadata.annotations['nginx.ingress.kubernetes.io/canary-weight']).toBe(
      '0',
    );
    expect((await cluster.deployment(namespace, 'ing-canary')).spec.replicas).toBe(0);

    await deploy({ ...traffic, image: v3, 'canary-steps': '60', pause: 'manual' });
    const withoutRouter = await cluster.rollout({
      name: 'ing',
      namespace,
      strategy: 'canary',
      action: 'promote',
    });
    expect(withoutRouter.errors).toEqual([
      `input 'traffic': the canary of ${namespace}/ing runs behind exact weights (Service ing-canary exists); give the 'traffic' and 'route' or 'ingress' inputs of its deploy to promote it`,
    ]);
    expect((await canaryIngress()).metadata.annotations['nginx.ingress.kubernetes.io/canary-weight']).toBe(
      '60',
    );
    const promoted = await finish('promote');
    expect([promoted.exitCode, promoted.outputs.status]).toEqual([0, 'succeeded']);
    await expect(canaryIngress()).rejects.toThrow(/NotFound|not found/);
    expect(await cluster.readyPodImages(namespace, 'app=ing,track=stable')).toEqual([v3, v3, v3, v3]);
    expect(promoted.summary).toContain(
      `### Traffic: ingress-nginx (exact weights at Ingress ${namespace}/ing-canary)`,
    );
  });

  it('rejects gateway-api without route and ingress-nginx without ingress before touching the cluster', async () => {
    const base = { name: 'x', image: digestImage('x', '1'), strategy: 'canary' };
    const noRoute = await cluster.rollout({ ...base, traffic: 'gateway-api' });
    expect([noRoute.exitCode, noRoute.errors]).toEqual([
      1,
      [
        "input 'route' is required when 'traffic' is gateway-api: the name of the HTTPRoute whose backendRefs get the weights",
      ],
    ]);
    const noIngress = await cluster.rollout({ ...base, traffic: 'ingress-nginx' });
    expect(noIngress.errors).toEqual([
      "input 'ingress' is required when 'traffic' is ingress-nginx: the name of the stable Ingress the canary Ingress copies",
    ]);
    const badHeader = await cluster.rollout({
      ...base,
      'prometheus-headers': 'no separator here',
    });
    expect(badHeader.errors[0]).toMatch(/^input 'prometheus-headers': a line is not 'Name: value'/);
  });
});
