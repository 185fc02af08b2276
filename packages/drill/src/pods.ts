import {
  BUILTIN,
  labelSelector,
  resourcePath,
  type Deployment,
  type KubeClient,
  type ObjectList,
  type Pod,
} from '@gin-deploy/kube';
import { removeIfPresent } from './cleanup.js';
import { DrillError } from './errors.js';
import { getDeployment, isReady, liveColorOf, podProblems, type PodProblem } from '@gin-deploy/rollout';
import type { AvailabilitySample } from './recovery.js';

/** The Deployment a drill targets and the labels of its pods. */
export interface DrillTarget {
  namespace: string;
  deployment: string;
  labels: Record<string, string>;
}

export async function listPods(client: KubeClient, target: DrillTarget): Promise<Pod[]> {
  const list = await client.get<ObjectList<Pod>>(resourcePath(BUILTIN.pods, target.namespace), {
    labelSelector: labelSelector(target.labels),
  });
  return list.items.filter((pod) => !pod.metadata.deletionTimestamp);
}

/**
 * Deletes `count` pods chosen at random among the live ones, as Chaos Mesh's PodChaos `pod-kill` in `fixed`
 * mode does (grace period 0: the pod is gone at once, as after a node loss). Returns the names.
 */
export async function killPods(client: KubeClient, target: DrillTarget, count: number): Promise<string[]> {
  const pods = await listPods(client, target);
  const chosen = pods
    .map((pod) => ({ pod, order: Math.random() }))
    .sort((a, b) => a.order - b.order)
    .slice(0, count)
    .map(({ pod }) => pod.metadata.name ?? '');
  await Promise.all(
    chosen.map((name) =>
      client.request('DELETE', resourcePath(BUILTIN.pods, target.namespace, name), {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 },
      }),
    ),
  );
  return chosen;
}

export interface Look {
  sample: AvailabilitySample;
  /** Pods in a crash loop (CrashLoopBackOff, or restarted maxRestarts times) now. */
  crashLoops: PodProblem[];
}

/** Reads the Deployment's desired replicas and its pods once. */
export async function look(
  client: KubeClient,
  target: DrillTarget,
  atMs: number,
  maxRestarts: number,
): Promise<Look> {
  const [deployment, pods] = await Promise.all([
    client.get<Deployment>(resourcePath(BUILTIN.deployments, target.namespace, target.deployment)),
    listPods(client, target),
  ]);
  const crashLoops = podProblems(pods, {
    now: Date.now(),
    readyTimeoutMs: Number.POSITIVE_INFINITY,
    maxRestarts,
  }).filter((problem) => problem.reason === 'CrashLoopBackOff' || problem.reason === 'Restarts');
  return {
    sample: { atMs, ready: pods.filter(isReady).length, desired: deployment.spec.replicas ?? 1 },
    crashLoops,
  };
}

/**
 * The Deployment named `name`, or, when there is none, the live color of a blue-green app: the Deployment
 * `<name>-<color>` its Service `name` selects with the `gin-deploy/color` label.
 */
export async function resolveTarget(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<DrillTarget> {
  const deployment =
    (await getDeployment(client, namespace, name)) ??
    (await liveColorOf(client, namespace, name, name)).deployment;
  const labels = deployment?.spec.selector?.matchLabels;
  if (!deployment || !labels) {
    throw new DrillError(
      `no Deployment ${namespace}/${name} (nor a blue-green Service ${name} selecting one) with matchLabels to drill`,
    );
  }
  return { namespace, deployment: deployment.metadata.name ?? name, labels };
}

/** The image Chaos Mesh's pod-failure puts in place of the app's: it never serves, so the pod is not Ready. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** Pods whose containers were switched to the pause image; `restore()` puts the images back (404 = gone). */
export interface FailedPods {
  pods: string[];
  restore(): Promise<void>;
}

/**
 * Chaos Mesh's PodChaos `pod-failure` through the Kubernetes API alone: the containers of `count` random live
 * pods get the pause image (a pod's container image may change in place; the kubelet recreates the
 * container), until `restore()` patches the original images back.
 */
export async function failPods(client: KubeClient, target: DrillTarget, count: number): Promise<FailedPods> {
  const chosen = (await listPods(client, target))
    .map((pod) => ({ pod, order: Math.random() }))
    .sort((a, b) => a.order - b.order)
    .slice(0, count)
    .map(({ pod }) => pod);
  const patch = (pod: Pod, images: (name: string) => string | undefined) =>
    client.request('PATCH', resourcePath(BUILTIN.pods, target.namespace, pod.metadata.name), {
      body: {
        spec: {
          containers: (pod.spec?.containers ?? []).map((c) => ({ name: c.name, image: images(c.name) })),
        },
      },
      contentType: 'application/strategic-merge-patch+json',
    });
  const failed: Pod[] = [];
  let restored: Promise<void> | undefined;
  const restore = () =>
    (restored ??= Promise.all(
      failed.map((pod) =>
        removeIfPresent(() =>
          patch(pod, (name) => pod.spec?.containers?.find((c) => c.name === name)?.image),
        ),
      ),
    ).then(() => undefined));
  try {
    for (const pod of chosen) {
      await patch(pod, () => PAUSE_IMAGE);
      failed.push(pod);
    }
  } catch (error) {
    await restore();
    throw error;
  }
  return { pods: chosen.map((pod) => pod.metadata.name ?? ''), restore };
}
