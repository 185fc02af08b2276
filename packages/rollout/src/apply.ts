import { sleep } from '@gin-deploy/action';
import {
  Discovery,
  isNotFound,
  KubeApiError,
  KubeClient,
  resourcePath,
  type ApiResource,
} from '@gin-deploy/kube';
import { RolloutError } from './errors.js';
import { isCrd, kindKey, kindsDefinedBy, servedVersions, waitEstablished } from './crds.js';
import { inInstallOrder } from './install-order.js';
import type { Manifest } from './manifests.js';
import { defaultNamespace } from './workload.js';

export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
}

/** How long a CRD of the set may take to be served, and its kind to show up in discovery. */
const CRD_READY_MS = 60_000;

/**
 * Server-side applies each object (create or update) in Helm's install order, defaulting the namespace of
 * namespaced kinds. Before the first write every object is validated by a server-side dry run (schema,
 * immutable fields, admission): one rejected object leaves the whole set unapplied, with its file and line
 * in the error. A CRD in the set is waited for until Established, then the resources of its kind follow.
 * `validateAlso` are objects the caller applies itself later (a blue-green color, a canary, its Service):
 * they are dry-run with the set, so that their rejection too leaves the set unapplied.
 */
export async function applyManifests(
  client: KubeClient,
  discovery: Discovery,
  manifests: Manifest[],
  namespace: string,
  validateAlso: Manifest[] = [],
): Promise<AppliedObject[]> {
  const ordered = inInstallOrder(manifests);
  const newKinds = kindsDefinedBy(ordered.map((m) => m.object));
  const newNamespaces = new Set(
    ordered.filter((m) => m.object.kind === 'Namespace').map((m) => m.object.metadata?.name),
  );
  // Objects of a kind the set itself defines cannot be checked before their CRD exists.
  for (const manifest of [...ordered, ...validateAlso])
    if (!newKinds.has(kindKey(manifest.object)))
      await dryRun(client, discovery, manifest, namespace, newNamespaces);
  const applied: AppliedObject[] = [];
  for (const manifest of ordered) {
    if (newKinds.has(kindKey(manifest.object))) await resolveWhenServed(discovery, manifest);
    applied.push(await applyOne(client, discovery, manifest, namespace));
    if (isCrd(manifest.object)) {
      await waitEstablished(client, manifest.object.metadata?.name ?? '', CRD_READY_MS);
      for (const apiVersion of servedVersions(manifest.object)) discovery.forget(apiVersion);
    }
  }
  return applied;
}

async function dryRun(
  client: KubeClient,
  discovery: Discovery,
  manifest: Manifest,
  namespace: string,
  newNamespaces: Set<string | undefined>,
): Promise<void> {
  const { object } = manifest;
  const resource = await resolve(discovery, manifest);
  const objectNamespace = defaultNamespace(object, namespace, resource.namespaced);
  try {
    await client.apply(resourcePath(resource, objectNamespace, object.metadata?.name), object, {
      dryRun: true,
    });
  } catch (error) {
    // An object in a namespace the set creates can only be checked once that namespace exists.
    if (isNotFound(error) && newNamespaces.has(objectNamespace)) return;
    throw located(error, manifest);
  }
}

/** Discovery may lag a moment behind a CRD becoming Established. */
async function resolveWhenServed(discovery: Discovery, manifest: Manifest): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await resolve(discovery, manifest);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      discovery.forget(manifest.object.apiVersion ?? '');
      await sleep(250);
    }
  }
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
    return new RolloutError(
      `${manifest.file}:${manifest.line} (${object.kind}/${object.metadata?.name}): ${error.message}`,
    );
  }
  return error;
}
