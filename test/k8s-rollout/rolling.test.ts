import { describe, expect, it } from '@jest/globals';
import { appManifests, digestImage, tempDir, writeFiles, useRolloutCluster } from './support.js';

// Each test runs two or three rollouts of a few seconds each.
const cluster = useRolloutCluster(150_000);

interface ContainerView {
  readinessProbe: { httpGet: unknown };
  livenessProbe: { httpGet: unknown };
  ports: { containerPort: number }[];
  resources: unknown;
}

const GOOD_V1 = digestImage('shop', 'a');
const GOOD_V2 = digestImage('shop', 'b');
// The test cluster's stages crash-loop pods whose image names contain fail-crashloop.
const CRASHING = digestImage('fail-crashloop/shop', 'c');
const NEVER_READY = digestImage('fail-never-ready/shop', 'd');

describe('k8s-rollout rolling', () => {
  it('rolls out a new version, annotates it and reports both revisions', async () => {
    const namespace = await cluster.createNamespace('rolling-ok');
    const workspace = writeFiles(tempDir('rolling-ok'), { 'deploy/app.yaml': appManifests('shop', GOOD_V1) });
    const first = await cluster.rollout({ manifests: 'deploy/', namespace, image: GOOD_V1 }, workspace);
    expect([first.exitCode, first.outputs.status, first.outputs.revision]).toEqual([0, 'succeeded', '1']);

    const second = await cluster.rollout(
      { manifests: 'deploy/*.yaml', namespace, image: GOOD_V2, version: 'v1.2.3', commit: 'abc1234' },
      workspace,
    );
    expect(second.exitCode).toBe(0);
    expect(second.outputs.status).toBe('succeeded');
    expect(second.outputs['previous-revision']).toBe('1');
    expect(second.outputs.revision).toBe('2');
    expect(JSON.parse(second.outputs.json)).toMatchObject({
      status: 'succeeded',
      revision: 2,
      'previous-revision': 1,
    });
    const live = await cluster.deployment(namespace, 'shop');
    expect(live.spec.template.spec.containers[0].image).toBe(GOOD_V2);
    expect(live.status.availableReplicas).toBe(3);
    expect(live.metadata.annotations?.['gin-deploy/version']).toBe('v1.2.3');
    expect(live.metadata.annotations?.['gin-deploy/commit']).toBe('abc1234');
    expect(live.metadata.annotations?.['kubernetes.io/change-cause']).toContain(GOOD_V2);
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual([GOOD_V2, GOOD_V2, GOOD_V2]);
    // Applied server-side under the gin-deploy field manager.
    const managers = await cluster.kubectl([
      '-n',
      namespace,
      'get',
      'deployment',
      'shop',
      '--show-managed-fields',
      '-o',
      'jsonpath={.metadata.managedFields[*].manager}',
    ]);
    expect(managers.split(' ')).toContain('gin-deploy');
    expect(second.summary).toContain('### Timeline');
    expect(second.summary).toContain('successfully rolled out');
  });

  it('catches a crash-looping version in seconds and rolls back to the previous pods', async () => {
    const namespace = await cluster.createNamespace('rolling-crash');
    const workspace = writeFiles(tempDir('rolling-crash'), { 'app.yaml': appManifests('shop', GOOD_V1) });
    const first = await cluster.rollout({ manifests: 'app.yaml', namespace }, workspace);
    expect(first.outputs.status).toBe('succeeded');

    const bad = await cluster.rollout({ manifests: 'app.yaml', namespace, image: CRASHING }, workspace);
    expect(bad.exitCode).toBe(1);
    expect(bad.outputs.status).toBe('rolled-back');
    expect(bad.outputs['previous-revision']).toBe('1');
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(/CrashLoopBackOff/);
    expect(bad.errors[0]).toContain('rolled back to the template of revision 1');
    // Far below the 600 s progress deadline that `kubectl rollout status` would wait for.
    expect(bad.durationMs).toBeLessThan(30_000);
    const live = await cluster.deployment(namespace, 'shop');
    expect(live.spec.template.spec.containers[0].image).toBe(GOOD_V1);
    expect(live.status.availableReplicas).toBe(3);
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual([GOOD_V1, GOOD_V1, GOOD_V1]);
    expect(live.metadata.annotations?.['kubernetes.io/change-cause']).toMatch(
      /^gin-deploy: rolled back to revision 1/,
    );
    expect(bad.summary).toContain('### Failing pods');
    expect(bad.summary).toMatch(/waiting: CrashLoopBackOff/);
  });

  it('fails a version whose pods never become Ready within ready-timeout, and leaves it when rollback is off', async () => {
    const namespace = await cluster.createNamespace('rolling-unready');
    const workspace = writeFiles(tempDir('rolling-unready'), {
      'app.yaml': appManifests('shop', GOOD_V1, 2),
    });
    expect((await cluster.rollout({ manifests: 'app.yaml', namespace }, workspace)).outputs.status).toBe(
      'succeeded',
    );
    const bad = await cluster.rollout(
      {
        manifests: 'app.yaml',
        namespace,
        image: NEVER_READY,
        'ready-timeout': '5s',
        'rollback-on-failure': 'false',
      },
      workspace,
    );
    expect(bad.exitCode).toBe(1);
    expect(bad.outputs.status).toBe('failed');
    expect(bad.errors[0]).toMatch(/NotReady: not Ready \d+ s after creation \(ready-timeout 5 s\)/);
    expect(bad.errors[0]).toContain('not rolled back (rollback-on-failure is false)');
    const live = await cluster.deployment(namespace, 'shop');
    expect(live.spec.template.spec.containers[0].image).toBe(NEVER_READY);
    // maxUnavailable 0: the old pods kept serving all along.
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual([GOOD_V1, GOOD_V1]);
  });

  it('fails fast on an image that cannot be pulled', async () => {
    const namespace = await cluster.createNamespace('rolling-pull');
    const workspace = writeFiles(tempDir('rolling-pull'), { 'app.yaml': appManifests('shop', GOOD_V1, 2) });
    expect((await cluster.rollout({ manifests: 'app.yaml', namespace }, workspace)).exitCode).toBe(0);
    const bad = await cluster.rollout(
      { manifests: 'app.yaml', namespace, image: digestImage('fail-image-pull/shop', 'e') },
      workspace,
    );
    expect(bad.exitCode).toBe(1);
    expect(bad.outputs.status).toBe('rolled-back');
    expect(bad.errors[0]).toMatch(/ (ErrImagePull|ImagePullBackOff): /);
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual([GOOD_V1, GOOD_V1]);
  });

  it('lets only one rollout of an app run at a time, and takes over a stale lease', async () => {
    const namespace = await cluster.createNamespace('rolling-lease');
    const workspace = writeFiles(tempDir('rolling-lease'), { 'app.yaml': appManifests('shop', GOOD_V1, 2) });
    expect((await cluster.rollout({ manifests: 'app.yaml', namespace }, workspace)).exitCode).toBe(0);
    // The first holds the lease while its never-ready pods run into the ready-timeout.
    const slow = cluster.rollout(
      { manifests: 'app.yaml', namespace, image: NEVER_READY, 'ready-timeout': '8s' },
      workspace,
    );
    await waitForLease(namespace);
    const second = await cluster.rollout({ manifests: 'app.yaml', namespace, image: GOOD_V2 }, workspace);
    expect(second.exitCode).toBe(1);
    expect(second.errors[0]).toMatch(
      /^another rollout of rolling-lease\/shop is in progress: Lease rolling-lease\/gin-deploy-shop is held by 'local \(/,
    );
    expect((await slow).outputs.status).toBe('rolled-back');

    // A lease whose holder stopped renewing it long ago is taken over.
    const stale = new Date(Date.now() - 3600_000).toISOString().replace(/Z$/, '000Z');
    await cluster.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'gin-deploy-shop', namespace },
        spec: {
          holderIdentity: 'crashed-runner',
          leaseDurationSeconds: 60,
          acquireTime: stale,
          renewTime: stale,
        },
      }),
    );
    const after = await cluster.rollout(
      { manifests: 'app.yaml', namespace, image: GOOD_V2, 'lease-timeout': '1m' },
      workspace,
    );
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain("taken over from stale holder 'crashed-runner'");
    // Released at the end: no lease is left behind.
    await expect(cluster.kubectl(['-n', namespace, 'get', 'lease', 'gin-deploy-shop'])).rejects.toThrow(
      /NotFound/,
    );
  });

  async function waitForLease(namespace: string): Promise<void> {
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      try {
        await cluster.kubectl(['-n', namespace, 'get', 'lease', 'gin-deploy-shop']);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error('the first rollout never took its lease');
  }

  it('generates a production-shaped app from name and image', async () => {
    const namespace = await cluster.createNamespace('generated');
    const run = await cluster.rollout({
      name: 'api',
      image: GOOD_V1,
      namespace,
      replicas: '2',
      port: '9090',
    });
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    const live = await cluster.deployment(namespace, 'api');
    const container = live.spec.template.spec.containers[0] as unknown as ContainerView;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(container.ports[0].containerPort).toBe(9090);
    expect(container.resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    const service = JSON.parse(
      await cluster.kubectl(['-n', namespace, 'get', 'service', 'api', '-o', 'json']),
    );
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'api' });
  });
});
