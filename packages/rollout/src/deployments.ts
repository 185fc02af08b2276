import {
  BUILTIN,
  isNotFound,
  resourcePath,
  type Deployment,
  type KubeClient,
  type ObjectList,
  type PodTemplate,
  type ReplicaSet,
  type Service,
} from '@gin-deploy/kube';
import { REVISION_ANNOTATION } from './status.js';

export function getDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<Deployment | undefined> {
  return getIfExists(client, resourcePath(BUILTIN.deployments, namespace, name));
}

export function getService(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<Service | undefined> {
  return getIfExists(client, resourcePath(BUILTIN.services, namespace, name));
}

/** The object at `path`, or undefined when it does not exist. */
async function getIfExists<T>(client: KubeClient, path: string): Promise<T | undefined> {
  try {
    return await client.get<T>(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function scaleDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
  replicas: number,
): Promise<void> {
  await client.mergePatch(resourcePath(BUILTIN.deployments, namespace, name), { spec: { replicas } });
}

/** The pod template of the Deployment's ReplicaSet at `revision`, as `kubectl rollout undo` restores it. */
export async function templateAtRevision(
  client: KubeClient,
  deployment: Deployment,
  revision: number,
): Promise<PodTemplate | undefined> {
  const namespace = deployment.metadata.namespace ?? 'default';
  const sets = await client.get<ObjectList<ReplicaSet>>(resourcePath(BUILTIN.replicasets, namespace));
  const match = sets.items.find(
    (set) =>
      set.metadata.ownerReferences?.some((owner) => owner.uid === deployment.metadata.uid) &&
      set.metadata.annotations?.[REVISION_ANNOTATION] === String(revision),
  );
  if (!match) return undefined;
  const template = structuredClone(match.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  return template;
}

/** Replaces the Deployment's pod template (a new rollout of the old pods) and says why in change-cause. */
export async function restoreTemplate(
  client: KubeClient,
  deployment: Deployment,
  template: PodTemplate,
  changeCause: string,
): Promise<void> {
  const namespace = deployment.metadata.namespace ?? 'default';
  await client.jsonPatch(resourcePath(BUILTIN.deployments, namespace, deployment.metadata.name), [
    { op: 'replace', path: '/spec/template', value: template },
    ...(deployment.metadata.annotations ? [] : [{ op: 'add', path: '/metadata/annotations', value: {} }]),
    { op: 'add', path: '/metadata/annotations/kubernetes.io~1change-cause', value: changeCause },
  ]);
}

/**
 * A copy of a Deployment under `<name>-<suffix>` whose selector and pods carry one more label, so it runs
 * beside the original (blue-green colors, the canary track).
 */
export function variantOf(deployment: Deployment, suffix: string, label: string, value: string): Deployment {
  const copy = structuredClone(deployment);
  copy.metadata.name = `${deployment.metadata.name}-${suffix}`;
  copy.metadata.labels = { ...copy.metadata.labels, [label]: value };
  copy.spec.selector = {
    ...copy.spec.selector,
    matchLabels: { ...copy.spec.selector?.matchLabels, [label]: value },
  };
  copy.spec.template.metadata = {
    ...copy.spec.template.metadata,
    labels: { ...copy.spec.template.metadata?.labels, [label]: value },
  };
  return copy;
}

/** The Service whose selector picks the Deployment's pods. */
export function selects(service: Service, deployment: Deployment): boolean {
  const selector = service.spec?.selector ?? {};
  const labels = deployment.spec.template.metadata?.labels ?? {};
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
