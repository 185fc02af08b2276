import {
  BUILTIN,
  KubeClient,
  labelSelector,
  nextChange,
  resourcePath,
  type Deployment,
  type KubeEvent,
  type ObjectList,
  type Pod,
  type ReplicaSet,
} from '@gin-deploy/kube';
import { describePod, nextReadyDeadline, podProblems, type PodProblem } from './pod-health.js';
import { deploymentStall, unschedulable } from './stalls.js';
import { REVISION_ANNOTATION, rolloutStatus } from './status.js';
import type { Timeline } from './timeline.js';

export interface WaitOptions {
  timeoutMs: number;
  readyTimeoutMs: number;
  maxRestarts: number;
  /** Ends the wait at once with a `cancelled` failure. */
  signal?: AbortSignal;
}

export const CANCELLED = 'the job was cancelled';

export interface PodReport {
  pod: string;
  phase: string;
  ready: boolean;
  containers: string;
}

export type WaitResult =
  | { ok: true; deployment: Deployment }
  | {
      ok: false;
      reason: string;
      deployment?: Deployment;
      problems: PodProblem[];
      pods: PodReport[];
      events: string[];
      /** When the first pod problem was seen (Date.now()), for the benchmark of detection time. */
      detectedAt: number;
      /** The wait ended because the job was cancelled, not because of the Deployment. */
      cancelled?: boolean;
    };

/**
 * Watches a Deployment until `kubectl rollout status` would call it done, or until its new ReplicaSet's pods
 * show a state that does not heal (crash loop, image pull, config error, restarts, never Ready), or the
 * time is up. Every change of the Deployment or its pods wakes the loop; nothing polls on a period.
 */
export async function waitForDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
  options: WaitOptions,
  timeline: Timeline,
): Promise<WaitResult> {
  const deadline = Date.now() + options.timeoutMs;
  const deploymentsPath = resourcePath(BUILTIN.deployments, namespace);
  const fieldSelector = `metadata.name=${name}`;
  let lastMessage = '';
  let lastStall = '';
  for (;;) {
    if (options.signal?.aborted) return cancelled();
    const list = await client.get<ObjectList<Deployment>>(deploymentsPath, { fieldSelector });
    const deployment = list.items[0];
    if (!deployment) return failure(`Deployment ${namespace}/${name} does not exist`, undefined, [], []);
    timeline.sample(deployment);
    const state = rolloutStatus(deployment);
    if (state.message !== lastMessage) {
      lastMessage = state.message;
      timeline.add(state.message);
    }
    if (state.phase === 'complete') return { ok: true, deployment };
    // Until the controller has seen the latest spec, the revision annotation still names the old ReplicaSet.
    const observed = (deployment.metadata.generation ?? 0) <= (deployment.status?.observedGeneration ?? 0);
    const pods = observed
      ? await newReplicaSetPods(client, namespace, deployment)
      : noPods(namespace, deployment, list.metadata.resourceVersion);
    const now = Date.now();
    // The controller's and scheduler's own reasons first: they name causes pod states never show.
    const stall = deploymentStall(deployment, pods.replicaSet, now) ?? unschedulable(pods.items, now);
    if (stall && stall.message !== lastStall) {
      lastStall = stall.message;
      timeline.add(`${name}: ${stall.kind}: ${stall.message}`);
    }
    if (stall && (stall.permanent || now - stall.since >= options.readyTimeoutMs)) {
      const why = stall.permanent
        ? 'it will not clear without a change'
        : `still so after ready-timeout ${Math.round(options.readyTimeoutMs / 1000)} s`;
      return failure(
        `new pods of ${name} cannot run: ${stall.kind}: ${stall.message} (${why})`,
        deployment,
        [],
        pods.items,
        client,
        namespace,
      );
    }
    if (state.phase === 'failed')
      return failure(state.message, deployment, [], pods.items, client, namespace);
    const problems = podProblems(pods.items, { now, ...options });
    if (problems.length > 0) {
      const first = problems[0];
      const reason = `new pods of ${name} are failing: ${first.pod}${first.container ? `/${first.container}` : ''} ${first.reason}: ${first.message}`;
      return failure(reason, deployment, problems, pods.items, client, namespace);
    }
    if (now >= deadline) {
      return failure(
        `${name} did not finish rolling out within ${Math.round(options.timeoutMs / 1000)} s: ${state.message}`,
        deployment,
        [],
        pods.items,
        client,
        namespace,
      );
    }
    const readyDeadline = Math.min(
      nextReadyDeadline(pods.items, options.readyTimeoutMs) ?? Infinity,
      stall ? stall.since + options.readyTimeoutMs : Infinity,
    );
    const wakeAt = Math.min(deadline, readyDeadline + 100);
    await nextChange(
      client,
      [
        { path: deploymentsPath, query: { fieldSelector, resourceVersion: list.metadata.resourceVersion } },
        { path: pods.path, query: { labelSelector: pods.selector, resourceVersion: pods.resourceVersion } },
      ],
      Math.max(50, wakeAt - Date.now()),
      options.signal,
    );
  }
}

function cancelled(): WaitResult {
  return {
    ok: false,
    reason: CANCELLED,
    problems: [],
    pods: [],
    events: [],
    detectedAt: Date.now(),
    cancelled: true,
  };
}

interface PodSet {
  /** The ReplicaSet of the current revision, once the controller made it. */
  replicaSet?: ReplicaSet;
  items: Pod[];
  path: string;
  selector: string;
  resourceVersion?: string;
}

function noPods(namespace: string, deployment: Deployment, resourceVersion?: string): PodSet {
  // Resource versions are etcd's global revision, so the Deployment list's one is a valid start for pods.
  return {
    resourceVersion,
    items: [],
    path: resourcePath(BUILTIN.pods, namespace),
    selector: labelSelector(deployment.spec.selector?.matchLabels ?? {}),
  };
}

/** The pods of the ReplicaSet that carries the Deployment's current revision (none before it exists). */
async function newReplicaSetPods(
  client: KubeClient,
  namespace: string,
  deployment: Deployment,
): Promise<PodSet> {
  const matchLabels = deployment.spec.selector?.matchLabels ?? {};
  const selector = labelSelector(matchLabels);
  const revision = deployment.metadata.annotations?.[REVISION_ANNOTATION];
  const sets = await client.get<ObjectList<ReplicaSet>>(resourcePath(BUILTIN.replicasets, namespace), {
    labelSelector: selector,
  });
  const current = sets.items.find(
    (set) =>
      set.metadata.ownerReferences?.some((owner) => owner.uid === deployment.metadata.uid) &&
      set.metadata.annotations?.[REVISION_ANNOTATION] === revision,
  );
  const path = resourcePath(BUILTIN.pods, namespace);
  const hash = current?.metadata.labels?.['pod-template-hash'];
  const podSelector = hash ? `${selector},pod-template-hash=${hash}` : selector;
  const pods = await client.get<ObjectList<Pod>>(path, { labelSelector: podSelector });
  const owned = current
    ? pods.items.filter((pod) =>
        pod.metadata.ownerReferences?.some((owner) => owner.uid === current.metadata.uid),
      )
    : [];
  return {
    replicaSet: current,
    items: owned,
    path,
    selector: podSelector,
    resourceVersion: pods.metadata.resourceVersion,
  };
}

async function failure(
  reason: string,
  deployment: Deployment | undefined,
  problems: PodProblem[],
  pods: Pod[],
  client?: KubeClient,
  namespace?: string,
): Promise<WaitResult> {
  const detectedAt = Date.now();
  const failing = new Set(problems.map((problem) => problem.pod));
  const shown = failing.size > 0 ? pods.filter((pod) => failing.has(pod.metadata.name ?? '')) : pods;
  const events = client && namespace ? await recentEvents(client, namespace, shown.slice(0, 3)) : [];
  return { ok: false, reason, deployment, problems, pods: shown.map(describePod), events, detectedAt };
}

/** The last events of a few pods, newest last, as `pod: Reason: message` lines. */
export async function recentEvents(client: KubeClient, namespace: string, pods: Pod[]): Promise<string[]> {
  const lines: string[] = [];
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    try {
      const list = await client.get<ObjectList<KubeEvent>>(resourcePath(BUILTIN.events, namespace), {
        fieldSelector: `involvedObject.name=${name}`,
      });
      for (const event of list.items.slice(-5)) {
        lines.push(
          `${name}: ${event.reason ?? ''}: ${event.message ?? ''}${(event.count ?? 1) > 1 ? ` (×${event.count})` : ''}`,
        );
      }
    } catch {
      // Events are a courtesy in the report; a user who may not list them still gets the verdict.
    }
  }
  return lines;
}
