import { blueGreenDeploy, blueGreenSwitch } from './blue-green.js';
import { canaryDeploy, canaryFinish } from './canary.js';
import type { RolloutAction, RolloutContext, RolloutOutcome, Strategy } from './context.js';
import { acquireLease, type LeaseOptions } from './lease.js';
import type { Manifest } from './manifests.js';
import { pausedDeployments } from './paused.js';
import { rollingDeploy } from './rolling.js';

/** What to do: a deploy with any strategy, or finishing a paused blue-green or canary deploy. */
export type RolloutMode =
  | { strategy: Strategy; action: 'deploy' }
  | { strategy: FinishableStrategy; action: Exclude<RolloutAction, 'deploy'> };

/** The strategies that can pause before the switch or promotion, and so can be promoted or aborted. */
export type FinishableStrategy = Exclude<Strategy, 'rolling'>;

/** Just the strategy and the action of something that holds a rollout mode (such as an action's settings). */
export function modeOf(holder: RolloutMode): RolloutMode {
  // The branches differ in their types only: each keeps a strategy and action pair that goes together.
  return holder.action === 'deploy'
    ? { strategy: holder.strategy, action: holder.action }
    : { strategy: holder.strategy, action: holder.action };
}

export type RolloutPlan = RolloutMode & {
  /** The app: its Deployment's name, which also names the Lease, the colors and the canary. */
  app: string;
  /** The Service of blue-green promote/abort. */
  serviceName: string;
  manifests: Manifest[];
  lease: LeaseOptions;
};

/** Runs one rollout of one app under its Lease: the strategy's deploy, or a manual promote/abort. */
export async function runRollout(context: RolloutContext, plan: RolloutPlan): Promise<RolloutOutcome> {
  const { timeline, settings } = context;
  if (plan.action === 'deploy') {
    const paused = await pausedDeployments(context.client, plan.manifests, settings.namespace);
    if (paused.length > 0) {
      return {
        status: 'failed',
        message: `Deployment ${paused.join(', ')} is paused, so a new template would not roll out and a later resume would ship it unverified; nothing was applied. Resume it first (kubectl rollout resume deployment/<name> -n <namespace>) or remove spec.paused`,
        analyses: [],
      };
    }
  }
  const lease = await acquireLease(context.client, settings.namespace, plan.app, plan.lease);
  timeline.add(
    `Lease gin-deploy-${plan.app} taken${lease.takenOver ? ` over from stale holder '${lease.takenOver}'` : ''}`,
  );
  try {
    const outcome = await dispatch(context, plan);
    const cancelled = context.signal?.aborted && outcome.status !== 'succeeded';
    return cancelled ? { ...outcome, status: 'cancelled' } : outcome;
  } finally {
    try {
      await lease.release();
      timeline.add(`Lease gin-deploy-${plan.app} released`);
    } catch (error) {
      // The verdict stands; the post step (or the lease-timeout) frees the Lease instead.
      timeline.add(`could not release Lease gin-deploy-${plan.app}: ${(error as Error).message}`);
    }
  }
}

function dispatch(context: RolloutContext, plan: RolloutPlan): Promise<RolloutOutcome> {
  if (plan.action === 'deploy') {
    if (plan.strategy === 'rolling') return rollingDeploy(context, plan.manifests);
    if (plan.strategy === 'blue-green') return blueGreenDeploy(context, plan.manifests);
    return canaryDeploy(context, plan.manifests);
  }
  if (plan.strategy === 'blue-green')
    return blueGreenSwitch(context, plan.app, plan.serviceName, plan.action);
  return canaryFinish(context, plan.app, plan.action);
}
