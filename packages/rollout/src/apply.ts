import { UserError } from '@gin-deploy/action';
import {
  Discovery,
  KubeApiError,
  KubeClient,
  resourcePath,
  type ApiResource,
  type KubeObject,
} from '@gin-deploy/kube';
import type { Manifest } from './manifests.js';
import { defaultNamespace } from './workload.js';

export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
}

/** Kinds other objects may live in or depend on are applied first, as `kubectl apply` users expect. */
const FIRST = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ConfigMap', 'Secret'];

/** Server-side applies each object (create or update), defaulting the namespace of namespaced kinds. */
export async function applyManifests(
  client: KubeClient,
  discovery: Discovery,
  manifests: Manifest[],
  namespace: string,
): Promise<AppliedObject[]> {
  const ordered = [...manifests].sort((a, b) => rank(a.object) - rank(b.object));
  // Every kind is resolved before the first write, so an unknown kind leaves nothing half-applied.
  for (const manifest of ordered) await resolve(discovery, manifest);
  const applied: AppliedObject[] = [];
  for (const manifest of ordered) applied.push(await applyOne(client, discovery, manifest, namespace));
  return applied;
}

export async function applyOne(
  client: KubeClient,
  discovery: Discovery,
  manifest: Manifest,
  namespace: string,
): Promise<AppliedObject> {
  const { object } = manifest;
  const resource = await resolve(discovery, manifest);
  const objectNamespace = defaultNamespace(object, namespace, resource.namespaced);
  try {
    await client.apply(resourcePath(resource, objectNamespace, object.metadata?.name), object);
  } catch (error) {
    throw located(error, manifest);
  }
  return { kind: object.kind ?? '', name: object.metadata?.name ?? '', namespace: objectNamespace };
}

async function resolve(discovery: Discovery, manifest: Manifest): Promise<ApiResource> {
  try {
    return await discovery.resolve(manifest.object.apiVersion ?? '', manifest.object.kind ?? '');
  } catch (error) {
    throw located(error, manifest);
  }
}

/** The server's answer, prefixed with the file and line of the object it is about. */
function located(error: unknown, manifest: Manifest): unknown {
  if (error instanceof KubeApiError && error.status !== 403 && error.status !== 401) {
    const { object } = manifest;
    return new UserError(
      `${manifest.file}:${manifest.line} (${object.kind}/${object.metadata?.name}): ${error.message}`,
    );
  }
  return error;
}

function rank(object: KubeObject): number {
  const index = FIRST.indexOf(object.kind ?? '');
  return index < 0 ? FIRST.length : index;
}
