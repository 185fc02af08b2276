import type { Container, Deployment, KubeObject, Service } from '@gin-deploy/kube';
import { ContainerNotFoundError, RolloutError } from './errors.js';
import { parseImageReference } from './image.js';

export function isDeployment(object: KubeObject): object is Deployment {
  return (
    object.kind === 'Deployment' &&
    (object.apiVersion === 'apps/v1' || object.apiVersion === 'extensions/v1beta1')
  );
}

export function isService(object: KubeObject): object is Service {
  return object.kind === 'Service' && object.apiVersion === 'v1';
}

export function containersOf(deployment: Deployment): Container[] {
  return deployment.spec?.template?.spec?.containers ?? [];
}

/**
 * Puts `image` into the named container, or else into every container whose image has the same repository,
 * or else into the only container there is. Returns the updated `deployment/container` names; throws
 * ContainerNotFoundError when nothing matches.
 */
export function replaceImage(objects: KubeObject[], image: string, container?: string): string[] {
  const deployments = objects.filter(isDeployment);
  const target = parseImageReference(image);
  if (!target) throw new RolloutError(`'${image}' is not a valid image reference`);
  const updated: string[] = [];
  const all = deployments.flatMap((deployment) => containersOf(deployment).map((c) => ({ deployment, c })));
  let chosen = container
    ? all.filter(({ c }) => c.name === container)
    : all.filter(({ c }) => {
        const current = c.image ? parseImageReference(c.image) : undefined;
        return current !== undefined && current.repository === target.repository;
      });
  if (chosen.length === 0 && !container && all.length === 1) chosen = all;
  if (chosen.length === 0) {
    const names = all.map(
      ({ deployment, c }) => `${deployment.metadata.name}/${c.name} (${c.image ?? 'no image'})`,
    );
    throw new ContainerNotFoundError(
      container
        ? `no Deployment has a container named '${container}'; containers: ${names.join(', ') || 'none'}`
        : `no container's image has the repository ${target.repository} (containers: ${names.join(', ') || 'none'})`,
      container,
    );
  }
  for (const { deployment, c } of chosen) {
    c.image = image;
    updated.push(`${deployment.metadata.name}/${c.name}`);
  }
  return updated;
}

export interface Annotations {
  version?: string;
  commit?: string;
  runUrl?: string;
  changeCause: string;
}

/**
 * Annotates every object's metadata (never the pod template, which would roll the pods on every run) with
 * what is being deployed and by which workflow run.
 */
export function annotate(objects: KubeObject[], annotations: Annotations): void {
  const values: Record<string, string | undefined> = {
    'gin-deploy/version': annotations.version,
    'gin-deploy/commit': annotations.commit,
    'gin-deploy/run-url': annotations.runUrl,
    'kubernetes.io/change-cause': annotations.changeCause,
  };
  for (const object of objects) {
    object.metadata ??= {};
    object.metadata.annotations ??= {};
    for (const [key, value] of Object.entries(values)) if (value) object.metadata.annotations[key] = value;
  }
}

/** The namespace a Deployment of the manifests lands in: its own, or the rollout's. */
export function namespaceOf(deployment: Deployment, fallback: string): string {
  return deployment.metadata.namespace ?? fallback;
}

/** Sets the namespace on namespaced objects that do not name one; objects naming their own keep it. */
export function defaultNamespace(
  object: KubeObject,
  namespace: string,
  namespaced: boolean,
): string | undefined {
  if (!namespaced) return undefined;
  object.metadata ??= {};
  object.metadata.namespace ??= namespace;
  return object.metadata.namespace;
}
