import { sleep, UserError } from '@gin-deploy/action';
import type { Deployment } from '@gin-deploy/kube';
import { applyManifests, applyOne } from './apply.js';
import { splitApp } from './app-objects.js';
import { canaryReplicas } from './canary-steps.js';
import type { AnalysisRecord, RolloutContext, RolloutOutcome, WaitFailure } from './context.js';
import {
  getDeployment,
  restoreTemplate,
  scaleDeployment,
  templateAtRevision,
  variantOf,
} from './deployments.js';
import type { Manifest } from './manifests.js';
import { namespaceOf, rollingDeploy } from './rolling.js';
import { revisionOf } from './status.js';
import { waitForDeployment } from './wait.js';

export const TRACK_LABEL = 'track';
export const STEP_ANNOTATION = 'gin-deploy/canary-step';

/**
 * Runs `<name>-canary` beside the stable Deployment under the shared Service, at each step's share of the
 * replicas; after each step's pause the analysis decides. A failure scales the canary to 0 (the stable pods
 * never stopped serving); passing the last step puts the new template on the stable Deployment.
 */
export async function canaryDeploy(context: RolloutContext, manifests: Manifest[]): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  const app = splitApp(manifests, 'canary', false);
  const namespace = namespaceOf(app.deployment.object, settings.namespace);
  const name = app.deployment.object.metadata.name ?? '';
  const stable = await getDeployment(client, namespace, name);
  if (!stable) {
    timeline.add(`no stable ${name} yet: deploying it directly, there is nothing to compare a canary with`);
    return rollingDeploy(context, manifests);
  }
  const previousRevision = revisionOf(stable);
  await applyManifests(
    client,
    context.discovery,
    [...app.others, ...(app.service ? [app.service] : [])],
    settings.namespace,
  );
  const canary = variantOf(app.deployment.object, 'canary', TRACK_LABEL, 'canary');
  const stableReplicas = stable.spec.replicas ?? 1;
  const analyses: AnalysisRecord[] = [];
  for (const [index, step] of settings.canarySteps.entries()) {
    if (step.weight >= 100) break;
    const replicas = canaryReplicas(step.weight, stableReplicas);
    canary.spec.replicas = replicas;
    canary.metadata.annotations = { ...canary.metadata.annotations, [STEP_ANNOTATION]: String(index) };
    const share = Math.round((100 * replicas) / (replicas + stableReplicas));
    timeline.add(
      `step ${index + 1}: ${step.weight}% → ${replicas} canary pod(s) beside ${stableReplicas} stable (${share}% of the endpoints)`,
    );
    await applyOne(client, context.discovery, { ...app.deployment, object: canary }, settings.namespace);
    const result = await waitForDeployment(
      client,
      namespace,
      canary.metadata.name ?? '',
      settings.wait,
      timeline,
    );
    if (!result.ok)
      return abortWith(context, namespace, name, `${result.reason}`, previousRevision, analyses, result);
    if (step.pauseMs === 'manual') {
      timeline.add(`paused at ${step.weight}% until action: promote or abort`);
      return {
        status: 'paused',
        message: `canary at ${step.weight}% waits for action: promote`,
        previousRevision,
        analyses,
      };
    }
    if (step.pauseMs > 0) {
      timeline.add(`pausing ${Math.round(step.pauseMs / 1000)} s at ${step.weight}%`);
      await sleep(step.pauseMs);
    }
    if (settings.analyze) {
      const analysis = {
        step: index + 1,
        weight: step.weight,
        ...(await settings.analyze({ index, weight: step.weight })),
      };
      analyses.push(analysis);
      timeline.add(`analysis at ${step.weight}%: ${analysis.verdict}`);
      if (analysis.verdict !== 'pass') {
        const why = analysis.checks
          .filter((check) => check.verdict !== 'pass')
          .map((check) => `${check.name}: ${check.reason}`);
        return abortWith(
          context,
          namespace,
          name,
          `canary analysis at ${step.weight}% is ${analysis.verdict} (${why.join('; ')})`,
          previousRevision,
          analyses,
        );
      }
    }
  }
  return promote(context, namespace, name, previousRevision, analyses, app.deployment);
}

/** `action: promote` (the canary's template goes to stable) or `action: abort` (the canary goes to 0). */
export async function canaryFinish(
  context: RolloutContext,
  name: string,
  action: 'promote' | 'abort',
): Promise<RolloutOutcome> {
  const namespace = context.settings.namespace;
  const canary = await getDeployment(context.client, namespace, `${name}-canary`);
  if (!canary || (action === 'promote' && (canary.spec.replicas ?? 0) === 0)) {
    throw new UserError(
      `input 'action': ${action} needs a running canary Deployment ${namespace}/${name}-canary from an earlier canary deploy`,
    );
  }
  const stable = await getDeployment(context.client, namespace, name);
  if (!stable)
    throw new UserError(
      `input 'action': ${action} needs the stable Deployment ${namespace}/${name}, which does not exist`,
    );
  if (action === 'abort')
    return abortWith(context, namespace, name, 'aborted by action: abort', revisionOf(stable), []);
  const template = structuredClone(canary.spec.template);
  delete template.metadata?.labels?.[TRACK_LABEL];
  return promote(context, namespace, name, revisionOf(stable), [], undefined, template);
}

async function promote(
  context: RolloutContext,
  namespace: string,
  name: string,
  previousRevision: number | undefined,
  analyses: AnalysisRecord[],
  manifest?: Manifest & { object: Deployment },
  template?: Deployment['spec']['template'],
): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  timeline.add(`promoting: the new template goes to the stable ${name}`);
  if (manifest) await applyOne(client, context.discovery, manifest, settings.namespace);
  else if (template) {
    const stable = await getDeployment(client, namespace, name);
    if (stable) await restoreTemplate(client, stable, template, settings.changeCause);
  }
  const result = await waitForDeployment(client, namespace, name, settings.wait, timeline);
  if (!result.ok) {
    const stable = result.deployment ?? (await getDeployment(client, namespace, name));
    const old =
      stable && previousRevision !== undefined
        ? await templateAtRevision(client, stable, previousRevision)
        : undefined;
    if (stable && old && settings.rollbackOnFailure) {
      await restoreTemplate(
        client,
        stable,
        old,
        `gin-deploy: rolled back to revision ${previousRevision} after a failed promotion`,
      );
      timeline.add(`stable ${name} rolled back to the template of revision ${previousRevision}`);
      await waitForDeployment(client, namespace, name, settings.wait, timeline);
    }
    return abortWith(
      context,
      namespace,
      name,
      `promotion failed: ${result.reason}`,
      previousRevision,
      analyses,
      result,
    );
  }
  await scaleDeployment(client, namespace, `${name}-canary`, 0);
  const revision = revisionOf(result.deployment);
  timeline.add(`promoted: stable ${name} at revision ${revision}; canary scaled to 0`);
  return {
    status: 'succeeded',
    message: `canary promoted: ${name} at revision ${revision}`,
    revision,
    previousRevision,
    analyses,
  };
}

async function abortWith(
  context: RolloutContext,
  namespace: string,
  name: string,
  reason: string,
  previousRevision: number | undefined,
  analyses: AnalysisRecord[],
  failure?: WaitFailure,
): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  timeline.add(`failed: ${reason}`);
  if (await getDeployment(client, namespace, `${name}-canary`))
    await scaleDeployment(client, namespace, `${name}-canary`, 0);
  timeline.add(`canary scaled to 0; only the stable ${name} serves`);
  const stable = await waitForDeployment(client, namespace, name, settings.wait, timeline);
  return {
    status: stable.ok ? 'rolled-back' : 'failed',
    message: `${reason}; the canary was scaled to 0${stable.ok ? ` and the stable ${name} is available` : ` but the stable ${name} is not available: ${stable.reason}`}`,
    revision: stable.ok ? revisionOf(stable.deployment) : previousRevision,
    previousRevision,
    failure,
    analyses,
  };
}
