// The test control plane (issue 7): a real kube-apiserver, controller-manager and scheduler
// with kwok-simulated nodes and pods, started through test/support/cluster.ts.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { kubectl, startCluster, type Cluster } from '../support/cluster.js';
import { waitFor } from '../support/wait.js';

const NS = 'cluster-test';

interface Condition {
  type: string;
  status: string;
}
interface ContainerStatus {
  ready: boolean;
  restartCount: number;
  state: {
    running?: { startedAt: string };
    waiting?: { reason: string };
    terminated?: { exitCode: number };
  };
  lastState?: { terminated?: { exitCode: number; reason: string } };
}
interface Pod {
  metadata: { name: string };
  status: { phase: string; conditions?: Condition[]; containerStatuses?: ContainerStatus[] };
}

let cluster: Cluster | undefined;
const kc = (args: string[], input?: string): Promise<string> => {
  if (!cluster) throw new Error('cluster not started');
  return kubectl(cluster.kubeconfig, args, input);
};

async function pods(app: string): Promise<Pod[]> {
  const out = await kc(['-n', NS, 'get', 'pods', '-l', `app=${app}`, '-o', 'json']);
  return (JSON.parse(out) as { items: Pod[] }).items;
}

/** Waits until the deployment has `count` pods and every one satisfies `ok`. */
function podsWhere(app: string, count: number, ok: (p: Pod) => boolean, timeoutMs = 30_000): Promise<Pod[]> {
  return waitFor(
    `${count} pods of ${app} in the expected state`,
    timeoutMs,
    async () => {
      const ps = await pods(app);
      return ps.length === count && ps.every(ok) ? ps : undefined;
    },
    1000,
  );
}

function deployment(name: string, replicas: number, image: string, fail?: string): string {
  const labels: Record<string, string> = { app: name };
  if (fail) labels['gin-deploy.test/fail'] = fail;
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      progressDeadlineSeconds: 30,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }] },
      },
    },
  });
}

const status = (p: Pod): ContainerStatus | undefined => p.status.containerStatuses?.[0];
const condition = (p: Pod, type: string): string | undefined =>
  p.status.conditions?.find((c) => c.type === type)?.status;

describe('test cluster (kwok)', () => {
  beforeAll(async () => {
    cluster = await startCluster();
    await kc(['create', 'namespace', NS]);
  }, 60 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it('has two Ready kwok nodes on 127.0.0.1', async () => {
    const nodes = JSON.parse(await kc(['get', 'nodes', '-o', 'json'])) as {
      items: { status: { conditions: Condition[] } }[];
    };
    expect(nodes.items).toHaveLength(2);
    for (const n of nodes.items) {
      expect(n.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
    const server = await kc(['config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}']);
    expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  }, 60_000);

  it('rolls out a Deployment of 3 replicas and gives its Service 3 ready endpoints', async () => {
    await kc(['apply', '-f', '-'], deployment('ok', 3, 'registry.local/gin-app:1.0.0'));
    await kc(['-n', NS, 'expose', 'deployment', 'ok', '--port', '80', '--target-port', '8080']);
    await kc(['-n', NS, 'rollout', 'status', 'deployment/ok', '--timeout=60s']);
    const ready = await waitFor(
      '3 ready endpoints',
      30_000,
      async () => {
        const out = await kc([
          '-n',
          NS,
          'get',
          'endpointslices',
          '-l',
          'kubernetes.io/service-name=ok',
          '-o',
          'json',
        ]);
        const slices = JSON.parse(out) as { items: { endpoints?: { conditions: { ready?: boolean } }[] }[] };
        const n = slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions.ready).length;
        return n === 3 ? n : undefined;
      },
      1000,
    );
    expect(ready).toBe(3);
  }, 120_000);

  it('scales down: deleted pods go away', async () => {
    await kc(['-n', NS, 'scale', 'deployment', 'ok', '--replicas=1']);
    const left = await podsWhere('ok', 1, () => true);
    expect(left).toHaveLength(1);
  }, 60_000);

  it('simulates a container that runs but never becomes Ready (label never-ready)', async () => {
    await kc(
      ['apply', '-f', '-'],
      deployment('never-ready', 2, 'registry.local/gin-app:1.0.0', 'never-ready'),
    );
    const ps = await podsWhere(
      'never-ready',
      2,
      (p) => p.status.phase === 'Running' && !!status(p)?.state.running && status(p)?.ready === false,
    );
    for (const p of ps) expect(condition(p, 'Ready')).toBe('False');
    await expect(
      kc(['-n', NS, 'rollout', 'status', 'deployment/never-ready', '--timeout=5s']),
    ).rejects.toThrow();
  }, 60_000);

  it('simulates CrashLoopBackOff with a growing restartCount (label crashloop)', async () => {
    await kc(['apply', '-f', '-'], deployment('crashloop', 2, 'registry.local/gin-app:1.0.0', 'crashloop'));
    const first = await podsWhere(
      'crashloop',
      2,
      (p) => status(p)?.state.waiting?.reason === 'CrashLoopBackOff' && (status(p)?.restartCount ?? 0) >= 1,
      40_000,
    );
    expect(first.map((p) => status(p)?.lastState?.terminated?.exitCode)).toEqual([1, 1]);
    const before = Math.max(...first.map((p) => status(p)?.restartCount ?? 0));
    await podsWhere('crashloop', 2, (p) => (status(p)?.restartCount ?? 0) > before, 30_000);
  }, 90_000);

  it('simulates ErrImagePull then ImagePullBackOff (image name containing fail-image-pull)', async () => {
    await kc(['apply', '-f', '-'], deployment('image-pull', 2, 'registry.local/gin-app:fail-image-pull'));
    const ps = await podsWhere(
      'image-pull',
      2,
      (p) => p.status.phase === 'Pending' && status(p)?.state.waiting?.reason === 'ImagePullBackOff',
    );
    expect(ps).toHaveLength(2);
    const d = JSON.parse(await kc(['-n', NS, 'get', 'deployment', 'image-pull', '-o', 'json'])) as {
      status: { availableReplicas?: number };
    };
    expect(d.status.availableReplicas ?? 0).toBe(0);
  }, 60_000);

  it('stop() leaves no process behind and frees the apiserver port', async () => {
    if (!cluster) throw new Error('cluster not started');
    const server = await kc(['config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}']);
    const port = Number(server.split(':').pop());
    const dir = path.dirname(cluster.kubeconfig) + path.sep;
    await cluster.stop();
    const left = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
        } catch {
          return false;
        }
      });
    expect(left).toEqual([]);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    expect(open).toBe(false);
  }, 120_000);
});
