import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubectl, startCluster, type Cluster } from '../support/cluster.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { waitFor } from '../support/wait.js';
import { sampleApp, startSampleKubelet, type SampleKubelet } from './kubelet-fixture.js';

// The demo kubelet is what lets `make demo` show a real rollout: pods on its node are the image's own binary,
// and the pod's probes reach the real process. These tests hold it to that.

const nodeName = 'demo-kubelet-test';
let cluster: Cluster;
let registry: Registry;
let kubelet: SampleKubelet;
let imageRef: string;
const work = mkdtempSync(path.join(os.tmpdir(), 'demo-kubelet-'));

interface PodStatus {
  podIP?: string;
  phase?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: { ready: boolean; restartCount: number; state: Record<string, unknown> }[];
}

function deployment(name: string, env: Record<string, string> = {}): string {
  return sampleApp(name, imageRef, { replicas: 1, env });
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
  kubelet = await startSampleKubelet({
    kubeconfig: cluster.kubeconfig,
    registry,
    work,
    nodeName,
    version: '7.7.7-kubelet',
  });
  imageRef = kubelet.image;
}, 10 * 60_000);

afterAll(async () => {
  await kubelet?.stop();
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
    expect(pod.status.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
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
