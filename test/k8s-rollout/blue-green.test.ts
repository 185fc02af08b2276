import { describe, expect, it } from '@jest/globals';
import { appManifests, digestImage, tempDir, writeFiles, useRolloutCluster } from './support.js';

const cluster = useRolloutCluster(200_000);

const V1 = digestImage('web', '1');
const V2 = digestImage('web', '2');
const V3 = digestImage('web', '3');
const CRASHING = digestImage('fail-crashloop/web', 'e');

function serviceSelector(namespace: string): Promise<Record<string, string>> {
  return cluster.serviceSelector(namespace, 'web');
}

describe('k8s-rollout blue-green', () => {
  it('switches the Service to the new color only when it is available, and never on failure', async () => {
    const namespace = await cluster.createNamespace('blue-green');
    const workspace = writeFiles(tempDir('blue-green'), { 'app.yaml': appManifests('web', V1, 2) });
    const deploy = (inputs: Record<string, string>) =>
      cluster.rollout({ manifests: 'app.yaml', namespace, strategy: 'blue-green', ...inputs }, workspace);

    const first = await deploy({});
    expect([first.exitCode, first.outputs.status, first.outputs['active-color']]).toEqual([
      0,
      'succeeded',
      'blue',
    ]);
    expect(await serviceSelector(namespace)).toEqual({ app: 'web', 'gin-deploy/color': 'blue' });

    const second = await deploy({ image: V2 });
    expect([second.exitCode, second.outputs.status, second.outputs['active-color']]).toEqual([
      0,
      'succeeded',
      'green',
    ]);
    expect(await serviceSelector(namespace)).toEqual({ app: 'web', 'gin-deploy/color': 'green' });
    expect(await cluster.readyPodImages(namespace, 'app=web,gin-deploy/color=green')).toEqual([V2, V2]);
    // scale-down-delay 0s: the old color is already down.
    expect((await cluster.deployment(namespace, 'web-blue')).spec.replicas).toBe(0);
    expect(second.summary).toContain('switched from blue to green');

    // abort: blue comes back up, then the Service moves back to it.
    const aborted = await cluster.rollout({
      name: 'web',
      namespace,
      strategy: 'blue-green',
      action: 'abort',
    });
    expect([aborted.exitCode, aborted.outputs.status, aborted.outputs['active-color']]).toEqual([
      0,
      'rolled-back',
      'blue',
    ]);
    expect(await serviceSelector(namespace)).toEqual({ app: 'web', 'gin-deploy/color': 'blue' });
    expect(await cluster.readyPodImages(namespace, 'app=web,gin-deploy/color=blue')).toEqual([V1, V1]);
    expect((await cluster.deployment(namespace, 'web-green')).spec.replicas).toBe(0);

    // A failing version goes to the idle color and the Service never moves.
    const bad = await deploy({ image: CRASHING });
    expect(bad.exitCode).toBe(1);
    expect([bad.outputs.status, bad.outputs['active-color']]).toEqual(['rolled-back', 'blue']);
    expect(bad.errors[0]).toMatch(/CrashLoopBackOff.*Service web was not switched and still selects blue/);
    expect(await serviceSelector(namespace)).toEqual({ app: 'web', 'gin-deploy/color': 'blue' });
    expect((await cluster.deployment(namespace, 'web-green')).spec.replicas).toBe(0);
    expect(await cluster.readyPodImages(namespace, 'app=web,gin-deploy/color=blue')).toEqual([V1, V1]);

    // pause: manual stops before the switch; action: promote makes it.
    const paused = await deploy({ image: V3, pause: 'manual' });
    expect([paused.exitCode, paused.outputs.status, paused.outputs['active-color']]).toEqual([
      0,
      'paused',
      'blue',
    ]);
    expect(await cluster.readyPodImages(namespace, 'app=web,gin-deploy/color=green')).toEqual([V3, V3]);
    expect((await serviceSelector(namespace))['gin-deploy/color']).toBe('blue');
    const promoted = await cluster.rollout({
      name: 'web',
      namespace,
      strategy: 'blue-green',
      action: 'promote',
    });
    expect([promoted.exitCode, promoted.outputs.status, promoted.outputs['active-color']]).toEqual([
      0,
      'succeeded',
      'green',
    ]);
    expect((await serviceSelector(namespace))['gin-deploy/color']).toBe('green');
    expect((await cluster.deployment(namespace, 'web-blue')).spec.replicas).toBe(0);
  });
});
