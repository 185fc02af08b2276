import type { Deployment } from '@gin-deploy/kube';
import { applyOne } from './apply.js';
import type { RolloutContext } from './context.js';
import type { Manifest } from './manifests.js';
import { waitForDeployment, type WaitResult } from './wait.js';
import { namespaceOf } from './workload.js';

/**
 * Applies one Deployment of the rollout (a color, a canary step, the promoted stable) and waits until it is
 * fully available, fails or the job is cancelled: `kubectl apply`, then `kubectl rollout status`.
 */
export async function applyAndWait(
  context: RolloutContext,
  manifest: Manifest & { object: Deployment },
): Promise<WaitResult> {
  const { object } = manifest;
  await applyOne(context.client, context.discovery, manifest, context.settings.namespace);
  return waitForRollout(context, namespaceOf(object, context.settings.namespace), object.metadata.name ?? '');
}

/** Waits for a Deployment the rollout wrote, under the rollout's wait settings and on its timeline. */
export function waitForRollout(
  context: RolloutContext,
  namespace: string,
  name: string,
): Promise<WaitResult> {
  return waitForDeployment(context.client, namespace, name, context.settings.wait, context.timeline);
}
