import { UserError } from '@gin-deploy/action';
import { blueGreenDeploy, blueGreenSwitch } from './blue-green.js';
import { canaryDeploy, canaryFinish } from './canary.js';
import type { RolloutAction, RolloutContext, RolloutOutcome, Strategy } from './context.js';
import { acquireLease, type LeaseOptions } from './lease.js';
import type { Manifest } from './manifests.js';
import { rollingDeploy } from './rolling.js';

export interface RolloutPlan {
  strategy: Strategy;
  action: RolloutAction;
  /** The app: its Deployment's name, which also names the Lease, the colors and the canary. */
  app: string;
  /** The Service of blue-green promote/abort. */
  serviceName: string;
  manifests: Manifest[];
  lease: LeaseOptions;
}

/** Runs one rollout of one app under its Lease: the strategy's deploy, or a manual promote/abort. */
export async function runRollout(context: RolloutContext, plan: RolloutPlan): Promise<RolloutOutcome> {
  const { timeline, settings } = context;
  const lease = await acquireLease(context.client, settings.namespace, plan.app, plan.lease);
  timeline.add(
    `Lease gin-deploy-${plan.app} taken${lease.takenOver ? ` over from stale holder '${lease.takenOver}'` : ''}`,
  );
  try {
    return await dispatch(context, plan);
  } finally {
    await lease.release();
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
  if (plan.strategy === 'canary') return canaryFinish(context, plan.app, plan.action);
  throw new UserError(
    `input 'action': ${plan.action} applies to the blue-green and canary strategies, not rolling`,
  );
}
