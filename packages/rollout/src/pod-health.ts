import type { ContainerStatus, Pod } from '@gin-deploy/kube';

/** Container states that do not get better by waiting: the version is broken or cannot start. */
export const FATAL_WAITING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export interface PodProblem {
  pod: string;
  container?: string;
  /** `CrashLoopBackOff`, `NotReady`, `Restarts`, `Failed`… */
  reason: string;
  message: string;
}

export interface PodHealthOptions {
  now: number;
  /** A pod not Ready this long after it was created is failing. */
  readyTimeoutMs: number;
  /** A container restarted this many times is failing, whatever its current state. */
  maxRestarts: number;
}

/** The problems that make a new version fail now instead of at the progress deadline. */
export function podProblems(pods: Pod[], options: PodHealthOptions): PodProblem[] {
  return pods.filter((pod) => !pod.metadata.deletionTimestamp).flatMap((pod) => problemsOf(pod, options));
}

function problemsOf(pod: Pod, options: PodHealthOptions): PodProblem[] {
  const name = pod.metadata.name ?? '';
  const status = pod.status ?? {};
  if (status.phase === 'Failed') {
    return [{ pod: name, reason: status.reason ?? 'Failed', message: status.message ?? 'the pod failed' }];
  }
  const containers: ContainerStatus[] = [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ];
  const problems: PodProblem[] = [];
  for (const container of containers) {
    const waiting = container.state?.waiting;
    if (waiting?.reason && FATAL_WAITING_REASONS.has(waiting.reason)) {
      problems.push({
        pod: name,
        container: container.name,
        reason: waiting.reason,
        message: waiting.message ?? waiting.reason,
      });
    } else if (container.restartCount >= options.maxRestarts) {
      const last = container.lastState?.terminated;
      problems.push({
        pod: name,
        container: container.name,
        reason: 'Restarts',
        message: `restarted ${container.restartCount} times${last ? ` (last exit: ${last.reason ?? ''} code ${last.exitCode ?? '?'})` : ''}`,
      });
    }
  }
  if (problems.length > 0) return problems;
  const created = Date.parse(pod.metadata.creationTimestamp ?? '');
  if (!isReady(pod) && Number.isFinite(created) && options.now - created >= options.readyTimeoutMs) {
    const condition = status.conditions?.find((c) => c.type === 'Ready');
    return [
      {
        pod: name,
        reason: 'NotReady',
        message: `not Ready ${Math.round((options.now - created) / 1000)} s after creation (ready-timeout ${Math.round(options.readyTimeoutMs / 1000)} s)${condition?.message ? `: ${condition.message}` : ''}`,
      },
    ];
  }
  return [];
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the next pod reaches its ready-timeout, so the watch can wake up then without any event. */
export function nextReadyDeadline(pods: Pod[], readyTimeoutMs: number): number | undefined {
  const deadlines = pods
    .filter((pod) => !isReady(pod) && !pod.metadata.deletionTimestamp)
    .map((pod) => Date.parse(pod.metadata.creationTimestamp ?? '') + readyTimeoutMs)
    .filter(Number.isFinite);
  return deadlines.length ? Math.min(...deadlines) : undefined;
}

/** One line per pod for the summary: phase, readiness and each container's state. */
export function describePod(pod: Pod): { pod: string; phase: string; ready: boolean; containers: string } {
  const containers = (pod.status?.containerStatuses ?? []).map((c) => {
    const state = c.state?.waiting
      ? `waiting: ${c.state.waiting.reason ?? ''}`
      : c.state?.terminated
        ? `terminated: ${c.state.terminated.reason ?? ''}`
        : c.state?.running
          ? 'running'
          : 'unknown';
    return `${c.name} ${state}, restarts ${c.restartCount}${c.ready ? ', ready' : ''}`;
  });
  return {
    pod: pod.metadata.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: isReady(pod),
    containers: containers.join('; ') || 'no container status yet',
  };
}
