import type { Deployment, KubeObject, Service } from '@gin-deploy/kube';
import { generateAutoscaler, replicasWithin, type AutoscaleSpec } from './autoscaler.js';
import { ResourcesError } from './errors.js';

export interface AppSpec {
  name: string;
  image: string;
  port: number;
  replicas: number;
  healthPath: string;
  readyPath: string;
  resources: Resources;
  /** A HorizontalPodAutoscaler for the Deployment. */
  autoscale?: AutoscaleSpec;
}

export interface Resources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

export const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};

/**
 * `cpu=100m,memory=128Mi` (requests; limits keep their defaults unless given) or
 * `requests.cpu=100m,limits.memory=256Mi`. Throws ResourcesError for a bad item.
 */
export function parseResources(text: string | undefined): Resources {
  const resources: Resources = {
    requests: { ...DEFAULT_RESOURCES.requests },
    limits: { ...DEFAULT_RESOURCES.limits },
  };
  if (text === undefined) return resources;
  for (const item of text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^(?:(requests|limits)\.)?(cpu|memory|ephemeral-storage)=([0-9.]+[a-zA-Z]*)$/.exec(item);
    if (!match) throw new ResourcesError(item);
    const [, kind = 'requests', resource, quantity] = match;
    resources[kind as keyof Resources][resource] = quantity;
  }
  return resources;
}

/** A Deployment and a Service for one container, ready for production: probes, resources, non-root. */
export function generateApp(spec: AppSpec): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': spec.name };
  const probe = (probePath: string, period: number) => ({
    httpGet: { path: probePath, port: 'http' },
    periodSeconds: period,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, labels },
    spec: {
      replicas: spec.autoscale ? replicasWithin(spec.replicas, spec.autoscale) : spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 },
          containers: [
            {
              name: spec.name,
              image: spec.image,
              ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
              livenessProbe: probe(spec.healthPath, 10),
              readinessProbe: probe(spec.readyPath, 5),
              resources: spec.resources,
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, labels },
    spec: {
      selector: labels,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return spec.autoscale
    ? [deployment, service, generateAutoscaler(spec.name, labels, spec.autoscale)]
    : [deployment, service];
}
