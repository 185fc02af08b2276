import {
  BUILTIN,
  FIELD_MANAGER,
  KubeApiError,
  resourcePath,
  type Deployment,
  type KubeClient,
  type KubeObject,
  type ObjectList,
} from '@gin-deploy/kube';

interface Autoscaler extends KubeObject {
  spec?: { scaleTargetRef?: { kind?: string; name?: string } };
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: { 'f:spec'?: { 'f:replicas'?: unknown } };
}

/**
 * What besides the manifests sets the live Deployment's replicas: a HorizontalPodAutoscaler that targets
 * it (KEDA's ScaledObjects work through one), or a field manager that scales it through the `scale`
 * subresource. Returns its description, or undefined when the manifests own the count.
 */
export async function replicasOwner(client: KubeClient, live: Deployment): Promise<string | undefined> {
  const namespace = live.metadata.namespace ?? 'default';
  const name = live.metadata.name;
  let autoscalers: Autoscaler[] = [];
  try {
    autoscalers = (await client.get<ObjectList<Autoscaler>>(resourcePath(BUILTIN.hpas, namespace))).items;
  } catch (error) {
    // Without permission to list autoscalers (or without autoscaling/v2), the managed fields still tell.
    if (!(error instanceof KubeApiError && [403, 404].includes(error.status))) throw error;
  }
  const hpa = autoscalers.find(
    (a) => a.spec?.scaleTargetRef?.kind === 'Deployment' && a.spec.scaleTargetRef.name === name,
  );
  if (hpa) return `HorizontalPodAutoscaler ${namespace}/${hpa.metadata?.name}`;
  const managed = (live.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? [];
  const scaler = managed.find(
    (entry) =>
      entry.subresource === 'scale' &&
      entry.manager !== FIELD_MANAGER &&
      entry.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined,
  );
  return scaler ? `field manager '${scaler.manager}' (through the scale subresource)` : undefined;
}

/** Whether gin-deploy's server-side apply owns spec.replicas of the live Deployment. */
export function appliesReplicas(live: Deployment): boolean {
  const managed = (live.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? [];
  return managed.some(
    (entry) =>
      entry.manager === FIELD_MANAGER &&
      entry.operation === 'Apply' &&
      entry.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined,
  );
}

/**
 * Keeps the live replica count of an autoscaled Deployment: the manifest's `spec.replicas` is left out
 * of the applied object, so the apply neither fights the autoscaler nor takes the field from it. While
 * gin-deploy's apply still owns the field (the autoscaler never changed it), leaving it out would delete
 * it and reset the Deployment to 1 replica, so the live count is applied instead, unchanged.
 * Returns a line for the log, or undefined when the manifest's count stands.
 */
export async function keepAutoscaledReplicas(
  client: KubeClient,
  manifest: Deployment,
  live: Deployment | undefined,
): Promise<string | undefined> {
  if (!live) return undefined;
  const owner = await replicasOwner(client, live);
  if (!owner) return undefined;
  const replicas = live.spec.replicas ?? 1;
  const wanted = manifest.spec.replicas;
  if (appliesReplicas(live)) manifest.spec.replicas = replicas;
  else delete manifest.spec.replicas;
  return `${live.metadata.namespace}/${live.metadata.name}: ${owner} sets its replicas; keeping the live ${replicas}${wanted === undefined ? '' : ` (not the manifest's ${wanted})`}`;
}
