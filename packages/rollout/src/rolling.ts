import type { Deployment } from '@gin-deploy/kube';
import { applyManifests } from './apply.js';
import { keepAutoscaledReplicas } from './autoscaling.js';
import type { RolloutContext, RolloutOutcome } from './context.js';
import { getDeployment, restoreTemplate, templateAtRevision } from './deployments.js';
import type { Manifest } from './manifests.js';
import { revisionOf } from './status.js';
import { waitForRollout } from './apply-and-wait.js';
import { CANCELLED } from './wait.js';
import { isDeployment, namespaceOf } from './workload.js';

/**
 * Applies everything and lets each Deployment roll as its own strategy says (maxSurge/maxUnavailable); a
 * Deployment whose new pods fail goes back to the previous ReplicaSet's template, like `kubectl rollout undo`.
 */
export async function rollingDeploy(context: RolloutContext, manifests: Manifest[]): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  const deployments = manifests.map((m) => m.object).filter(isDeployment);
  const previous = new Map<Deployment, number | undefined>();
  for (const deployment of deployments) {
    const live = await getDeployment(
      client,
      namespaceOf(deployment, settings.namespace),
      deployment.metadata.name ?? '',
    );
    previous.set(deployment, revisionOf(live));
    const kept = await keepAutoscaledReplicas(client, deployment, live);
    if (kept) timeline.add(kept);
  }
  if (context.signal?.aborted)
    return { status: 'cancelled', message: `${CANCELLED} before anything was applied`, analyses: [] };
  timeline.add(`applying ${manifests.length} object(s) with server-side apply`);
  await applyManifests(client, context.discovery, manifests, settings.namespace);
  let primary: RolloutOutcome | undefined;
  for (const deployment of deployments) {
    const outcome = await rollOne(context, deployment, previous.get(deployment));
    primary ??= outcome;
    if (outcome.status !== 'succeeded') return outcome;
  }
  return primary ?? { status: 'succeeded', message: 'applied; no Deployment to wait for', analyses: [] };
}

async function rollOne(
  context: RolloutContext,
  deployment: Deployment,
  previousRevision: number | undefined,
): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  const namespace = namespaceOf(deployment, settings.namespace);
  const name = deployment.metadata.name ?? '';
  const result = await waitForRollout(context, namespace, name);
  if (result.ok) {
    const revision = revisionOf(result.deployment);
    timeline.add(`${name} is available at revision ${revision}`);
    return {
      status: 'succeeded',
      message: `${name} rolled out (revision ${revision})`,
      revision,
      previousRevision,
      analyses: [],
    };
  }
  timeline.add(`failed: ${result.reason}`);
  const live = result.deployment ?? (await getDeployment(client, namespace, name));
  const revision = revisionOf(live);
  const failed = (message: string): RolloutOutcome => ({
    status: result.cancelled ? 'cancelled' : 'failed',
    message,
    revision,
    previousRevision,
    failure: result,
    analyses: [],
  });
  if (!settings.rollbackOnFailure)
    return failed(`${result.reason}; not rolled back (rollback-on-failure is false)`);
  if (!live || previousRevision === undefined || previousRevision === revision) {
    return failed(`${result.reason}; there is no previous revision to roll back to`);
  }
  const template = await templateAtRevision(client, live, previousRevision);
  if (!template)
    return failed(
      `${result.reason}; the ReplicaSet of revision ${previousRevision} is gone, so it cannot be restored`,
    );
  timeline.add(`rolling ${name} back to the template of revision ${previousRevision}`);
  await restoreTemplate(
    client,
    live,
    template,
    `gin-deploy: rolled back to revision ${previousRevision} after: ${settings.changeCause}`,
  );
  if (result.cancelled) {
    // The runner kills the step seconds after a cancel: the undo is written, not waited for.
    return failed(
      `${result.reason}; rolled back to the template of revision ${previousRevision} (not waited for)`,
    );
  }
  const back = await waitForRollout(context, namespace, name);
  if (!back.ok) return failed(`${result.reason}; the rollback failed too: ${back.reason}`);
  const restored = revisionOf(back.deployment);
  timeline.add(`${name} is healthy again on the previous template (revision ${restored})`);
  return {
    status: 'rolled-back',
    message: `${result.reason}; rolled back to the template of revision ${previousRevision} (now revision ${restored}), which is available`,
    revision: restored,
    previousRevision,
    failure: result,
    analyses: [],
  };
}
