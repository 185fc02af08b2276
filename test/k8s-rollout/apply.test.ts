// k8s-rollout applying real-world manifest sets: a CRD with resources of its kind, and all-or-nothing sets.
import { describe, expect, it } from '@jest/globals';
import { appManifests, digestImage, tempDir, useRolloutCluster, writeFiles } from './support.js';

const cluster = useRolloutCluster(150_000);

const V1 = digestImage('shop', 'a');
const V2 = digestImage('shop', 'b');

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
`;

function config(value: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: shop-config }
data: { mode: ${value} }
`;
}

/** The `mode` the app's ConfigMap holds on the cluster now. */
function configMode(namespace: string): Promise<string> {
  return cluster.kubectl(['-n', namespace, 'get', 'configmap', 'shop-config', '-o', 'jsonpath={.data.mode}']);
}

describe('k8s-rollout apply', () => {
  it('applies a CRD, a resource of its kind and a Deployment in one set on the first run', async () => {
    const namespace = await cluster.createNamespace('apply-crd');
    // The custom resource comes first in the file: the install order, not the file order, decides.
    const workspace = writeFiles(tempDir('apply-crd'), {
      'deploy/widget.yaml': `apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: big }\nspec: { size: 3 }\n`,
      'deploy/app.yaml': appManifests('shop', V1, 2),
      'deploy/crd.yaml': CRD,
    });
    const run = await cluster.rollout({ manifests: 'deploy/', namespace }, workspace);
    expect([run.exitCode, run.outputs.status, run.errors]).toEqual([0, 'succeeded', []]);
    const widget = await cluster.getJson<{ spec: { size: number } }>([
      '-n',
      namespace,
      'get',
      'widget',
      'big',
    ]);
    expect(widget.spec.size).toBe(3);
  });

  it('changes nothing of a set with one rejected object, and names it', async () => {
    const namespace = await cluster.createNamespace('apply-reject');
    const workspace = writeFiles(tempDir('apply-reject'), {
      'deploy/config.yaml': config('v1'),
      'deploy/app.yaml': appManifests('shop', V1, 2),
    });
    const first = await cluster.rollout({ manifests: 'deploy/', namespace }, workspace);
    expect(first.outputs.status).toBe('succeeded');
    // A Deployment's selector is immutable: the API server rejects the changed one.
    writeFiles(workspace, {
      'deploy/config.yaml': config('v2'),
      'deploy/app.yaml': appManifests('shop', V2, 2).replace(/app: shop \}/g, 'app: shop, tier: web }'),
    });
    const second = await cluster.rollout({ manifests: 'deploy/', namespace }, workspace);
    expect([second.exitCode, second.outputs.status]).toEqual([1, 'failed']);
    expect(second.errors[0]).toMatch(/deploy\/app\.yaml:1 \(Deployment\/shop\): .*field is immutable/);
    expect(second.summary).toContain('failed');
    expect(await configMode(namespace)).toBe('v1');
    const image = await cluster.kubectl([
      '-n',
      namespace,
      'get',
      'deployment',
      'shop',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image).toBe(V1);
  });

  it('changes nothing when the new blue-green color is rejected, and names it', async () => {
    const namespace = await cluster.createNamespace('apply-reject-bg');
    const workspace = writeFiles(tempDir('apply-reject-bg'), {
      'deploy/config.yaml': config('v1'),
      'deploy/app.yaml': appManifests('shop', V1, 2),
    });
    const inputs = { manifests: 'deploy/', namespace, strategy: 'blue-green' };
    const first = await cluster.rollout(inputs, workspace);
    expect(first.outputs).toMatchObject({ status: 'succeeded', 'active-color': 'blue' });
    // The color's Deployment is made by the action, not read from the files: its rejection must still come
    // before the ConfigMap is written.
    writeFiles(workspace, {
      'deploy/config.yaml': config('v2'),
      'deploy/app.yaml': appManifests('shop', V2, 2).replace('containerPort: 8080', 'containerPort: 70000'),
    });
    const second = await cluster.rollout(inputs, workspace);
    expect([second.exitCode, second.outputs.status]).toEqual([1, 'failed']);
    expect(second.errors[0]).toMatch(/deploy\/app\.yaml:1 \(Deployment\/shop-green\): .*containerPort/);
    expect(await configMode(namespace)).toBe('v1');
    expect(await cluster.serviceSelector(namespace, 'shop')).toMatchObject({
      'gin-deploy/color': 'blue',
    });
    const deployments = await cluster.kubectl(['-n', namespace, 'get', 'deployments', '-o', 'name']);
    expect(deployments.trim().split('\n').sort()).toEqual(['deployment.apps/shop-blue']);
  });
});
