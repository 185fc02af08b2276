import { formatDuration } from '@gin-deploy/action';
import {
  KubeApiError,
  resourcePath,
  type ApiResource,
  type Discovery,
  type KubeClient,
  type KubeObject,
} from '@gin-deploy/kube';
import { removeIfPresent } from './cleanup.js';
import { DrillError } from './errors.js';
import type { FaultSpec } from './fault.js';

export const CHAOS_MESH_API = 'chaos-mesh.org/v1alpha1';

/** The Chaos Mesh kind and `action` that cause each fault (chaos-mesh.org/docs, api/v1alpha1 types). */
const KINDS = {
  'network-delay': { kind: 'NetworkChaos', action: 'delay' },
  'cpu-stress': { kind: 'StressChaos', action: undefined },
  'memory-stress': { kind: 'StressChaos', action: undefined },
} as const;

export interface ExperimentTarget {
  namespace: string;
  /** The app's pod labels (its Deployment's matchLabels). */
  labels: Record<string, string>;
  /** Unique per drill, e.g. `gin-deploy-drill-api-1732950000`. */
  name: string;
  durationMs: number;
}

/**
 * The experiment object of a Chaos Mesh fault: `mode`/`value` from the pod share (`all`, `fixed` N or
 * `fixed-percent` P), `selector` the app's namespace and labels, `duration` so the controller ends it even if
 * nothing deletes it, and the fault's own fields (`delay`, `stressors`).
 */
export function chaosExperiment(fault: FaultSpec, target: ExperimentTarget): KubeObject {
  if (fault.kind === 'pod-kill' || fault.kind === 'pod-failure')
    throw new DrillError(`${fault.kind} runs through the Kubernetes API, not Chaos Mesh`);
  const { kind, action } = KINDS[fault.kind];
  const share = fault.pods;
  const mode =
    'count' in share
      ? { mode: 'fixed', value: String(share.count) }
      : share.percent === 100
        ? { mode: 'all' }
        : { mode: 'fixed-percent', value: String(share.percent) };
  const spec: Record<string, unknown> = {
    ...(action ? { action } : {}),
    ...mode,
    selector: { namespaces: [target.namespace], labelSelectors: target.labels },
    duration: formatDuration(Math.max(1000, Math.round(target.durationMs / 1000) * 1000)),
  };
  const f = fault.fields;
  if (fault.kind === 'network-delay') {
    spec.direction = 'to';
    spec.delay = { latency: f.latency, jitter: f.jitter, correlation: String(f.correlation) };
  } else if (fault.kind === 'cpu-stress') {
    spec.stressors = { cpu: { workers: f.workers, load: f.load } };
  } else if (fault.kind === 'memory-stress') {
    spec.stressors = { memory: { workers: f.workers, size: f.size } };
  }
  return {
    apiVersion: CHAOS_MESH_API,
    kind,
    metadata: {
      name: target.name,
      namespace: target.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'gin-deploy', 'gin-deploy/drill': 'true' },
    },
    spec,
  };
}

/**
 * A created experiment; `remove()` deletes it and is safe to call more than once (a 404 counts as removed).
 * Created only when the cluster serves the kind: otherwise a DrillError says to install Chaos Mesh.
 */
export class ChaosExperiment {
  private removed?: Promise<void>;

  private constructor(
    private readonly client: KubeClient,
    private readonly path: string,
    readonly object: KubeObject,
  ) {}

  static async create(
    client: KubeClient,
    discovery: Discovery,
    object: KubeObject,
  ): Promise<ChaosExperiment> {
    let resource: ApiResource;
    try {
      resource = await discovery.resolve(CHAOS_MESH_API, object.kind ?? '');
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) {
        throw new DrillError(
          `this fault needs Chaos Mesh, but the cluster at ${client.server} does not serve ${object.kind} (${CHAOS_MESH_API}); install Chaos Mesh (https://chaos-mesh.org/docs/production-installation-using-helm/) or use pod-kill, which needs nothing installed`,
        );
      }
      throw error;
    }
    const namespace = object.metadata?.namespace;
    const created = await client.request<KubeObject>('POST', resourcePath(resource, namespace), {
      body: object,
    });
    return new ChaosExperiment(client, resourcePath(resource, namespace, object.metadata?.name), created);
  }

  remove(): Promise<void> {
    this.removed ??= removeIfPresent(() => this.client.delete(this.path));
    return this.removed;
  }
}
