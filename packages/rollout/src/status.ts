import type { Deployment } from '@gin-deploy/kube';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export type RolloutState =
  | { phase: 'progressing'; message: string }
  | { phase: 'complete'; message: string }
  | { phase: 'failed'; message: string };

/** The verdict of `kubectl rollout status` (pkg/polymorphichelpers/rollout_status.go) for one Deployment. */
export function rolloutStatus(deployment: Deployment): RolloutState {
  const name = deployment.metadata.name;
  const status = deployment.status ?? {};
  if ((deployment.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { phase: 'progressing', message: 'Waiting for deployment spec update to be observed...' };
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { phase: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  }
  const wanted = deployment.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < wanted) {
    return {
      phase: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...`,
    };
  }
  if (total > updated) {
    return {
      phase: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      phase: 'progressing',
      message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { phase: 'complete', message: `deployment "${name}" successfully rolled out` };
}

export function revisionOf(
  object: { metadata?: { annotations?: Record<string, string> } } | undefined,
): number | undefined {
  const value = object?.metadata?.annotations?.[REVISION_ANNOTATION];
  return value === undefined ? undefined : Number(value);
}
