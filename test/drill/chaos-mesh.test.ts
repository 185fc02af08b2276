import { describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kubectl } from '../support/cluster.js';
import { waitFor } from '../support/wait.js';
import { deployApp, drill, sampleApp, stepPid, useDemoCluster } from './support.js';

// Chaos Mesh faults against the real API server with Chaos Mesh's CRDs installed (no controller runs here):
// the experiment object is created with the fault's spec and a duration, and is removed on success, on
// failure and on SIGTERM; without the CRDs the fault is refused with what to install.

const demo = useDemoCluster({ kubelet: false });
jest.setTimeout(4 * 60_000);
const IMAGE = `registry.local/api@sha256:${'c'.repeat(64)}`;
const CRDS = readFileSync(path.join(import.meta.dirname, 'chaos-mesh-crds.yaml'), 'utf8');

async function experiments(
  namespace: string,
  kind: string,
): Promise<{ metadata: { name: string }; spec: unknown }[]> {
  return (
    JSON.parse(await kubectl(demo.kubeconfig, ['-n', namespace, 'get', kind, '-o', 'json'])) as {
      items: { metadata: { name: string }; spec: unknown }[];
    }
  ).items;
}

/** Runs the drill and hands the experiment object to `during` as soon as the step says it was created. */
async function drillWith(
  namespace: string,
  kind: string,
  inputs: Record<string, string>,
  during: (object: { metadata: { name: string }; spec: unknown }) => Promise<void> = async () => undefined,
) {
  let seen: Promise<void> | undefined;
  const run = await drill(
    demo.kubeconfig,
    { name: 'api', namespace, ...inputs },
    {
      onOutput: (chunk) => {
        if (!seen && chunk.includes(' created for ')) {
          seen = experiments(namespace, kind).then((items) => {
            if (!items[0]) throw new Error(`no ${kind} in ${namespace} while the step said: ${chunk}`);
            return during(items[0]);
          });
        }
      },
    },
  );
  await seen;
  return { run, created: seen !== undefined };
}

describe('k8s-rollout drill with Chaos Mesh', () => {
  it('refuses Chaos Mesh faults with what to install when the API group is absent, and drills under the app Lease', async () => {
    const namespace = 'chaos-absent';
    await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
    await deployApp(demo.kubeconfig, namespace, sampleApp('api', IMAGE, { kwok: true }));
    const run = await drill(demo.kubeconfig, {
      name: 'api',
      namespace,
      drill: 'network-delay latency=100ms',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['drill-result']).toBe('fail');
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^drill of chaos-absent\/api failed: this fault needs Chaos Mesh, but the cluster at https:\/\/127\.0\.0\.1:\d+ does not serve NetworkChaos \(chaos-mesh\.org\/v1alpha1\); install Chaos Mesh \(https:\/\/chaos-mesh\.org\/docs\/production-installation-using-helm\/\) or use pod-kill, which needs nothing installed$/,
      ),
    ]);
    expect(run.summary).toContain('❌ fail');

    // A deploy of the same app holds its Lease: the drill waits for nobody and touches nothing.
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'gin-deploy-api', namespace },
      spec: { holderIdentity: 'deploy run 7', leaseDurationSeconds: 900, acquireTime: now, renewTime: now },
    };
    await kubectl(demo.kubeconfig, ['apply', '-f', '-'], JSON.stringify(lease));
    const pods = await kubectl(demo.kubeconfig, ['-n', namespace, 'get', 'pods', '-o', 'name']);
    const held = await drill(demo.kubeconfig, { name: 'api', namespace, drill: 'pod-kill 50%' });
    expect([held.exitCode, held.outputs['drill-result']]).toEqual([1, 'fail']);
    expect(held.errors[0]).toMatch(
      /^drill of chaos-absent\/api failed: another rollout of chaos-absent\/api is in progress: Lease chaos-absent\/gin-deploy-api is held by 'deploy run 7'/,
    );
    expect(await kubectl(demo.kubeconfig, ['-n', namespace, 'get', 'pods', '-o', 'name'])).toBe(pods);
  });

  it('creates the experiment with its spec and removes it on success, failure and SIGTERM', async () => {
    await kubectl(demo.kubeconfig, ['apply', '-f', '-'], CRDS);
    await kubectl(demo.kubeconfig, [
      'wait',
      '--for=condition=Established',
      'crd/networkchaos.chaos-mesh.org',
      'crd/stresschaos.chaos-mesh.org',
    ]);
    const namespace = 'chaos';
    await kubectl(demo.kubeconfig, ['create', 'namespace', namespace]);
    await deployApp(demo.kubeconfig, namespace, sampleApp('api', IMAGE, { kwok: true, replicas: 4 }));

    // Success: NetworkChaos delay on half of the pods for 4 s, then deleted.
    let spec: unknown;
    const ok = await drillWith(
      namespace,
      'networkchaos',
      { drill: 'network-delay 50% latency=200ms jitter=20ms', 'drill-duration': '4s' },
      async (object) => {
        spec = object.spec;
        expect(object.metadata.name).toMatch(/^gin-deploy-drill-api-\d+$/);
      },
    );
    expect([ok.created, ok.run.exitCode, ok.run.outputs['drill-result']]).toEqual([true, 0, 'pass']);
    expect(spec).toEqual({
      action: 'delay',
      mode: 'fixed-percent',
      value: '50',
      selector: { namespaces: [namespace], labelSelectors: { app: 'api' } },
      duration: '4s',
      direction: 'to',
      delay: { latency: '200ms', jitter: '20ms', correlation: '0' },
    });
    expect(await experiments(namespace, 'networkchaos')).toEqual([]);
    expect(ok.run.summary).toContain('Chaos Mesh NetworkChaos (created, then removed)');

    // Failure: a pod crash-loops while StressChaos runs; the drill fails and the experiment is removed.
    const crashing = await drillWith(
      namespace,
      'stresschaos',
      { drill: 'cpu-stress 1 workers=2 load=50', 'drill-duration': '60s' },
      async (object) => {
        expect(object.spec).toMatchObject({
          mode: 'fixed',
          value: '1',
          stressors: { cpu: { workers: 2, load: 50 } },
        });
        const pod = (await kubectl(demo.kubeconfig, ['-n', namespace, 'get', 'pods', '-o', 'name'])).split(
          '\n',
        )[0];
        const status = {
          status: {
            containerStatuses: [
              {
                name: 'api',
                image: IMAGE,
                imageID: '',
                ready: false,
                restartCount: 4,
                state: {
                  waiting: {
                    reason: 'CrashLoopBackOff',
                    message: 'back-off 40s restarting failed container',
                  },
                },
              },
            ],
          },
        };
        await kubectl(demo.kubeconfig, [
          '-n',
          namespace,
          'patch',
          pod,
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify(status),
        ]);
      },
    );
    expect([crashing.created, crashing.run.exitCode, crashing.run.outputs['drill-result']]).toEqual([
      true,
      1,
      'fail',
    ]);
    expect(crashing.run.errors[0]).toMatch(/is in a crash loop: CrashLoopBackOff/);
    expect(await experiments(namespace, 'stresschaos')).toEqual([]);
    // The crash-looping pod is replaced before the next drill, which starts from a healthy app.
    await kubectl(demo.kubeconfig, ['-n', namespace, 'delete', 'pods', '--all', '--wait=false']);
    await deployApp(demo.kubeconfig, namespace, sampleApp('api', IMAGE, { kwok: true, replicas: 4 }));

    // SIGTERM (the runner cancelling the job) in the middle of a 2-minute StressChaos: removed, outputs written.
    let signalled = 0;
    const cancelled = await drillWith(
      namespace,
      'stresschaos',
      { drill: 'memory-stress 1 size=64MB', 'drill-duration': '2m' },
      async (object) => {
        expect(object.spec).toMatchObject({
          stressors: { memory: { workers: 1, size: '64MB' } },
          mode: 'fixed',
          value: '1',
          duration: '2m',
        });
        const pid = await waitFor('the step process', 5000, async () => stepPid());
        signalled = Date.now();
        process.kill(pid, 'SIGTERM');
      },
    );
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect([cancelled.created, cancelled.run.exitCode, cancelled.run.outputs['drill-result']]).toEqual([
      true,
      1,
      'fail',
    ]);
    expect(cancelled.run.errors[0]).toMatch(/failed: the drill was cancelled/);
    expect(await experiments(namespace, 'stresschaos')).toEqual([]);
  });
});
