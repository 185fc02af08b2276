// k8s-rollout beside an autoscaler: a deploy keeps the replica count the HorizontalPodAutoscaler set.
import { describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/wait.js';
import { appManifests, digestImage, tempDir, useRolloutCluster, writeFiles } from './support.js';

const cluster = useRolloutCluster(200_000);

const V1 = digestImage('shop', 'a');
const V2 = digestImage('shop', 'b');

/**
 * An HPA with minReplicas 7: without a metrics server the controller still raises a Deployment below its
 * minimum (pkg/controller/podautoscaler), through the scale subresource as it does for any other reason.
 */
function autoscaler(namespace: string, target: string): string {
  return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${target}, namespace: ${namespace} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${target} }
  minReplicas: 7
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 80 } }
`;
}

async function scaledTo(namespace: string, name: string, replicas: number): Promise<void> {
  await waitFor(`${name} scaled to ${replicas} by its HPA`, 90_000, async () =>
    (await cluster.deployment(namespace, name)).spec.replicas === replicas ? true : undefined,
  );
}

describe('k8s-rollout with an autoscaler', () => {
  it('keeps the count the HPA set through a rolling deploy of a manifest with replicas: 2', async () => {
    const namespace = await cluster.createNamespace('hpa-rolling');
    const workspace = writeFiles(tempDir('hpa-rolling'), { 'deploy/app.yaml': appManifests('shop', V1, 2) });
    const first = await cluster.rollout({ manifests: 'deploy/', namespace }, workspace);
    expect(first.outputs.status).toBe('succeeded');
    await cluster.kubectl(['apply', '-f', '-'], autoscaler(namespace, 'shop'));
    await scaledTo(namespace, 'shop', 7);

    const run = await cluster.rollout({ manifests: 'deploy/', namespace, image: V2 }, workspace);
    expect([run.exitCode, run.outputs.status]).toEqual([0, 'succeeded']);
    expect(run.stdout).toContain(
      `${namespace}/shop: HorizontalPodAutoscaler ${namespace}/shop sets its replicas; keeping the live 7 (not the manifest's 2)`,
    );
    // Never below 7 while it rolled: the summary's replica samples show the desired count over time.
    const desired = [...run.summary.matchAll(/\| shop \| (\d+) \|/g)].map((m) => Number(m[1]));
    expect(desired.length).toBeGreaterThan(0);
    expect(new Set(desired)).toEqual(new Set([7]));
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual(Array(7).fill(V2));
  });

  it('brings the new blue-green color up at the autoscaled count of the live one', async () => {
    const namespace = await cluster.createNamespace('hpa-blue-green');
    const workspace = writeFiles(tempDir('hpa-blue-green'), { 'app.yaml': appManifests('shop', V1, 2) });
    const inputs = { manifests: 'app.yaml', namespace, strategy: 'blue-green' };
    const first = await cluster.rollout(inputs, workspace);
    expect(first.outputs['active-color']).toBe('blue');
    await cluster.kubectl(['apply', '-f', '-'], autoscaler(namespace, 'shop-blue'));
    await scaledTo(namespace, 'shop-blue', 7);

    const run = await cluster.rollout({ ...inputs, image: V2 }, workspace);
    expect([run.exitCode, run.outputs.status, run.outputs['active-color']]).toEqual([
      0,
      'succeeded',
      'green',
    ]);
    const green = await cluster.deployment(namespace, 'shop-green');
    expect([green.spec.replicas, green.status.availableReplicas]).toEqual([7, 7]);
  });
});
