import type { KubeClient } from '@gin-deploy/kube';
import { getDeployment } from './deployments.js';
import type { Manifest } from './manifests.js';
import { isDeployment } from './workload.js';

/**
 * The Deployments of the set that are paused, in the manifest (`spec.paused: true`) or on the cluster
 * (`kubectl rollout pause`), as `namespace/name (why)`. A paused Deployment takes a new template without
 * rolling it out, so the wait could only time out, and a later `kubectl rollout resume` would ship it
 * unasked: the rollout refuses before it applies anything.
 */
export async function pausedDeployments(
  client: KubeClient,
  manifests: Manifest[],
  namespace: string,
): Promise<string[]> {
  const paused: string[] = [];
  for (const { object, file, line } of manifests) {
    if (!isDeployment(object)) continue;
    const objectNamespace = object.metadata.namespace ?? namespace;
    const name = `${objectNamespace}/${object.metadata.name}`;
    if (object.spec.paused === true) paused.push(`${name} (spec.paused: true in ${file}:${line})`);
    else if ((await getDeployment(client, objectNamespace, object.metadata.name ?? ''))?.spec.paused)
      paused.push(`${name} (paused on the cluster, e.g. by kubectl rollout pause)`);
  }
  return paused;
}
