import { sleep } from '@gin-deploy/action';
import { BUILTIN, resourcePath, type Condition, type KubeClient, type KubeObject } from '@gin-deploy/kube';

interface CustomResourceDefinition extends KubeObject {
  spec?: { group?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] };
  status?: { conditions?: Condition[] };
}

export function isCrd(object: KubeObject): boolean {
  return (
    object.kind === 'CustomResourceDefinition' &&
    object.apiVersion?.startsWith('apiextensions.k8s.io/') === true
  );
}

/** `apiVersion kind` keys (e.g. `example.com/v1 Widget`) of the kinds the CRDs among `objects` define. */
export function kindsDefinedBy(objects: KubeObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const crd of objects.filter(isCrd) as CustomResourceDefinition[]) {
    const { group, names, versions } = crd.spec ?? {};
    for (const version of versions ?? [])
      if (version.served !== false) kinds.add(`${group}/${version.name} ${names?.kind}`);
  }
  return kinds;
}

export function kindKey(object: KubeObject): string {
  return `${object.apiVersion} ${object.kind}`;
}

/** The apiVersions a CRD serves, e.g. `example.com/v1`. */
export function servedVersions(object: KubeObject): string[] {
  const { group, versions } = (object as CustomResourceDefinition).spec ?? {};
  return (versions ?? []).filter((v) => v.served !== false).map((v) => `${group}/${v.name}`);
}

/**
 * Waits until the CRD is `Established` (the API server serves its kind), as `kubectl wait
 * --for=condition=Established` does; throws with its last condition once `timeoutMs` passed.
 */
export async function waitEstablished(client: KubeClient, name: string, timeoutMs: number): Promise<void> {
  const path = resourcePath(BUILTIN.crds, undefined, name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await client.get<CustomResourceDefinition>(path);
    const conditions = crd.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() >= deadline) {
      const why = conditions.map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`);
      throw new Error(
        `CustomResourceDefinition ${name} is not Established after ${Math.round(timeoutMs / 1000)} s: ${why.join(', ') || 'no conditions'}`,
      );
    }
    await sleep(200);
  }
}
