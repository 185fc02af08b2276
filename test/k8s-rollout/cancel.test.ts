// k8s-rollout when the job is cancelled: the runner's SIGTERM, or a hard kill followed by the post step.
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/wait.js';
import { appManifests, digestImage, tempDir, useRolloutCluster, writeFiles } from './support.js';

const cluster = useRolloutCluster(200_000);

const V1 = digestImage('web', '1');
const NEVER_READY = digestImage('fail-never-ready/web', '2');

/** A live blue color, then a blue-green deploy of a version whose pods never get Ready, signalled mid-wait. */
async function cancelBlueGreen(namespace: string, signal: NodeJS.Signals) {
  const workspace = writeFiles(tempDir(namespace), { 'app.yaml': appManifests('web', V1, 2) });
  const inputs = { manifests: 'app.yaml', namespace, strategy: 'blue-green', 'ready-timeout': '3m' };
  const first = await cluster.rollout(inputs, workspace);
  expect([first.outputs.status, first.outputs['active-color']]).toEqual(['succeeded', 'blue']);
  let child: ChildProcess | undefined;
  const running = cluster.rollout({ ...inputs, image: NEVER_READY }, workspace, {
    onStart: (started) => (child = started),
  });
  await waitFor('the green pods to be created', 60_000, async () => {
    const green = await cluster.deployment(namespace, 'web-green');
    return (green.status.replicas ?? 0) > 0 ? true : undefined;
  });
  const signalledAt = Date.now();
  child?.kill(signal);
  const run = await running;
  return { run, exitedAfterMs: Date.now() - signalledAt, inputs, workspace };
}

describe('k8s-rollout cancelled', () => {
  it('on SIGTERM before the blue-green switch: keeps the live color, scales the new one to 0, frees the Lease', async () => {
    const namespace = await cluster.createNamespace('cancel-term');
    const { run, exitedAfterMs } = await cancelBlueGreen(namespace, 'SIGTERM');
    expect(exitedAfterMs).toBeLessThan(10_000);
    expect([run.exitCode, run.outputs.status]).toEqual([1, 'cancelled']);
    expect(JSON.parse(run.outputs.json)).toMatchObject({ status: 'cancelled', 'active-color': 'blue' });
    expect(run.errors[0]).toMatch(/cancelled/);
    expect(run.summary).toContain('cancelled');
    expect(await cluster.serviceSelector(namespace, 'web')).toEqual({
      app: 'web',
      'gin-deploy/color': 'blue',
    });
    expect((await cluster.deployment(namespace, 'web-green')).spec.replicas).toBe(0);
    expect((await cluster.deployment(namespace, 'web-blue')).status.availableReplicas).toBe(2);
    expect(await cluster.leases(namespace)).toEqual([]);
  });

  it('after SIGKILL: the post step releases the Lease the killed step held', async () => {
    const namespace = await cluster.createNamespace('cancel-kill');
    const { run, inputs, workspace } = await cancelBlueGreen(namespace, 'SIGKILL');
    expect(run.outputs.status).toBeUndefined();
    expect(await cluster.leases(namespace)).toEqual(['lease.coordination.k8s.io/gin-deploy-web']);
    const post = await cluster.rollout(inputs, workspace, { phase: 'post', state: run.state });
    expect([post.exitCode, post.errors]).toEqual([0, []]);
    expect(post.warnings[0]).toMatch(/Lease .*gin-deploy-web was still held by this run.*released it/);
    expect(await cluster.leases(namespace)).toEqual([]);
    // With nothing held (a run that ended normally released its Lease), the post step does nothing.
    const again = await cluster.rollout(inputs, workspace, { phase: 'post', state: run.state });
    expect([again.exitCode, again.warnings]).toEqual([0, []]);
  });
});
