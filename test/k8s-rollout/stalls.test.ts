// k8s-rollout when the new pods cannot come: a paused Deployment, pods denied by Pod Security admission.
import { describe, expect, it } from '@jest/globals';
import { appManifests, digestImage, tempDir, useRolloutCluster, writeFiles } from './support.js';

const cluster = useRolloutCluster(150_000);

const V1 = digestImage('shop', 'a');
const V2 = digestImage('shop', 'b');

/** Seconds from the start of the step to its `failed:` timeline line. */
function verdictAt(stdout: string): number {
  const match = /\[(\d+\.\d)s\] failed: /.exec(stdout);
  return match ? Number(match[1]) : NaN;
}

/** The sample app, compliant with Pod Security `restricted`, or running as root. */
function restrictedApp(image: string, root: boolean): string {
  return appManifests('shop', image, 2)
    .replace(
      'securityContext: { runAsNonRoot: true, runAsUser: 65532 }',
      root
        ? 'securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: RuntimeDefault } }'
        : 'securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: RuntimeDefault } }',
    )
    .replace(
      '          resources:',
      '          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }\n          resources:',
    );
}

describe('k8s-rollout stalls', () => {
  it('refuses a paused Deployment before applying anything', async () => {
    const namespace = await cluster.createNamespace('stall-paused');
    const workspace = writeFiles(tempDir('stall-paused'), { 'app.yaml': appManifests('shop', V1, 2) });
    const first = await cluster.rollout({ manifests: 'app.yaml', namespace }, workspace);
    expect(first.outputs.status).toBe('succeeded');
    await cluster.kubectl(['-n', namespace, 'rollout', 'pause', 'deployment/shop']);
    const run = await cluster.rollout({ manifests: 'app.yaml', namespace, image: V2 }, workspace);
    expect([run.exitCode, run.outputs.status]).toEqual([1, 'failed']);
    expect(run.durationMs).toBeLessThan(10_000);
    expect(run.errors[0]).toMatch(
      new RegExp(`Deployment ${namespace}/shop \\(paused on the cluster.*is paused`),
    );
    const live = await cluster.deployment(namespace, 'shop');
    expect(live.spec.template.spec.containers[0].image).toBe(V1);
  });

  it('fails within 10 s on pods Pod Security denies, names the reason, and rolls back', async () => {
    const namespace = await cluster.createNamespace('stall-pss');
    await cluster.kubectl(['label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=restricted']);
    const workspace = writeFiles(tempDir('stall-pss'), { 'app.yaml': restrictedApp(V1, false) });
    const first = await cluster.rollout({ manifests: 'app.yaml', namespace }, workspace);
    expect([first.outputs.status, first.errors]).toEqual(['succeeded', []]);
    writeFiles(workspace, { 'app.yaml': restrictedApp(V2, true) });
    const run = await cluster.rollout({ manifests: 'app.yaml', namespace }, workspace);
    expect([run.exitCode, run.outputs.status]).toEqual([1, 'rolled-back']);
    expect(run.errors[0]).toMatch(/ReplicaFailure: FailedCreate: .*violates PodSecurity "restricted/);
    expect(verdictAt(run.stdout)).toBeLessThan(10);
    expect(await cluster.readyPodImages(namespace, 'app=shop')).toEqual([V1, V1]);
  });
});
