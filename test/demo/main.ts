import { execFile, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { kubectl, startCluster } from '../support/cluster.js';
import { createTsdb, servePrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { waitFor } from '../support/wait.js';
import { sampleServiceHistory } from './history.js';
import { DemoServices } from './services.js';

/**
 * `make demo`: the whole chain on the sample Gin service, each action run from its bundle through the CLI
 * with the previous one's outputs, against a local registry, Prometheus and Kubernetes. The registry, the
 * cluster and the demo kubelet stay up afterwards (the next `make demo` rolls out over what is serving);
 * `make demo-down` stops them.
 */

const root = process.env.GIN_DEPLOY_ROOT ?? process.cwd();
const state = path.join(root, '.cache', 'demo');
const cluster = 'gin-deploy-demo';
const nodeName = 'gin-deploy-demo-node';
const registryPort = Number(process.env.DEMO_REGISTRY_PORT ?? 5605);
const registry = `127.0.0.1:${registryPort}`;
const strategy = process.env.DEMO_STRATEGY ?? 'blue-green';
const summaryFile = path.join(state, 'summary.md');
const services = new DemoServices(state);
const run = promisify(execFile);

type Outputs = Record<string, string>;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function startRegistry(): Promise<void> {
  const config = path.join(state, 'registry.yml');
  mkdirSync(path.join(state, 'registry'), { recursive: true });
  writeFileSync(
    config,
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(state, 'registry')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${registry}\n`,
  );
  services.start('registry', 'docker-registry', ['serve', config]);
  await waitFor(`the registry on ${registry}`, 30_000, async () =>
    (await fetch(`http://${registry}/v2/`)).ok ? true : undefined,
  );
}

/** The demo's cluster, reused while it is healthy: up.sh would recreate it and lose what is serving. */
async function demoCluster(): Promise<string> {
  const cache = process.env.GIN_DEPLOY_CACHE ?? path.join(os.homedir(), '.cache/gin-deploy');
  const kubeconfig = path.join(
    process.env.KWOK_WORKDIR ?? path.join(cache, 'kwok'),
    'clusters',
    cluster,
    'kubeconfig.yaml',
  );
  const healthy =
    existsSync(kubeconfig) &&
    (await kubectl(kubeconfig, ['--request-timeout=10s', 'get', '--raw', '/readyz']).then(
      () => true,
      () => false,
    ));
  return healthy ? kubeconfig : (await startCluster(cluster)).kubeconfig;
}

async function startKubelet(kubeconfig: string): Promise<void> {
  services.start('kubelet', process.execPath, [
    path.join(state, 'bin/kubelet/index.js'),
    kubeconfig,
    nodeName,
    path.join(state, 'kubelet'),
  ]);
  await waitFor(`the demo kubelet's node ${nodeName}`, 30_000, async () => {
    const ready = await kubectl(kubeconfig, [
      'get',
      'node',
      nodeName,
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    return ready === 'True' ? true : undefined;
  });
}

async function startPrometheus(): Promise<RunningPrometheus> {
  const dataDir = path.join(state, 'tsdb');
  rmSync(dataDir, { recursive: true, force: true });
  await createTsdb(sampleServiceHistory(Date.now()), dataDir);
  return servePrometheus(dataDir, { removeOnStop: [dataDir] });
}

/** One action through the CLI, as a workflow step: its log streams through, its outputs come back. */
async function action(name: string, inputs: Record<string, string>): Promise<Outputs> {
  const args = [name, '--json', '--summary-file', summaryFile];
  for (const [input, value] of Object.entries(inputs)) args.push(`--${input}`, value);
  say(`\n▶ ${name}`);
  const started = Date.now();
  const child = spawn(path.join(root, 'bin/gin-deploy'), args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code: number = await new Promise((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
  say(
    `  ${name} ${code === 0 ? 'done' : `failed (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const outputs = (stdout.trim() ? JSON.parse(stdout) : {}) as Outputs;
  if (code !== 0) Object.assign(outputs, { failed: 'true' });
  return outputs;
}

interface PodList {
  items: {
    metadata: { name: string; labels?: Record<string, string> };
    status: { podIP?: string; conditions?: { type: string; status: string }[] };
  }[];
}

/** What answers behind the Service now: each ready pod it selects, asked for /version. */
async function serving(kubeconfig: string): Promise<{ pod: string; version: string }[]> {
  const service = JSON.parse(await kubectl(kubeconfig, ['get', 'service', 'sample-api', '-o', 'json'])) as {
    spec: { selector: Record<string, string> };
  };
  const selector = service.spec.selector;
  const labelSelector = Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const pods = JSON.parse(
    await kubectl(kubeconfig, ['get', 'pods', '-l', labelSelector, '-o', 'json']),
  ) as PodList;
  const answers = [];
  for (const pod of pods.items) {
    const ready = pod.status.conditions?.some(
      (condition) => condition.type === 'Ready' && condition.status === 'True',
    );
    if (!ready || !pod.status.podIP) continue;
    const response = await fetch(`http://${pod.status.podIP}:8080/version`, {
      signal: AbortSignal.timeout(2000),
    });
    const body = (await response.json()) as { version: string };
    answers.push({ pod: pod.metadata.name, version: body.version });
  }
  return answers;
}

async function up(): Promise<number> {
  const started = Date.now();
  mkdirSync(state, { recursive: true });
  writeFileSync(summaryFile, `# gin-deploy demo — ${new Date().toISOString()}\n\n`);
  say(
    'Starting the local components: registry, Kubernetes (etcd, apiserver, controller-manager, scheduler, KWOK), demo kubelet, Prometheus',
  );
  await startRegistry();
  const kubeconfig = await demoCluster();
  await startKubelet(kubeconfig);
  const prometheus = await startPrometheus();
  say(`  registry http://${registry}, Prometheus ${prometheus.url}, KUBECONFIG=${kubeconfig}`);
  const before = await serving(kubeconfig).catch(() => []);

  try {
    const service = 'test/fixtures/gin-service';
    const image = `${registry}/sample-api`;
    const version = await action('inject-version', { 'working-directory': service, image });
    if (version.failed) return 1;
    const build = await action('go-cross-build', {
      'working-directory': service,
      targets: 'linux/amd64,linux/arm64',
      ldflags: version.ldflags,
      'output-dir': path.join(state, 'build'),
    });
    if (build.failed) return 1;
    const pushed = await action('docker-multistage', {
      artifacts: build.artifacts,
      image,
      tags: version['docker-tags'],
      labels: version.labels,
      'sbom-file': path.join(state, 'sbom.spdx.json'),
    });
    if (pushed.failed) return 1;
    const gate = await action('slo-gate', { 'prometheus-url': prometheus.url, slos: 'test/demo/slos.yaml' });
    let rollout: Outputs = {};
    if (gate.decision === 'fail' || gate.failed) {
      say('  the SLO gate blocked the deploy');
    } else {
      rollout = await action('k8s-rollout', {
        kubeconfig,
        manifests: 'test/demo/deploy',
        image: pushed['image-ref'],
        strategy,
        version: version.version,
        commit: version.commit,
        'ready-timeout': '20s',
        'scale-down-delay': '0s',
      });
    }
    const after = await serving(kubeconfig);
    const report = [
      '## Demo report',
      '',
      `| step | result |`,
      `| --- | --- |`,
      `| version | ${version.version} (commit ${version['short-commit']}) |`,
      `| binaries | ${(JSON.parse(build.artifacts) as { os: string; arch: string }[]).map((a) => `${a.os}/${a.arch}`).join(', ')} |`,
      `| image | ${pushed['image-ref']} |`,
      `| SLO gate | ${gate.decision ?? 'error'} (budget remaining ${gate['budget-remaining'] ?? '?'}) |`,
      `| rollout (${strategy}) | ${rollout.status ?? 'not run'}${rollout['active-color'] ? `, live color ${rollout['active-color']}` : ''} |`,
      `| serving before | ${describeServing(before)} |`,
      `| serving now | ${describeServing(after)} |`,
      `| took | ${((Date.now() - started) / 1000).toFixed(1)} s |`,
    ].join('\n');
    appendFileSync(summaryFile, `\n${report}\n`);
    say(`\n${report}\n\nJob summaries of all five steps: ${path.relative(root, summaryFile)}`);
    say(
      'The registry, the cluster and the demo kubelet keep running for the next `make demo`; `make demo-down` stops them.',
    );
    return rollout.status === 'succeeded' || rollout.status === 'rolled-back' ? 0 : 1;
  } finally {
    await prometheus.stop();
  }
}

function describeServing(pods: { pod: string; version: string }[]): string {
  if (pods.length === 0) return 'nothing';
  const versions = [...new Set(pods.map((pod) => pod.version))];
  return `${pods.length} pod(s) answering version ${versions.join(', ')}`;
}

async function down(): Promise<void> {
  const stopped = services.stopAll();
  await run('bash', [path.join(root, 'test/cluster/down.sh'), cluster]).catch(() => undefined);
  say(`stopped: ${[...stopped, `cluster ${cluster}`].join(', ')}`);
}

const mode = process.argv[2] ?? 'up';
if (mode === 'down') {
  await down();
} else {
  try {
    process.exitCode = await up();
  } catch (error) {
    process.stderr.write(`demo failed: ${(error as Error).message}\nstopping what it started\n`);
    await down();
    process.exitCode = 1;
  }
}
