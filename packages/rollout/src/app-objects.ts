import type { Deployment, Service } from '@gin-deploy/kube';
import { selects } from './deployments.js';
import { ManifestError } from './errors.js';
import type { Manifest } from './manifests.js';
import { isDeployment, isService } from './workload.js';

/** The one Deployment a blue-green or canary rollout is about, the Service in front of it, and the rest. */
export interface AppObjects {
  deployment: Manifest & { object: Deployment };
  service?: Manifest & { object: Service };
  others: Manifest[];
}

export function splitApp(manifests: Manifest[], strategy: string, needService: boolean): AppObjects {
  const deployments = manifests.filter((m): m is Manifest & { object: Deployment } => isDeployment(m.object));
  if (deployments.length !== 1) {
    throw new ManifestError(
      `strategy ${strategy} needs exactly one Deployment in the manifests; found ${deployments.length}${deployments.length ? ` (${deployments.map((d) => d.object.metadata.name).join(', ')})` : ''}`,
    );
  }
  const deployment = deployments[0];
  const service = serviceInFront(manifests, deployment.object);
  if (needService && !service) {
    throw new ManifestError(
      `strategy ${strategy} needs a Service whose selector picks the pods of Deployment ${deployment.object.metadata.name}; none in the manifests does`,
    );
  }
  const others = manifests.filter((m) => m !== deployment && m !== service);
  return { deployment, service, others };
}

/** The Service in front of the Deployment: the one in the manifests whose selector picks its pods. */
export function serviceInFront(
  manifests: Manifest[],
  deployment: Deployment,
): (Manifest & { object: Service }) | undefined {
  return manifests.find(
    (m): m is Manifest & { object: Service } => isService(m.object) && selects(m.object, deployment),
  );
}
