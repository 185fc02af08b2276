// Test support: the sample service built, pushed to a local registry, and a demo kubelet on the cluster that
// runs its pods as real processes; for the tests that need real pods (the kubelet's own, the drills).
import path from 'node:path';
import { buildSample } from '../docker-multistage/sample.js';
import { describeRun, runBundledAction } from '../support/action.js';
import { kubectl } from '../support/cluster.js';
import type { Registry } from '../support/registry.js';
import { waitFor } from '../support/wait.js';
import { DemoKubelet } from './kubelet.js';

export interface SampleKubelet {
  /** The pushed image, name@sha256:digest. */
  image: string;
  /** Stops the kubelet (and the pods' processes) and waits for its loop to end. */
  stop(): Promise<void>;
}

/** Builds and pushes the sample (linux/amd64) as `version`, then runs a demo kubelet as node `nodeName`. */
export async function startSampleKubelet(options: {
  kubeconfig: string;
  registry: Registry;
  work: string;
  nodeName: string;
  version: string;
}): Promise<SampleKubelet> {
  const artifacts = await buildSample(path.join(options.work, 'bin'), options.version, ['amd64']);
  const pushed = await runBundledAction('docker-multistage', {
    inputs: {
      artifacts: JSON.stringify(artifacts),
      image: `${options.registry.host}/demo/sample-api`,
      tags: 'test',
      sbom: 'false',
    },
    workspace: options.work,
  });
  if (pushed.exitCode !== 0) throw new Error(describeRun(pushed));
  const kubelet = new DemoKubelet({
    kubeconfig: options.kubeconfig,
    nodeName: options.nodeName,
    stateDir: path.join(options.work, 'kubelet'),
    log: () => undefined,
  });
  const running = kubelet.run();
  await waitFor('the demo node to be Ready', 30_000, async () => {
    const status = await kubectl(options.kubeconfig, [
      'get',
      'node',
      options.nodeName,
      '-o',
      'jsonpath={.status.conditions[0].status}',
    ]);
    return status === 'True' ? true : undefined;
  });
  return {
    image: pushed.outputs['image-ref'],
    async stop() {
      kubelet.stop();
      await running.catch(() => undefined);
    },
  };
}

/**
 * The sample app as a Deployment (and Service) on the demo kubelet's node, or on KWOK's nodes with `kwok`.
 * `env` reaches the Gin service: READY_AFTER (slow start), FAIL_FOR (errors after start).
 */
export function sampleApp(
  name: string,
  image: string,
  options: { replicas?: number; env?: Record<string, string>; kwok?: boolean } = {},
): string {
  const env = Object.entries(options.env ?? {}).map(([key, value]) => ({ name: key, value }));
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: options.replicas ?? 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            ...(options.kwok ? {} : { nodeSelector: { 'gin-deploy.demo/kubelet': 'true' } }),
            containers: [
              {
                name: 'api',
                image,
                env,
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: {
                  httpGet: { path: '/ready', port: 'http' },
                  periodSeconds: 1,
                  failureThreshold: 1,
                },
                livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  ]
    .map((object) => JSON.stringify(object))
    .join('\n---\n');
}
