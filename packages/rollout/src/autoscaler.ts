import type { KubeObject } from '@gin-deploy/kube';
import { AutoscaleError, CapacityReportError } from './errors.js';

/** The bounds and target of a HorizontalPodAutoscaler (autoscaling/v2 field names). */
export interface AutoscaleSpec {
  minReplicas: number;
  maxReplicas: number;
  /** Average CPU utilisation the HPA keeps, in percent of the pods' CPU requests. */
  targetCpuUtilization: number;
  /** Where the bounds came from: the `autoscale` text, a capacity report's recommendation, or both. */
  source: string;
}

export const DEFAULT_TARGET_CPU = 70;

/** The recommended bounds of slo-gate's capacity mode (`recommended-hpa`, also inside its `json` output). */
export interface RecommendedBounds {
  minReplicas: number;
  maxReplicas: number;
}

const whole = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1;

/**
 * The recommendation in a capacity report: slo-gate's `recommended-hpa` output, its `json` output (which holds
 * it as `recommended-hpa`, itself JSON text there) or its report file (`recommendation`). Throws
 * CapacityReportError otherwise.
 */
export function capacityRecommendation(text: string): RecommendedBounds {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CapacityReportError('not JSON');
  }
  const record = (value ?? {}) as Record<string, unknown>;
  let bounds: unknown = record['recommended-hpa'] ?? record.recommendation ?? record;
  if (typeof bounds === 'string') {
    try {
      bounds = JSON.parse(bounds);
    } catch {
      bounds = undefined;
    }
  }
  const { minReplicas, maxReplicas } = (bounds ?? {}) as Record<string, unknown>;
  if (!whole(minReplicas) || !whole(maxReplicas) || minReplicas > maxReplicas)
    throw new CapacityReportError(
      "no recommended HPA bounds (minReplicas and maxReplicas) in it; pass slo-gate capacity mode's recommended-hpa or json output, or its report file",
    );
  return { minReplicas, maxReplicas };
}

/**
 * `min,max,target-cpu` (e.g. `2,10,70%`); an empty part takes the capacity report's recommendation, then the
 * default target of 70%. Throws AutoscaleError for a bad value.
 */
export function parseAutoscale(
  text: string | undefined,
  recommended: RecommendedBounds | undefined,
): AutoscaleSpec {
  const parts = (text ?? '').split(',').map((part) => part.trim());
  if (parts.length > 3) throw new AutoscaleError(`'${text}' has more than three parts`);
  const [minText = '', maxText = '', targetText = ''] = parts;
  const count = (part: string, fallback: number | undefined): number | undefined => {
    if (part === '') return fallback;
    if (!/^\d+$/.test(part) || Number(part) < 1)
      throw new AutoscaleError(`'${part}' is not a whole number of 1 or more`);
    return Number(part);
  };
  const minReplicas = count(minText, recommended?.minReplicas);
  const maxReplicas = count(maxText, recommended?.maxReplicas);
  if (minReplicas === undefined || maxReplicas === undefined)
    throw new AutoscaleError(
      'minReplicas and maxReplicas are needed (or a capacity report to take them from)',
    );
  if (minReplicas > maxReplicas)
    throw new AutoscaleError(`minReplicas ${minReplicas} is above maxReplicas ${maxReplicas}`);
  const target = /^(\d+)%?$/.exec(targetText);
  if (targetText !== '' && (!target || Number(target[1]) < 1))
    throw new AutoscaleError(`target CPU '${targetText}' is not a percentage such as 70%`);
  const fromText = minText !== '' || maxText !== '';
  const fromReport = recommended !== undefined && (minText === '' || maxText === '');
  return {
    minReplicas,
    maxReplicas,
    targetCpuUtilization: target ? Number(target[1]) : DEFAULT_TARGET_CPU,
    source:
      fromText && fromReport ? 'autoscale and capacity report' : fromReport ? 'capacity report' : 'autoscale',
  };
}

/** The Deployment's replicas within the autoscaler's bounds, so the HPA has nothing to correct on apply. */
export function replicasWithin(replicas: number, spec: AutoscaleSpec): number {
  return Math.min(spec.maxReplicas, Math.max(spec.minReplicas, replicas));
}

/** An autoscaling/v2 HorizontalPodAutoscaler of the Deployment `name` on average CPU utilisation. */
export function generateAutoscaler(
  name: string,
  labels: Record<string, string>,
  spec: AutoscaleSpec,
): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: spec.targetCpuUtilization },
          },
        },
      ],
    },
  };
}
