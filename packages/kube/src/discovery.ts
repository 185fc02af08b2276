import type { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';

export interface ApiResource {
  apiVersion: string;
  kind: string;
  /** Plural resource name, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** Finds the REST resource of any kind through the server's discovery documents, so custom kinds work too. */
export class Discovery {
  private readonly lists = new Map<string, Promise<ApiResourceList>>();

  constructor(private readonly client: KubeClient) {}

  /** Drops what is known of an apiVersion, e.g. after a CRD that serves it was created. */
  forget(apiVersion: string): void {
    this.lists.delete(apiVersion);
  }

  async resolve(apiVersion: string, kind: string): Promise<ApiResource> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let pending = this.lists.get(apiVersion);
    if (!pending) {
      pending = this.client.get<ApiResourceList>(path);
      this.lists.set(apiVersion, pending);
    }
    let list: ApiResourceList;
    try {
      list = await pending;
    } catch (error) {
      this.lists.delete(apiVersion);
      if (error instanceof KubeApiError && error.status === 404) {
        throw new KubeApiError(
          `the Kubernetes API server at ${this.client.server} does not serve apiVersion '${apiVersion}', so kind '${kind}' is unknown to it (GET ${path} answered ${error.status}: ${error.message.replace(/^.*: /, '')})`,
          404,
          'NotFound',
          'get',
          path,
          this.client.server,
        );
      }
      throw error;
    }
    const match = list.resources.find((resource) => resource.kind === kind && !resource.name.includes('/'));
    if (!match) {
      throw new KubeApiError(
        `the Kubernetes API server at ${this.client.server} has no kind '${kind}' in apiVersion '${apiVersion}' (no matches for kind "${kind}" in version "${apiVersion}"; it serves: ${list.resources
          .filter((resource) => !resource.name.includes('/'))
          .map((resource) => resource.kind)
          .join(', ')})`,
        404,
        'NotFound',
        'get',
        path,
        this.client.server,
      );
    }
    return { apiVersion, kind, name: match.name, namespaced: match.namespaced };
  }
}

/** The REST path of a collection (no name) or of one object. */
export function resourcePath(resource: ApiResource, namespace: string | undefined, name?: string): string {
  const root = resource.apiVersion.includes('/')
    ? `/apis/${resource.apiVersion}`
    : `/api/${resource.apiVersion}`;
  const scope = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
  return `${root}${scope}/${resource.name}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** The built-in kinds the rollout itself touches, so it needs no discovery round trip for them. */
export const BUILTIN = {
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'deployments', namespaced: true },
  replicasets: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'replicasets', namespaced: true },
  pods: { apiVersion: 'v1', kind: 'Pod', name: 'pods', namespaced: true },
  services: { apiVersion: 'v1', kind: 'Service', name: 'services', namespaced: true },
  events: { apiVersion: 'v1', kind: 'Event', name: 'events', namespaced: true },
  namespaces: { apiVersion: 'v1', kind: 'Namespace', name: 'namespaces', namespaced: false },
  leases: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'leases', namespaced: true },
  crds: {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    name: 'customresourcedefinitions',
    namespaced: false,
  },
  hpas: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    name: 'horizontalpodautoscalers',
    namespaced: true,
  },
} satisfies Record<string, ApiResource>;
