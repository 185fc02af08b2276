import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RESOURCES, generateApp } from './app.js';
import { capacityRecommendation, parseAutoscale } from './autoscaler.js';
import { AutoscaleError, CapacityReportError } from './errors.js';

describe('the generated autoscaler', () => {
  it('reads min,max,target-cpu, filling gaps from a capacity recommendation', () => {
    expect(parseAutoscale('2,10,80%', undefined)).toEqual({
      minReplicas: 2,
      maxReplicas: 10,
      targetCpuUtilization: 80,
      source: 'autoscale',
    });
    const recommended = { minReplicas: 3, maxReplicas: 14 };
    expect(parseAutoscale(undefined, recommended)).toEqual({
      ...recommended,
      targetCpuUtilization: 70,
      source: 'capacity report',
    });
    expect(parseAutoscale(',20,60', recommended)).toEqual({
      minReplicas: 3,
      maxReplicas: 20,
      targetCpuUtilization: 60,
      source: 'autoscale and capacity report',
    });
    expect(() => parseAutoscale('5,2', undefined)).toThrow(
      new AutoscaleError('minReplicas 5 is above maxReplicas 2'),
    );
    expect(() => parseAutoscale('2', undefined)).toThrow(
      new AutoscaleError('minReplicas and maxReplicas are needed (or a capacity report to take them from)'),
    );
    expect(() => parseAutoscale('0,3', undefined)).toThrow(
      new AutoscaleError("'0' is not a whole number of 1 or more"),
    );
    expect(() => parseAutoscale('1,3,lots', undefined)).toThrow(
      new AutoscaleError("target CPU 'lots' is not a percentage such as 70%"),
    );
  });

  it('takes the recommendation from each shape slo-gate gives it', () => {
    const bounds = { minReplicas: 2, maxReplicas: 7 };
    expect(capacityRecommendation('{"minReplicas":2,"maxReplicas":7}')).toEqual(bounds); // recommended-hpa
    expect(capacityRecommendation(JSON.stringify({ decision: 'pass', 'recommended-hpa': bounds }))).toEqual(
      bounds,
    ); // json
    expect(capacityRecommendation(JSON.stringify({ mode: 'capacity', recommendation: bounds }))).toEqual(
      bounds,
    ); // report
    expect(() => capacityRecommendation(JSON.stringify({ decision: 'fail', 'recommended-hpa': '' }))).toThrow(
      /^no recommended HPA bounds/,
    );
    expect(() => capacityRecommendation('{')).toThrow(new CapacityReportError('not JSON'));
    expect(() => capacityRecommendation('{')).toThrow(CapacityReportError);
    expect(() => parseAutoscale('5,2', undefined)).toThrow(AutoscaleError);
  });

  it('adds an autoscaling/v2 HPA to the generated app and keeps the replicas within its bounds', () => {
    const autoscale = { minReplicas: 3, maxReplicas: 6, targetCpuUtilization: 70, source: 'autoscale' };
    const objects = generateApp({
      name: 'api',
      image: 'registry.local/api@sha256:' + 'a'.repeat(64),
      port: 8080,
      replicas: 2,
      healthPath: '/health',
      readyPath: '/ready',
      resources: DEFAULT_RESOURCES,
      autoscale,
    });
    expect(objects.map((object) => object.kind)).toEqual([
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
    ]);
    expect((objects[0].spec as { replicas: number }).replicas).toBe(3);
    expect(objects[2]).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicas: 3,
        maxReplicas: 6,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    });
  });
});
