import { describe, expect, it } from '@jest/globals';
import type { Deployment } from '@gin-deploy/kube';
import { rolloutStatus } from './status.js';

function deployment(generation: number, status: Deployment['status'], replicas = 3): Deployment {
  return { metadata: { name: 'api', generation }, spec: { replicas, template: {} }, status };
}

describe('rolloutStatus (kubectl rollout status semantics)', () => {
  it('waits until the controller has observed the spec', () => {
    expect(
      rolloutStatus(
        deployment(2, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      ),
    ).toEqual({
      phase: 'progressing',
      message: 'Waiting for deployment spec update to be observed...',
    });
  });

  it.each([
    [
      { observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 3 },
      '1 out of 3 new replicas have been updated...',
    ],
    [
      { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 },
      '1 old replicas are pending termination...',
    ],
    [
      { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 },
      '2 of 3 updated replicas are available...',
    ],
  ])('reports progress like kubectl: %j', (status, message) => {
    expect(rolloutStatus(deployment(2, status))).toEqual({
      phase: 'progressing',
      message: `Waiting for deployment "api" rollout to finish: ${message}`,
    });
  });

  it('is complete when every replica is updated and available', () => {
    expect(
      rolloutStatus(
        deployment(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      ),
    ).toEqual({
      phase: 'complete',
      message: 'deployment "api" successfully rolled out',
    });
  });

  it('fails at ProgressDeadlineExceeded', () => {
    const status = {
      observedGeneration: 2,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    };
    expect(rolloutStatus(deployment(2, status))).toEqual({
      phase: 'failed',
      message: 'deployment "api" exceeded its progress deadline',
    });
  });
});
