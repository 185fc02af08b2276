import type { Condition, Deployment, Pod, ReplicaSet } from '@gin-deploy/kube';

/** Why a Deployment's new pods are not coming, as its controller reports it. */
export interface Stall {
  /** `ReplicaFailure`, `Unschedulable` or `ProgressDeadlineExceeded`. */
  kind: string;
  /** The controller's or scheduler's own words, e.g. `pods "x" is forbidden: exceeded quota: …`. */
  message: string;
  /** Cannot clear without a change (admission or Pod Security denial, invalid spec): fail now. */
  permanent: boolean;
  /** When it was first reported (ms since epoch); a stall that may clear fails ready-timeout after it. */
  since: number;
}

/**
 * Denials that clear by themselves: a quota frees up when other pods go, and the controller keeps
 * retrying. Every other pod creation failure (Pod Security, LimitRange, admission webhooks, validation)
 * repeats identically until someone changes the spec or the policy.
 */
const MAY_CLEAR = [/exceeded quota/i, /insufficient/i, /too many requests/i, /timeout/i];

/**
 * Reads the ReplicaFailure condition of the Deployment's current ReplicaSet (`FailedCreate`, the error of
 * its pod creation; the Deployment's own copy may still be an older ReplicaSet's, e.g. right after a
 * rollback) and the Deployment's ProgressDeadlineExceeded (kubectl's rollout_status.go).
 */
export function deploymentStall(
  deployment: Deployment,
  replicaSet: ReplicaSet | undefined,
  now = Date.now(),
): Stall | undefined {
  const conditions = deployment.status?.conditions ?? [];
  const failure = replicaSet?.status?.conditions?.find(
    (c) => c.type === 'ReplicaFailure' && c.status === 'True',
  );
  if (failure) {
    const message = `${failure.reason ?? 'ReplicaFailure'}: ${failure.message ?? ''}`.trim();
    return {
      kind: 'ReplicaFailure',
      message,
      permanent: !MAY_CLEAR.some((pattern) => pattern.test(message)),
      since: sinceOf(failure, now),
    };
  }
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      kind: 'ProgressDeadlineExceeded',
      message: progressing.message ?? 'the progress deadline was exceeded',
      permanent: true,
      since: sinceOf(progressing, now),
    };
  }
  return undefined;
}

/** Pods the scheduler could not place, with its message (`0/2 nodes are available: 2 Insufficient cpu…`). */
export function unschedulable(pods: Pod[], now = Date.now()): Stall | undefined {
  for (const pod of pods) {
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      return {
        kind: 'Unschedulable',
        message: `pod ${pod.metadata.name} is unschedulable: ${scheduled.message ?? ''}`.trim(),
        permanent: false,
        since: sinceOf(scheduled, now),
      };
    }
  }
  return undefined;
}

function sinceOf(condition: Condition, now: number): number {
  const at = Date.parse(condition.lastTransitionTime ?? condition.lastUpdateTime ?? '');
  return Number.isFinite(at) ? at : now;
}
