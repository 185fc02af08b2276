import { describe, expect, it } from '@jest/globals';
import type { Deployment, Pod, ReplicaSet } from '@gin-deploy/kube';
import { deploymentStall, unschedulable } from './stalls.js';

const at = '2026-01-01T00:00:00Z';
function withConditions(conditions: NonNullable<Deployment['status']>['conditions']): Deployment {
  return { metadata: { name: 'shop' }, spec: { template: {} }, status: { conditions } };
}
const failing = (message: string): ReplicaSet => ({
  metadata: { name: 'shop-1' },
  spec: { template: {} },
  status: {
    conditions: [
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message, lastTransitionTime: at },
    ],
  },
});
const progressing = withConditions([{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }]);
const replicaFailure = (message: string): [Deployment, ReplicaSet] => [progressing, failing(message)];

describe('stalls', () => {
  it('fails at once on a denial that cannot clear by itself', () => {
    const podSecurity = deploymentStall(
      ...replicaFailure(
        'pods "shop-1" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true',
      ),
    );
    expect(podSecurity).toEqual({
      kind: 'ReplicaFailure',
      message:
        'FailedCreate: pods "shop-1" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true',
      permanent: true,
      since: Date.parse(at),
    });
    const webhook = deploymentStall(
      ...replicaFailure('admission webhook "policy.example.com" denied the request: no latest tags'),
    );
    expect(webhook?.permanent).toBe(true);
  });

  it('waits for a quota, which may free up', () => {
    const quota = deploymentStall(
      ...replicaFailure(
        'pods "shop-1" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=2',
      ),
    );
    expect([quota?.kind, quota?.permanent]).toEqual(['ReplicaFailure', false]);
  });

  it('reports an exceeded progress deadline, and nothing for a healthy Deployment', () => {
    const deadline = withConditions([
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "shop-1" has timed out progressing.',
      },
    ]);
    expect(deploymentStall(deadline, undefined, 5)).toEqual({
      kind: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "shop-1" has timed out progressing.',
      permanent: true,
      since: 5,
    });
    expect(
      deploymentStall(withConditions([{ type: 'Available', status: 'True' }]), undefined),
    ).toBeUndefined();
    // The Deployment's copy of an older ReplicaSet's failure does not count for the current one.
    const stale = withConditions([
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'x' },
    ]);
    expect(deploymentStall(stale, { metadata: {}, spec: { template: {} } })).toBeUndefined();
  });

  it("names an unschedulable pod with the scheduler's message", () => {
    const pod: Pod = {
      metadata: { name: 'shop-1' },
      status: {
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/2 nodes are available: 2 Insufficient cpu.',
            lastTransitionTime: at,
          },
        ],
      },
    };
    expect(unschedulable([pod])).toEqual({
      kind: 'Unschedulable',
      message: 'pod shop-1 is unschedulable: 0/2 nodes are available: 2 Insufficient cpu.',
      permanent: false,
      since: Date.parse(at),
    });
  });
});
