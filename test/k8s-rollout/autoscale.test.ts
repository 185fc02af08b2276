import { describe, expect, it } from '@jest/globals';
import { waitFor } from '../support/wait.js';
import { digestImage, useRolloutCluster } from './support.js';

const cluster = useRolloutCluster(150_000);

interface HpaView {
  spec: {
    scaleTargetRef: { kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: { resource: { name: string; target: { averageUtilization: number } } }[];
  };
  status?: { conditions?: { type: string; status: string; reason: string }[] };
}

const IMAGE = digestImage('api', 'a');
const hpa = (namespace: string) => cluster.getJson<HpaView>(['-n', namespace, 'get', 'hpa', 'api']);

describe('k8s-rollout autoscale: the generated app gets a HorizontalPodAutoscaler', () => {
  it('with the bounds of autoscale, then with those a capacity report recommends', async () => {
    const namespace = await cluster.createNamespace('autoscale');
    const run = await cluster.rollout({
      name: 'api',
      image: IMAGE,
      namespace,
      autoscale: '3,6,70%',
    });
    expect(run.exitCode).toBe(0);
    const first = await hpa(namespace);
    expect(first.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'api' },
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70 } } }],
    });
    // replicas (default 2) is raised to the HPA's minimum, so the autoscaler has nothing to correct.
    expect((await cluster.deployment(namespace, 'api')).spec.replicas).toBe(3);
    expect(run.summary).toContain(
      '**Autoscaler:** HorizontalPodAutoscaler api: minReplicas 3, maxReplicas 6, target CPU 70% (from autoscale); Deployment replicas 3',
    );
    // The controller-manager's HPA controller takes it up; without a metrics server it cannot compute a scale.
    const condition = await waitFor('the HPA controller to report on api', 90_000, async () => {
      const conditions = (await hpa(namespace)).status?.conditions ?? [];
      return conditions.find((entry) => entry.type === 'ScalingActive');
    });
    expect(condition).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    // As the HPA would on load, the replicas go to 5.
    await cluster.kubectl(['-n', namespace, 'scale', 'deployment/api', '--replicas=5']);

    // slo-gate capacity mode's json output, as a workflow passes it on.
    const report = JSON.stringify({
      decision: 'pass',
      'required-replicas': 7,
      'recommended-hpa': { minReplicas: 2, maxReplicas: 7 },
    });
    const second = await cluster.rollout({
      name: 'api',
      image: IMAGE,
      namespace,
      'capacity-report': report,
    });
    expect(second.exitCode).toBe(0);
    expect((await hpa(namespace)).spec).toMatchObject({ minReplicas: 2, maxReplicas: 7 });
    expect(second.summary).toMatch(
      /\*\*Autoscaler:\*\* HorizontalPodAutoscaler api: minReplicas 2, maxReplicas 7, target CPU 70% \(from capacity report\); Deployment replicas \d+/,
    );
  });

  it('names a bad autoscale or capacity report in one line', async () => {
    const bad = async (inputs: Record<string, string>) =>
      (await cluster.rollout({ name: 'api', image: IMAGE, namespace: 'default', ...inputs })).errors;
    expect(await bad({ autoscale: '5,2' })).toEqual([
      "input 'autoscale': minReplicas 5 is above maxReplicas 2; expected min,max,target-cpu such as 2,10,70%",
    ]);
    expect(await bad({ 'capacity-report': '{"decision":"fail","recommended-hpa":""}' })).toEqual([
      "input 'capacity-report': no recommended HPA bounds (minReplicas and maxReplicas) in it; pass slo-gate capacity mode's recommended-hpa or json output, or its report file",
    ]);
    expect(await bad({ autoscale: '2,4', strategy: 'blue-green' })).toEqual([
      "input 'autoscale' applies to strategies rolling and canary, not blue-green (whose Deployments are <name>-blue and <name>-green)",
    ]);
  });
});
