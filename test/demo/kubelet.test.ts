import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBundledAction, describeRun } from '../support/action.js';
import { kubectl, startCluster, type Cluster } from '../support/cluster.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { buildSample } from '../docker-multistage/sample.js';
import { waitFor } from '../support/wait.js';
import { DemoKubelet } from './kubelet.js';

// The demo kubelet is what lets `make demo` show a real rollout: pods on its node are the image's own binary,
// and the pod's probes reach the real process. These tests hold it to that.

const nodeName = 'demo-kubelet-test';
let cluster: Cluster;
let registry: Registry;
let kubelet: DemoKubelet;
let running: Promise<void>;
let imageRef: string;
const work = mkdtempSync(path.join(os.tmpdir(), 'demo-kubelet-'));

interface PodStatus {
  podIP?: string;
  phase?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: { ready: boolean; restartCount: number; state: Record<string, unknown> }[];
}

function deployment(name: string, env: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { 'gin-deploy.demo/kubelet': 'true' },
          containers: [
            {
              name: 'api',
              image: imageRef,
              env: Object.entries(env).map(([key, value]) => ({ name: key, value })),
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: {
                httpGet: { path: '/ready', port: 'http' },
                periodSeconds: 1,
                failureThreshold: 1,
              },
              livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 },
            },
          ],
        },
      },
    },
  });
}

async function podOf(app: string): Promise<{ name: string; status: PodStatus } | undefined> {
  const list = JSON.parse(
    await kubectl(cluster.kubeconfig, ['get', 'pods', '-l', `app=${app}`, '-o', 'json']),
  ) as {
    items: { metadata: { name: string }; status: PodStatus }[];
  };
  const pod = list.items[0];
  return pod && { name: pod.metadata.name, status: pod.status };
}

const ready = (status: PodStatus) =>
  status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

beforeAll(async () => {
  [cluster, registry] = await Promise.all([startCluster(), startRegistry()]);
  const artifacts = await buildSample(path.join(work, 'bin'), '7.7.7-kubelet', ['amd64']);
  const pushed = await runBundledAction('docker-multistage', {
    inputs: {
      artifacts: JSON.stringify(artifacts),
      image: `${registry.host}/demo/sample-api`,
      tags: 'test',
      sbom: 'false',
    },
    workspace: work,
  });
  if (pushed.exitCode !== 0) throw new Error(describeRun(pushed));
  imageRef = pushed.outputs['image-ref'];
  kubelet = new DemoKubelet({
    kubeconfig: cluster.kubeconfig,
    nodeName,
    stateDir: path.join(work, 'kubelet'),
    log: () => undefined,
  });
  running = kubelet.run();
  await waitFor('the demo node to be Ready', 30_000, async () => {
    const status = await kubectl(cluster.kubeconfig, [
      'get',
      'node',
      nodeName,
      '-o',
      'jsonpath={.status.conditions[0].status}',
    ]);
    return status === 'True' ? true : undefined;
  });
}, 10 * 60_000);

afterAll(async () => {
  kubelet?.stop();
  await running?.catch(() => undefined);
  await Promise.all([cluster?.stop(), registry?.stop()]);
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('the demo kubelet', () => {
  it('runs the pushed image as a real process that answers on the pod IP once /ready passes', async () => {
    await kubectl(cluster.kubeconfig, ['apply', '-f', '-'], deployment('good'));
    const pod = await waitFor('the pod to be Ready', 30_000, async () => {
      const found = await podOf('good');
      return found && ready(found.status) ? found : undefined;
    });
    expect(pod.status.podIP).toMatch(/^127\.0\.0\.\d+$/);
    const version = (await (await fetch(`http://${pod.status.podIP}:8080/version`)).json()) as {
      version: string;
    };
    expect(version.version).toBe('7.7.7-kubelet');
  }, 90_000);

  it('keeps a pod whose /ready fails Running but not Ready, with its process serving /health', async () => {
    await kubectl(cluster.kubeconfig, ['apply', '-f', '-'], deployment('warming', { READY_AFTER: '1h' }));
    const pod = await waitFor('the pod to be Running', 30_000, async () => {
      const found = await podOf('warming');
      return found?.status.phase === 'Running' && found.status.podIP ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const later = (await podOf('warming'))!;
    expect(ready(later.status)).toBe(false);
    expect(later.status.containerStatuses?.[0]).toMatchObject({ ready: false, restartCount: 0 });
    expect((await fetch(`http://${pod.status.podIP}:8080/health`)).status).toBe(200);
    expect((await fetch(`http://${pod.status.podIP}:8080/ready`)).status).toBe(503);
  }, 90_000);

  it('stops the process when the pod is deleted', async () => {
    const pod = (await podOf('good'))!;
    await kubectl(cluster.kubeconfig, ['delete', 'deployment', 'good', '--wait=false']);
    await waitFor('the pod to be gone', 30_000, async () => ((await podOf('good')) ? undefined : true));
    await waitFor('the process to stop serving', 30_000, async () =>
      fetch(`http://${pod.status.podIP}:8080/health`, { signal: AbortSignal.timeout(500) }).then(
        () => undefined,
        () => true,
      ),
    );
  }, 90_000);
});
