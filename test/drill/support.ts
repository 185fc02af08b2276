// Shared by the drill tests: the test cluster with the demo kubelet, whose pods are real processes of the
// sample Gin service pushed to a local registry, and the sample app deployed onto it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import type { ActionRun } from '@gin-deploy/runner';
import { startSampleKubelet, type SampleKubelet } from '../demo/kubelet-fixture.js';
export { sampleApp } from '../demo/kubelet-fixture.js';
import { runBundledAction } from '../support/action.js';
import { kubectl, startCluster, type Cluster } from '../support/cluster.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { waitFor } from '../support/wait.js';

export const NODE = 'drill-kubelet';

export interface DemoCluster {
  readonly kubeconfig: string;
  readonly image: string;
  readonly work: string;
}

/** The cluster, the registry with the sample image, and the demo kubelet, for the calling test file. */
export function useDemoCluster(options: { kubelet?: boolean } = {}): DemoCluster {
  let cluster: Cluster | undefined;
  let registry: Registry | undefined;
  let kubelet: SampleKubelet | undefined;
  const work = mkdtempSync(path.join(os.tmpdir(), 'drill-test-'));
  beforeAll(async () => {
    if (options.kubelet === false) {
      cluster = await startCluster();
      return;
    }
    [cluster, registry] = await Promise.all([startCluster(), startRegistry()]);
    kubelet = await startSampleKubelet({
      kubeconfig: cluster.kubeconfig,
      registry,
      work,
      nodeName: NODE,
      version: '1.0.0-drill',
    });
  }, 15 * 60_000);
  afterAll(async () => {
    await kubelet?.stop();
    await Promise.all([cluster?.stop(), registry?.stop()]);
    rmSync(work, { recursive: true, force: true });
  }, 120_000);
  return {
    get kubeconfig() {
      if (!cluster) throw new Error('the test cluster did not start');
      return cluster.kubeconfig;
    },
    get image() {
      return kubelet?.image ?? '';
    },
    work,
  };
}

/** Applies the app and waits until every replica is Ready. */
export async function deployApp(kubeconfig: string, namespace: string, manifest: string, timeoutMs = 90_000) {
  await kubectl(kubeconfig, ['-n', namespace, 'apply', '-f', '-'], manifest);
  const name = /"name":"([^"]+)"/.exec(manifest)![1];
  await waitFor(
    `${namespace}/${name} to be available`,
    timeoutMs,
    async () => {
      const out = await kubectl(kubeconfig, [
        '-n',
        namespace,
        'get',
        'deployment',
        name,
        '-o',
        'jsonpath={.spec.replicas} {.status.readyReplicas}',
      ]);
      const [want, ready] = out.split(' ').map(Number);
      return want > 0 && ready === want ? true : undefined;
    },
    500,
  );
}

export async function podNames(kubeconfig: string, namespace: string, app: string): Promise<string[]> {
  const out = await kubectl(kubeconfig, ['-n', namespace, 'get', 'pods', '-l', `app=${app}`, '-o', 'name']);
  return out.split('\n').filter(Boolean).sort();
}

export function drill(
  kubeconfig: string,
  inputs: Record<string, string | undefined>,
  options: { workspace?: string; onOutput?: (chunk: string) => void } = {},
): Promise<ActionRun> {
  return runBundledAction('k8s-rollout', {
    inputs: { kubeconfig, action: 'drill', 'drill-duration': '3s', 'drill-recovery': '30s', ...inputs },
    workspace: options.workspace,
    onOutput: options.onOutput && ((chunk) => options.onOutput!(chunk)),
    timeoutMs: 4 * 60_000,
  });
}

/** The pid of a child of this process running a bundled action (the runner's step), once there is one. */
export function stepPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes('dist/k8s-rollout/index.js')) return Number(entry);
    } catch {
      // The process ended while it was read.
    }
  }
  return undefined;
}
