// k8s-rollout while the control plane misbehaves: kube-apiserver killed and started again mid-rollout.
import { describe, expect, it } from '@jest/globals';
import { restartApiServer } from '../support/cluster.js';
import { waitFor } from '../support/wait.js';
import { appManifests, digestImage, tempDir, useRolloutCluster, writeFiles } from './support.js';

const cluster = useRolloutCluster(240_000);

const GOOD_V1 = digestImage('shop', 'a');
const GOOD_V2 = digestImage('shop', 'b');
const CRASHING = digestImage('fail-crashloop/shop', 'c');

/** Deploys v1, starts a rollout of `image`, and restarts the API server once the new pods are coming up. */
async function rolloutThroughRestart(namespace: string, image: string) {
  const workspace = writeFiles(tempDir(namespace), { 'deploy/app.yaml': appManifests('shop', GOOD_V1, 6) });
  const first = await cluster.rollout({ manifests: 'deploy/', namespace }, workspace);
  expect(first.outputs.status).toBe('succeeded');
  const running = cluster.rollout({ manifests: 'deploy/', namespace, image }, workspace);
  await waitFor('the rollout to start', 60_000, async () => {
    const live = await cluster.deployment(namespace, 'shop');
    return live.metadata.generation > 1 && (live.status.updatedReplicas ?? 0) >= 1 ? true : undefined;
  });
  await restartApiServer(cluster.kubeconfig, 7000);
  const run = await running;
  return { run, lease: await cluster.leases(namespace) };
}

describe('k8s-rollout through an API server restart', () => {
  it('finishes a good version once the API server is back, and releases the Lease', async () => {
    const namespace = await cluster.createNamespace('outage-good');
    const { run, lease } = await rolloutThroughRestart(namespace, GOOD_V2);
    expect([run.exitCode, run.outputs.status]).toEqual([0, 'succeeded']);
    expect(run.stdout).toMatch(/API request failed \(attempt \d+\), retrying/);
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual(Array(6).fill(GOOD_V2));
    expect(lease).toEqual([]);
  });

  it('rolls a bad version back once the API server is back, and releases the Lease', async () => {
    const namespace = await cluster.createNamespace('outage-bad');
    const { run, lease } = await rolloutThroughRestart(namespace, CRASHING);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('CrashLoopBackOff');
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual(Array(6).fill(GOOD_V1));
    expect(lease).toEqual([]);
  });
});
