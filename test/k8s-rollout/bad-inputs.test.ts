import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionRun } from '@gin-deploy/runner';
import {
  appManifests,
  digestImage,
  rollout,
  tempDir,
  writeFiles,
  useRolloutCluster,
  visibleLog,
} from './support.js';

const cluster = useRolloutCluster(120_000);

const IMAGE = digestImage('shop', 'a');

/** A failed step: exit 1, one single-line error, which is returned. */
function failedWith(run: ActionRun): string {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).not.toContain('\n');
  return run.errors[0];
}

function server(kubeconfig: string): string {
  return /server: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1];
}

describe('k8s-rollout bad input', () => {
  it('names the file and line of invalid YAML', async () => {
    const workspace = writeFiles(tempDir('yaml'), {
      'deploy/a.yaml': appManifests('shop', IMAGE),
      'deploy/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\ndata: {}\n',
    });
    const error = failedWith(await cluster.rollout({ manifests: 'deploy' }, workspace));
    expect(error).toMatch(/^input 'manifests': deploy\/b\.yaml:5:1: invalid YAML: /);
  });

  it("reports the server's answer for an unknown kind and applies nothing", async () => {
    const namespace = await cluster.createNamespace('unknown-kind');
    const workspace = writeFiles(tempDir('kind'), {
      'app.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n---\napiVersion: v1\nkind: Gadget\nmetadata: { name: g }\n',
    });
    const error = failedWith(
      await cluster.rollout({ manifests: 'app.yaml', namespace, name: 'shop' }, workspace),
    );
    expect(error).toBe(
      `app.yaml:5 (Widget/w): the Kubernetes API server at ${server(cluster.kubeconfig)} does not serve apiVersion 'example.com/v1', so kind 'Widget' is unknown to it (GET /apis/example.com/v1 answered 404: 404 page not found)`,
    );
    await expect(cluster.kubectl(['-n', namespace, 'get', 'configmap', 'settings'])).rejects.toThrow(
      /NotFound/,
    );

    writeFileSync(path.join(workspace, 'app.yaml'), 'apiVersion: v1\nkind: Gadget\nmetadata: { name: g }\n');
    const other = failedWith(
      await cluster.rollout({ manifests: 'app.yaml', namespace, name: 'shop' }, workspace),
    );
    expect(other).toMatch(
      /^app\.yaml:1 \(Gadget\/g\): the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ has no kind 'Gadget' in apiVersion 'v1' \(no matches for kind "Gadget" in version "v1"; it serves: .*ConfigMap/,
    );
  });

  it('rejects a kubeconfig that does not parse, without printing it', async () => {
    const kubeconfig =
      'apiVersion: v1\nclusters: [ {name: x\nusers:\n- name: u\n  user: { token: s3cr3t-token-value }\n';
    const run = await rollout(kubeconfig, { name: 'shop', image: IMAGE });
    expect(failedWith(run)).toMatch(/^input 'kubeconfig': the kubeconfig input is not valid YAML: /);
    expect(visibleLog(run)).not.toContain('s3cr3t-token-value');
  });

  it('names the server it cannot reach', async () => {
    const kubeconfig = [
      'apiVersion: v1',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:9" } }]',
      'users: [{ name: u, user: { token: unreachable-secret-token } }]',
      'contexts: [{ name: x, context: { cluster: c, user: u } }]',
      'current-context: x',
    ].join('\n');
    const run = await rollout(kubeconfig, { name: 'shop', image: IMAGE });
    expect(failedWith(run)).toMatch(
      /^cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:9 \(GET \/apis\/apps\/v1\/namespaces\/default\/deployments\/shop\): ECONNREFUSED/,
    );
    expect(run.outputs.status).toBe('failed');
    // Retried (a server restarting answers again within seconds), but a server never reached fails soon.
    expect(run.stdout).toMatch(/API request failed \(attempt 2\), retrying/);
    expect(run.durationMs).toBeLessThan(40_000);
    expect(visibleLog(run)).not.toContain('unreachable-secret-token');
  });

  it.each([
    ['manifests', { manifests: '/etc/hostname' }, 'a path inside the workspace'],
    [
      'drill-history',
      { name: 'shop', action: 'drill', 'drill-history': '/etc/gin-deploy-drills.json' },
      'a path inside the workspace or the runner temp folder',
    ],
  ])('refuses %s outside the workspace', async (input, inputs, expected) => {
    const run = await cluster.rollout(inputs);
    expect(failedWith(run)).toMatch(
      new RegExp(
        `^input '${input}': '/etc/[a-z.-]+' resolves to /etc/[a-z.-]+, outside the workspace .*; expected ${expected}$`,
      ),
    );
  });

  it('rejects an image reference that is not valid', async () => {
    const run = await cluster.rollout({ name: 'shop', image: 'Registry.local/Shop:v1 beta' });
    expect(failedWith(run)).toBe(
      "input 'image': 'Registry.local/Shop:v1 beta' is not valid; expected an image reference such as ghcr.io/acme/api@sha256:<64 hex digits> or ghcr.io/acme/api:v1.2.3",
    );
  });

  it.each([
    [
      '50,10',
      "input 'canary-steps': steps must increase, but 10 follows 50; expected increasing percentages up to 100 such as 10,50,100",
    ],
    [
      '10,150',
      "input 'canary-steps': step 150 is above 100; expected increasing percentages up to 100 such as 10,50,100",
    ],
  ])('rejects canary-steps %s', async (steps, message) => {
    const run = await cluster.rollout({
      name: 'shop',
      image: IMAGE,
      strategy: 'canary',
      'canary-steps': steps,
    });
    expect(failedWith(run)).toBe(message);
  });

  it('stops before applying under policy strict, saying why a mutable tag is a problem', async () => {
    const namespace = await cluster.createNamespace('strict');
    const workspace = writeFiles(tempDir('strict'), {
      'app.yaml': appManifests('shop', 'registry.local/shop:latest'),
    });
    const error = failedWith(
      await cluster.rollout({ manifests: 'app.yaml', namespace, policy: 'strict' }, workspace),
    );
    expect(error).toMatch(
      /^input 'policy' is strict and 1 manifest check\(s\) failed; first: Deployment\/shop: image registry\.local\/shop:latest uses the mutable tag 'latest' without a digest: applying an unchanged tag does not roll the pods/,
    );
    await expect(cluster.kubectl(['-n', namespace, 'get', 'deployment', 'shop'])).rejects.toThrow(/NotFound/);
  });

  it('annotates each policy finding on the manifest file and the line of its object', async () => {
    const namespace = await cluster.createNamespace('annotated');
    const workspace = writeFiles(tempDir('annotated'), {
      'deploy/app.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: shop-config }\n---\n${appManifests('shop', 'registry.local/shop:latest')}`,
    });
    const run = await cluster.rollout({ manifests: 'deploy/', namespace, policy: 'strict' }, workspace);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /^::warning file=deploy\/app\.yaml,line=5::Deployment\/shop container api: image registry\.local\/shop:latest uses the mutable tag/m,
    );
  });

  it('says which verb and resource RBAC denies', async () => {
    const namespace = await cluster.createNamespace('rbac');
    await cluster.kubectl(['-n', namespace, 'create', 'serviceaccount', 'deployer']);
    await cluster.kubectl([
      '-n',
      namespace,
      'create',
      'role',
      'read-only-deployer',
      '--verb=get,list,watch',
      '--resource=deployments.apps,replicasets.apps,pods,services,events',
    ]);
    await cluster.kubectl([
      '-n',
      namespace,
      'create',
      'role',
      'leases',
      '--verb=get,create,update,patch,delete',
      '--resource=leases.coordination.k8s.io',
    ]);
    for (const role of ['read-only-deployer', 'leases']) {
      await cluster.kubectl([
        '-n',
        namespace,
        'create',
        'rolebinding',
        role,
        `--role=${role}`,
        `--serviceaccount=${namespace}:deployer`,
      ]);
    }
    const token = (await cluster.kubectl(['-n', namespace, 'create', 'token', 'deployer'])).trim();
    const admin = readFileSync(cluster.kubeconfig, 'utf8');
    const ca = /certificate-authority: (\S+)/.exec(admin)![1];
    const kubeconfig = [
      'apiVersion: v1',
      `clusters: [{ name: c, cluster: { server: "${server(cluster.kubeconfig)}", certificate-authority-data: ${readFileSync(ca).toString('base64')} } }]`,
      `users: [{ name: deployer, user: { token: ${token} } }]`,
      `contexts: [{ name: x, context: { cluster: c, user: deployer, namespace: ${namespace} } }]`,
      'current-context: x',
    ].join('\n');
    const workspace = writeFiles(tempDir('rbac'), { 'app.yaml': appManifests('shop', IMAGE) });
    const run = await rollout(kubeconfig, { manifests: 'app.yaml' }, workspace);
    expect(failedWith(run)).toMatch(
      // Services are applied (and validated) before Deployments, as Helm orders them.
      /^the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ denied 'patch' on services 'shop' in namespace 'rbac' \(missing RBAC permission: verb 'patch', resource 'services'\): services "shop" is forbidden: User "system:serviceaccount:rbac:deployer" cannot patch resource "services" in API group ""/,
    );
    expect(visibleLog(run)).not.toContain(token);
    // The lease of the failed attempt is released.
    await expect(cluster.kubectl(['-n', namespace, 'get', 'lease', 'gin-deploy-shop'])).rejects.toThrow(
      /NotFound/,
    );
  });
});
