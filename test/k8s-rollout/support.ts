// Shared by the k8s-rollout tests: manifests on disk, the bundled action against a cluster, kubectl reads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, jest } from '@jest/globals';
import type { ActionRun } from '@gin-deploy/runner';
import { runBundledAction, type BundledRunOptions } from '../support/action.js';
import { kubectl, startCluster, type Cluster } from '../support/cluster.js';

/** One test cluster for the calling test file: started in beforeAll, stopped in afterAll. */
export function useCluster(): { readonly kubeconfig: string } {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 30 * 60_000);
  afterAll(async () => {
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await cluster?.stop();
  }, 120_000);
  return {
    get kubeconfig() {
      if (!cluster) throw new Error('the test cluster did not start');
      return cluster.kubeconfig;
    },
  };
}

/** The test cluster of a k8s-rollout test file, and the reads and runs of the tests bound to it. */
export interface RolloutCluster {
  readonly kubeconfig: string;
  createNamespace(name: string): Promise<string>;
  rollout(
    inputs: Record<string, string | undefined>,
    workspace?: string,
    options?: Omit<BundledRunOptions, 'inputs' | 'workspace'>,
  ): Promise<ActionRun>;
  kubectl(args: string[], input?: string): Promise<string>;
  getJson<T>(args: string[]): Promise<T>;
  deployment(namespace: string, name: string): Promise<DeploymentView>;
  readyPodImages(namespace: string, selector: string): Promise<string[]>;
  serviceSelector(namespace: string, name: string): Promise<Record<string, string>>;
  leases(namespace: string): Promise<string[]>;
}

/** One test cluster for the calling test file (see useCluster), each of whose tests may take `timeoutMs`. */
export function useRolloutCluster(timeoutMs: number): RolloutCluster {
  const cluster = useCluster();
  jest.setTimeout(timeoutMs);
  return {
    get kubeconfig() {
      return cluster.kubeconfig;
    },
    createNamespace: (name) => createNamespace(cluster.kubeconfig, name),
    rollout: (inputs, workspace, options) => rollout(cluster.kubeconfig, inputs, workspace, options),
    kubectl: (args, input) => kubectl(cluster.kubeconfig, args, input),
    getJson: (args) => getJson(cluster.kubeconfig, args),
    deployment: (namespace, name) => deployment(cluster.kubeconfig, namespace, name),
    readyPodImages: (namespace, selector) => readyPodImages(cluster.kubeconfig, namespace, selector),
    serviceSelector: (namespace, name) => serviceSelector(cluster.kubeconfig, namespace, name),
    leases: (namespace) => leases(cluster.kubeconfig, namespace),
  };
}

/** `registry.local/<repo>@sha256:<64 × char>`: a digest reference kwok never pulls. */
export function digestImage(repository: string, char: string): string {
  return `registry.local/${repository}@sha256:${char.repeat(64)}`;
}

const tempDirs: string[] = [];

/** A scratch folder, removed with the cluster in afterAll. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `k8s-rollout-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A production-shaped Deployment and Service of the sample API. */
export function appManifests(name: string, image: string, replicas = 3): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name} }
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  strategy:
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 65532 }
      containers:
        - name: api
          image: ${image}
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http } }
          livenessProbe: { httpGet: { path: /health, port: http } }
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { cpu: 500m, memory: 256Mi }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

/** Runs the bundled action; `options` can pick the post phase, hand over state, or signal the process. */
export function rollout(
  kubeconfig: string,
  inputs: Record<string, string | undefined>,
  workspace?: string,
  options: Omit<BundledRunOptions, 'inputs' | 'workspace'> = {},
): Promise<ActionRun> {
  return runBundledAction('k8s-rollout', {
    inputs: { kubeconfig, 'ready-timeout': '20s', timeout: '90s', 'scale-down-delay': '0s', ...inputs },
    workspace,
    timeoutMs: 4 * 60_000,
    ...options,
  });
}

/** The selector of a Service, e.g. `{ app: 'web', 'gin-deploy/color': 'blue' }`. */
export async function serviceSelector(
  kubeconfig: string,
  namespace: string,
  name: string,
): Promise<Record<string, string>> {
  return JSON.parse(
    await kubectl(kubeconfig, ['-n', namespace, 'get', 'service', name, '-o', 'jsonpath={.spec.selector}']),
  );
}

/** The names of the Leases in the namespace (`lease.coordination.k8s.io/<name>` lines). */
export async function leases(kubeconfig: string, namespace: string): Promise<string[]> {
  const text = await kubectl(kubeconfig, ['-n', namespace, 'get', 'leases', '-o', 'name']);
  return text.split('\n').filter(Boolean);
}

/** What the log shows once the runner has consumed the ::add-mask:: commands. */
export function visibleLog(run: ActionRun): string {
  return (run.stdout + run.stderr).replace(/^::add-mask::.*$/gm, '');
}

export async function getJson<T>(kubeconfig: string, args: string[]): Promise<T> {
  return JSON.parse(await kubectl(kubeconfig, [...args, '-o', 'json'])) as T;
}

export interface DeploymentView {
  metadata: { annotations?: Record<string, string>; generation: number };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
  status: { availableReplicas?: number; updatedReplicas?: number; readyReplicas?: number; replicas?: number };
}

export async function deployment(
  kubeconfig: string,
  namespace: string,
  name: string,
): Promise<DeploymentView> {
  return getJson<DeploymentView>(kubeconfig, ['-n', namespace, 'get', 'deployment', name]);
}

/** Images of the Ready pods selected by `selector`, sorted: what a Service in front of them serves. */
export async function readyPodImages(
  kubeconfig: string,
  namespace: string,
  selector: string,
): Promise<string[]> {
  const pods = await getJson<{
    items: {
      metadata: { deletionTimestamp?: string };
      spec: { containers: { image: string }[] };
      status: { conditions?: { type: string; status: string }[] };
    }[];
  }>(kubeconfig, ['-n', namespace, 'get', 'pods', '-l', selector]);
  return pods.items
    .filter(
      (pod) =>
        !pod.metadata.deletionTimestamp &&
        pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    )
    .map((pod) => pod.spec.containers[0].image)
    .sort();
}

export async function createNamespace(kubeconfig: string, name: string): Promise<string> {
  await kubectl(kubeconfig, ['create', 'namespace', name]);
  return name;
}
