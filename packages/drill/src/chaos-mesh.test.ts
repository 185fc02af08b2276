import { describe, expect, it } from '@jest/globals';
import { chaosExperiment } from './chaos-mesh.js';
import { parseFault } from './fault.js';

const target = {
  namespace: 'shop',
  labels: { app: 'api' },
  name: 'gin-deploy-drill-api-1',
  durationMs: 30_000,
};

describe('Chaos Mesh experiments', () => {
  it('writes NetworkChaos delay with mode, selector and duration', () => {
    expect(chaosExperiment(parseFault('network-delay 50% latency=200ms jitter=20ms'), target)).toEqual({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'NetworkChaos',
      metadata: {
        name: 'gin-deploy-drill-api-1',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/managed-by': 'gin-deploy', 'gin-deploy/drill': 'true' },
      },
      spec: {
        action: 'delay',
        mode: 'fixed-percent',
        value: '50',
        selector: { namespaces: ['shop'], labelSelectors: { app: 'api' } },
        duration: '30s',
        direction: 'to',
        delay: { latency: '200ms', jitter: '20ms', correlation: '0' },
      },
    });
  });

  it('writes StressChaos stressors', () => {
    expect(chaosExperiment(parseFault('cpu-stress 2 workers=1 load=50'), target).spec).toMatchObject({
      mode: 'fixed',
      value: '2',
      stressors: { cpu: { workers: 1, load: 50 } },
    });
    expect(
      chaosExperiment(parseFault('memory-stress size=64MB'), { ...target, durationMs: 90_500 }).spec,
    ).toMatchObject({
      duration: '1m31s',
      mode: 'all',
      stressors: { memory: { workers: 1, size: '64MB' } },
    });
  });
});
