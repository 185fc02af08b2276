import { sleep } from '@gin-deploy/action';
import { BUILTIN, resourcePath, type Deployment, type KubeClient, type Service } from '@gin-deploy/kube';
import { applyManifests, applyOne } from './apply.js';
import { applyAndWait, waitForRollout } from './apply-and-wait.js';
import { replicasOwner } from './autoscaling.js';
import { splitApp } from './app-objects.js';
import type { RolloutContext, RolloutOutcome } from './context.js';
import { getDeployment, getService, scaleDeployment, variantOf } from './deployments.js';
import { NothingToFinishError } from './errors.js';
import type { Manifest } from './manifests.js';
import { revisionOf } from './status.js';
import { namespaceOf } from './workload.js';

export const COLOR_LABEL = 'gin-deploy/color';
export type Color = 'blue' | 'green';

export function otherColor(color: string | undefined): Color {
  return color === 'blue' ? 'green' : 'blue';
}

/** What serves a blue-green app now: its Service, the color the Service selects, and that color's Deployment. */
export interface LiveColor {
  service?: Service;
  /** Absent before the first switch. */
  color?: string;
  deployment?: Deployment;
}

export async function liveColorOf(
  client: KubeClient,
  namespace: string,
  serviceName: string,
  app: string,
): Promise<LiveColor> {
  const service = await getService(client, namespace, serviceName);
  const color = service?.spec?.selector?.[COLOR_LABEL];
  const deployment = color ? await getDeployment(client, namespace, `${app}-${color}`) : undefined;
  return { service, color, deployment };
}

/**
 * Deploys the new version as `<name>-<color>` beside the live color, waits until it is fully available,
 * then moves the Service selector in one update; the old color is scaled down after scale-down-delay.
 * A failure before the switch leaves the Service where it was.
 */
export async function blueGreenDeploy(
  context: RolloutContext,
  manifests: Manifest[],
): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  const app = splitApp(manifests, 'blue-green', true);
  const service = app.service!;
  const namespace = namespaceOf(app.deployment.object, settings.namespace);
  const name = app.deployment.object.metadata.name ?? '';
  const live = await liveColorOf(client, namespace, service.object.metadata.name ?? '', name);
  const { color: liveColor, deployment: liveDeployment } = live;
  const color = otherColor(liveColor);
  const previousRevision = revisionOf(liveDeployment);
  timeline.add(`live color: ${liveColor ?? 'none'}; deploying ${name}-${color}`);
  const colored = variantOf(app.deployment.object, color, COLOR_LABEL, color);
  // The new color takes over the live one's load: an autoscaled live color's count, not the manifest's.
  const owner = liveDeployment && (await replicasOwner(client, liveDeployment));
  if (owner) {
    colored.spec.replicas = liveDeployment.spec.replicas ?? 1;
    timeline.add(
      `${owner} sets the replicas of ${name}-${liveColor}: ${name}-${color} starts at its ${colored.spec.replicas}`,
    );
  }
  const coloredManifest = { ...app.deployment, object: colored };
  await applyManifests(client, context.discovery, app.others, settings.namespace, [coloredManifest]);
  const result = await applyAndWait(context, coloredManifest);
  // A version that cannot survive losing pods fails here like one that never became available.
  const drill = result.ok ? await settings.drill?.(colored.metadata.name ?? '') : undefined;
  if (!result.ok || drill?.passed === false) {
    const reason = result.ok ? `drill failed: ${drill?.message}` : result.reason;
    timeline.add(`failed: ${reason}`);
    await scaleDeployment(client, namespace, colored.metadata.name ?? '', 0);
    timeline.add(`${colored.metadata.name} scaled to 0; the Service was not switched`);
    return {
      status: !result.ok && result.cancelled ? 'cancelled' : liveColor ? 'rolled-back' : 'failed',
      message: `${reason}; Service ${service.object.metadata.name} was not switched${liveColor ? ` and still selects ${liveColor}` : ''}`,
      previousRevision,
      activeColor: liveColor,
      failure: result.ok ? undefined : result,
      analyses: [],
    };
  }
  const revision = revisionOf(result.deployment);
  if (settings.manualSwitch && liveColor) {
    timeline.add(`${colored.metadata.name} is available; waiting for action: promote to switch the Service`);
    return {
      status: 'paused',
      message: `${colored.metadata.name} is available; the Service still selects ${liveColor} until action: promote`,
      revision,
      previousRevision,
      activeColor: liveColor,
      analyses: [],
    };
  }
  await switchService(context, { ...service, object: structuredClone(service.object) }, liveColor, color);
  if (liveColor) await scaleDownLater(context, namespace, `${name}-${liveColor}`);
  return {
    status: 'succeeded',
    message: `Service ${service.object.metadata.name} now selects ${color} (${colored.metadata.name}, revision ${revision})`,
    revision,
    previousRevision,
    activeColor: color,
    analyses: [],
  };
}

/** `action: promote` after a paused deploy, or `action: abort` to go back to the other color. */
export async function blueGreenSwitch(
  context: RolloutContext,
  name: string,
  serviceName: string,
  action: 'promote' | 'abort',
): Promise<RolloutOutcome> {
  const { client, timeline, settings } = context;
  const namespace = settings.namespace;
  const {
    service,
    color: liveColor,
    deployment: liveDeployment,
  } = await liveColorOf(client, namespace, serviceName, name);
  if (!service || !liveColor) {
    throw new NothingToFinishError(
      `${action} needs Service ${namespace}/${serviceName} with a ${COLOR_LABEL} selector from an earlier blue-green deploy`,
      action,
    );
  }
  const target = otherColor(liveColor);
  const targetName = `${name}-${target}`;
  const targetDeployment = await getDeployment(client, namespace, targetName);
  if (!targetDeployment)
    throw new NothingToFinishError(
      `${action} needs Deployment ${namespace}/${targetName}, which does not exist`,
      action,
    );
  if ((targetDeployment.spec.replicas ?? 0) === 0) {
    const replicas = liveDeployment?.spec.replicas || 1;
    timeline.add(`scaling ${targetName} up to ${replicas} before switching back`);
    await scaleDeployment(client, namespace, targetName, replicas);
  }
  const result = await waitForRollout(context, namespace, targetName);
  if (!result.ok) {
    return {
      status: 'failed',
      message: `${action}: ${result.reason}; Service ${serviceName} still selects ${liveColor}`,
      activeColor: liveColor,
      failure: result,
      analyses: [],
    };
  }
  const switched: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName, namespace },
    spec: { selector: { ...service.spec?.selector, [COLOR_LABEL]: target } },
  };
  await client.mergePatch(resourcePath(BUILTIN.services, namespace, serviceName), { spec: switched.spec });
  timeline.add(`Service ${serviceName} switched from ${liveColor} to ${target}`);
  if (action === 'abort') {
    await scaleDeployment(client, namespace, `${name}-${liveColor}`, 0);
    timeline.add(`${name}-${liveColor} scaled to 0`);
  } else {
    await scaleDownLater(context, namespace, `${name}-${liveColor}`);
  }
  return {
    status: action === 'abort' ? 'rolled-back' : 'succeeded',
    message: `Service ${serviceName} now selects ${target}`,
    revision: revisionOf(result.deployment),
    previousRevision: revisionOf(liveDeployment),
    activeColor: target,
    analyses: [],
  };
}

async function switchService(
  context: RolloutContext,
  service: Manifest & { object: Service },
  from: string | undefined,
  color: Color,
): Promise<void> {
  const object = service.object;
  object.spec = { ...object.spec, selector: { ...object.spec?.selector, [COLOR_LABEL]: color } };
  // One write of the whole selector: every endpoint moves at once, never a mix of both colors.
  await applyOne(context.client, context.discovery, service, context.settings.namespace);
  context.timeline.add(`Service ${object.metadata.name} switched${from ? ` from ${from}` : ''} to ${color}`);
}

async function scaleDownLater(context: RolloutContext, namespace: string, name: string): Promise<void> {
  const delay = context.settings.scaleDownDelayMs;
  if (delay > 0) {
    context.timeline.add(`keeping ${name} for scale-down-delay ${Math.round(delay / 1000)} s`);
    // A cancel here ends the wait: the new color is live and verified, so the old one goes now.
    await sleep(delay, context.signal);
  }
  if (await getDeployment(context.client, namespace, name)) {
    await scaleDeployment(context.client, namespace, name, 0);
    context.timeline.add(`${name} scaled to 0`);
  }
}
