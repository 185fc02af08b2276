import { sleep } from '@gin-deploy/action';
import { BUILTIN, resourcePath, type Deployment } from '@gin-deploy/kube';
import { applyManifests } from './apply.js';
import { applyAndWait, waitForRollout } from './apply-and-wait.js';
import { splitApp, type AppObjects } from './app-objects.js';
import { canaryReplicas } from './canary-steps.js';
import type {
  AnalysisRecord,
  RolloutContext,
  RolloutOutcome,
  TrafficRecord,
  WaitFailure,
} from './context.js';
import {
  getDeployment,
  getService,
  restoreTemplate,
  scaleDeployment,
  templateAtRevision,
  variantOf,
} from './deployments.js';
import { NothingToFinishError, RolloutError, RouterNeededError } from './errors.js';
import type { Manifest } from './manifests.js';
import { rollingDeploy } from './rolling.js';
import { revisionOf } from './status.js';
import { applyCanaryService, trafficRouter, type TrafficRouter } from './traffic.js';
import { CANCELLED } from './wait.js';
import { namespaceOf } from './workload.js';

export const TRACK_LABEL = 'track';
export const STABLE_TRACK = 'stable';
export const STEP_ANNOTATION = 'gin-deploy/canary-step';

/** One canary rollout in progress: what its abort and promotion need to know. */
interface CanaryRun {
  namespace: string;
  name: string;
  previousRevision: number | undefined;
  analyses: AnalysisRecord[];
  router?: TrafficRouter;
  traffic: TrafficRecord;
}

/**
 * Runs `<name>-canary` beside the stable Deployment at each step's share of the replicas: under the shared
 * Service (replica-ratio traffic), or behind its own `<name>-canary` Service with exact weights set at an
 * HTTPRoute or an ingress-nginx canary Ingress. After each step's pause the analysis decides. A failure sends
 * all traffic back to stable and scales the canary to 0; passing the last step puts the new template on stable.
 */
export async function canaryDeploy(context: RolloutContext, manifests: Manifest[]): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  const app = splitApp(manifests, 'canary', false);
  const namespace = namespaceOf(app.deployment.object, settings.namespace);
  const name = app.deployment.object.metadata.name ?? '';
  const router = settings.traffic && trafficRouter(client, namespace, name, settings.traffic);
  if (router) markStableTrack(app);
  const stable = await getDeployment(client, namespace, name);
  if (!stable) {
    timeline.add(`no stable ${name} yet: deploying it directly, there is nothing to compare a canary with`);
    return rollingDeploy(context, manifests);
  }
  const run = startRun(context, namespace, name, stable, router);
  const canary = variantOf(app.deployment.object, 'canary', TRACK_LABEL, 'canary');
  await applyManifests(client, context.discovery, app.others, settings.namespace, [
    ...(app.service ? [app.service] : []),
    { ...app.deployment, object: canary },
  ]);
  if (router) {
    await router.check();
    await isolateStable(context, run, stable, app.service ? undefined : settings.traffic?.service);
  }
  if (app.service) await applyManifests(client, context.discovery, [app.service], settings.namespace);
  if (router) {
    const service = await getService(client, namespace, settings.traffic?.service ?? name);
    if (!service)
      throw new RolloutError(`the stable Service ${namespace}/${settings.traffic?.service} does not exist`);
    await applyCanaryService(client, service, name, TRACK_LABEL, 'canary');
  }
  const stableReplicas = stable.spec.replicas ?? 1;
  for (const [index, step] of settings.canarySteps.entries()) {
    if (step.weight >= 100) break;
    const replicas = canaryReplicas(step.weight, stableReplicas);
    canary.spec.replicas = replicas;
    canary.metadata.annotations = { ...canary.metadata.annotations, [STEP_ANNOTATION]: String(index) };
    const share = Math.round((100 * replicas) / (replicas + stableReplicas));
    timeline.add(
      `step ${index + 1}: ${step.weight}% → ${replicas} canary pod(s) beside ${stableReplicas} stable${router ? '' : ` (${share}% of the endpoints)`}`,
    );
    const result = await applyAndWait(context, { ...app.deployment, object: canary });
    if (!result.ok) return abortWith(context, run, `${result.reason}`, result);
    await setWeight(context, run, `${index + 1}`, router ? step.weight : share);
    if (step.pauseMs === 'manual') {
      timeline.add(`paused at ${step.weight}% until action: promote or abort`);
      return {
        status: 'paused',
        message: `canary at ${step.weight}% waits for action: promote`,
        previousRevision: run.previousRevision,
        analyses: run.analyses,
        traffic: run.traffic,
      };
    }
    if (step.pauseMs > 0) {
      timeline.add(`pausing ${Math.round(step.pauseMs / 1000)} s at ${step.weight}%`);
      await sleep(step.pauseMs, context.signal);
      if (context.signal?.aborted) return abortWith(context, run, CANCELLED);
    }
    if (settings.analyze) {
      let result: Awaited<ReturnType<typeof settings.analyze>>;
      try {
        result = await settings.analyze({ index, weight: step.weight });
      } catch (error) {
        // A canary nobody could judge must not keep its traffic.
        return abortWith(
          context,
          run,
          `canary analysis at ${step.weight}% could not run: ${(error as Error).message}`,
        );
      }
      const analysis = { step: index + 1, weight: step.weight, ...result };
      run.analyses.push(analysis);
      timeline.add(`analysis at ${step.weight}%: ${analysis.verdict}`);
      if (analysis.verdict !== 'pass') {
        const why = analysis.checks
          .filter((check) => check.verdict !== 'pass')
          .map((check) => `${check.name}: ${check.reason}`);
        return abortWith(
          context,
          run,
          `canary analysis at ${step.weight}% is ${analysis.verdict} (${why.join('; ')})`,
        );
      }
    }
  }
  const drill = await settings.drill?.(canary.metadata.name ?? '');
  if (drill?.passed === false) return abortWith(context, run, `drill failed: ${drill.message}`);
  return promote(context, run, app.deployment);
}

/** `action: promote` (the canary's template goes to stable) or `action: abort` (the canary goes to 0). */
export async function canaryFinish(
  context: RolloutContext,
  name: string,
  action: 'promote' | 'abort',
): Promise<RolloutOutcome> {
  const { client, settings } = context;
  const namespace = settings.namespace;
  const canary = await getDeployment(client, namespace, `${name}-canary`);
  if (!canary || (action === 'promote' && (canary.spec.replicas ?? 0) === 0)) {
    throw new NothingToFinishError(
      `${action} needs a running canary Deployment ${namespace}/${name}-canary from an earlier canary deploy`,
      action,
    );
  }
  const stable = await getDeployment(client, namespace, name);
  if (!stable)
    throw new NothingToFinishError(
      `${action} needs the stable Deployment ${namespace}/${name}, which does not exist`,
      action,
    );
  const stableTrack = stable.spec.template.metadata?.labels?.[TRACK_LABEL];
  const router = settings.traffic && trafficRouter(client, namespace, name, settings.traffic);
  if (router) await router.check();
  else if (stableTrack === STABLE_TRACK && (await getService(client, namespace, `${name}-canary`)))
    // Without the router the canary's weight would stay on a Service whose pods are about to go.
    throw new RouterNeededError(
      `the canary of ${namespace}/${name} runs behind exact weights (Service ${name}-canary exists)`,
      action,
    );
  const run = startRun(context, namespace, name, stable, router);
  if (action === 'abort') return abortWith(context, run, 'aborted by action: abort');
  const template = structuredClone(canary.spec.template);
  // The promoted pods keep the stable track label when the stable Service selects on it.
  if (stableTrack)
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [TRACK_LABEL]: stableTrack },
    };
  else delete template.metadata?.labels?.[TRACK_LABEL];
  return promote(context, run, undefined, template);
}

function startRun(
  context: RolloutContext,
  namespace: string,
  name: string,
  stable: Deployment,
  router: TrafficRouter | undefined,
): CanaryRun {
  const mode = context.settings.traffic?.mode ?? 'replicas';
  const traffic = { mode, target: router?.target, steps: [] };
  return { namespace, name, previousRevision: revisionOf(stable), analyses: [], router, traffic };
}

/** With exact weights the stable Service must not reach canary pods: stable pods and selector get track=stable. */
function markStableTrack(app: AppObjects): void {
  const template = app.deployment.object.spec.template;
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, [TRACK_LABEL]: STABLE_TRACK },
  };
  const service = app.service?.object;
  if (service)
    service.spec = { ...service.spec, selector: { ...service.spec?.selector, [TRACK_LABEL]: STABLE_TRACK } };
}

/**
 * Labels the running stable pods track=stable (a rollout of the same pods) before the stable Service selects
 * on it, so the Service never loses its endpoints; `clusterService` is a Service not in the manifests.
 */
async function isolateStable(
  context: RolloutContext,
  run: CanaryRun,
  stable: Deployment,
  clusterService: string | undefined,
): Promise<void> {
  const { client, timeline } = context;
  if (stable.spec.template.metadata?.labels?.[TRACK_LABEL] !== STABLE_TRACK) {
    timeline.add(
      `labelling the stable ${run.name} pods ${TRACK_LABEL}=${STABLE_TRACK}: its Service must leave the canary out`,
    );
    await client.mergePatch(resourcePath(BUILTIN.deployments, run.namespace, run.name), {
      spec: { template: { metadata: { labels: { [TRACK_LABEL]: STABLE_TRACK } } } },
    });
    const result = await waitForRollout(context, run.namespace, run.name);
    if (!result.ok)
      throw new RolloutError(
        `the stable ${run.namespace}/${run.name} is not available after labelling its pods ${TRACK_LABEL}=${STABLE_TRACK}: ${result.reason}`,
      );
  }
  if (clusterService)
    await client.mergePatch(resourcePath(BUILTIN.services, run.namespace, clusterService), {
      spec: { selector: { [TRACK_LABEL]: STABLE_TRACK } },
    });
}

/** Records the step's split; with a router, sets it there first. */
async function setWeight(
  context: RolloutContext,
  run: CanaryRun,
  step: string,
  canary: number,
): Promise<void> {
  if (run.router) {
    if (step === 'promote') await run.router.promote();
    else await run.router.setWeight(canary);
    context.timeline.add(`${run.router.target}: canary ${canary}%, stable ${100 - canary}%`);
  }
  run.traffic.steps.push({ step, canary, stable: 100 - canary });
}

async function promote(
  context: RolloutContext,
  run: CanaryRun,
  manifest?: Manifest & { object: Deployment },
  template?: Deployment['spec']['template'],
): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  const { namespace, name, previousRevision, analyses } = run;
  timeline.add(`promoting: the new template goes to the stable ${name}`);
  if (template) {
    const stable = await getDeployment(client, namespace, name);
    if (stable) await restoreTemplate(client, stable, template, settings.changeCause);
  }
  const result = manifest
    ? await applyAndWait(context, manifest)
    : await waitForRollout(context, namespace, name);
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
      await waitForRollout(context, namespace, name);
    }
    return abortWith(context, run, `promotion failed: ${result.reason}`, result);
  }
  await setWeight(context, run, 'promote', 0);
  await scaleDeployment(client, namespace, `${name}-canary`, 0);
  const revision = revisionOf(result.deployment);
  timeline.add(`promoted: stable ${name} at revision ${revision}; canary scaled to 0`);
  return {
    status: 'succeeded',
    message: `canary promoted: ${name} at revision ${revision}`,
    revision,
    previousRevision,
    analyses,
    traffic: run.traffic,
  };
}

async function abortWith(
  context: RolloutContext,
  run: CanaryRun,
  reason: string,
  failure?: WaitFailure,
): Promise<RolloutOutcome> {
  const { client, timeline } = context;
  const { namespace, name, previousRevision, analyses } = run;
  timeline.add(`failed: ${reason}`);
  if (run.router) await setWeight(context, run, 'abort', 0);
  if (await getDeployment(client, namespace, `${name}-canary`))
    await scaleDeployment(client, namespace, `${name}-canary`, 0);
  timeline.add(`canary scaled to 0; only the stable ${name} serves`);
  if (context.signal?.aborted) {
    return {
      status: 'cancelled',
      message: `${reason}; the canary was scaled to 0 and the stable ${name} serves all traffic`,
      previousRevision,
      failure,
      analyses,
      traffic: run.traffic,
    };
  }
  const stable = await waitForRollout(context, namespace, name);
  return {
    status: stable.ok ? 'rolled-back' : 'failed',
    message: `${reason}; the canary was scaled to 0${stable.ok ? ` and the stable ${name} is available` : ` but the stable ${name} is not available: ${stable.reason}`}`,
    revision: stable.ok ? revisionOf(stable.deployment) : previousRevision,
    previousRevision,
    failure,
    analyses,
    traffic: run.traffic,
  };
}
