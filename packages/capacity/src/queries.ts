import { addMatchers, type BucketMatchers } from '@gin-deploy/slo';

/** The rate window of every request-rate query: five scrapes at the common 1m interval. */
export const RATE_WINDOW = '5m';

/** What the capacity questions are asked about. */
export interface CapacitySpec {
  /** Counter selector of the app's requests, one series per pod (label `pod`), e.g. `http_requests_total{job="api"}`. */
  requests: string;
  /** Histogram bucket selector of the request latency, and the latency SLO on it. */
  latency: { histogram: string; thresholdSeconds: number; objective: number };
  lookbackMs: number;
  horizonMs: number;
  /** Less history of both request rates and latency than this: no per-replica capacity from history. */
  minHistoryMs: number;
  /** The Deployment and its HPA, for kube-state-metrics series. */
  target?: { namespace: string; deployment: string; hpa: string };
}

const days = (ms: number): string => `${Math.round(ms / 60_000)}m`;

/**
 * The PromQL of the demand and per-replica questions. `buckets` are the `le` matchers of the latency
 * threshold's bucket and of +Inf (every spelling the exporters write); undefined without latency data.
 */
export function demandQueries(spec: CapacitySpec, buckets: BucketMatchers | undefined) {
  const rate = (selector: string) => `rate(${selector}[${RATE_WINDOW}])`;
  const demand = `sum(${rate(spec.requests)})`;
  // Pods without traffic (not ready, draining) would dilute the rate per serving replica.
  const perPod = `avg(sum by (pod) (${rate(spec.requests)}) > 0)`;
  // The settings reader checked the histogram is a selector, so addMatchers cannot fail here.
  const sli =
    buckets === undefined
      ? undefined
      : `(sum(${rate(addMatchers(spec.latency.histogram, buckets.good))}) / sum(${rate(addMatchers(spec.latency.histogram, buckets.total))}))`;
  const lookback = days(spec.lookbackMs);
  return {
    /** Range query with a 1d step: each point is the highest request rate of the day before it. */
    dailyPeak: `max_over_time(${demand}[1d:${RATE_WINDOW}])`,
    /** The highest request rate per serving pod over the lookback while the latency SLI met its objective. */
    perReplica:
      sli &&
      `max_over_time((${perPod} and on() (${sli} >= ${spec.latency.objective}))[${lookback}:${RATE_WINDOW}])`,
    /** Steps of the lookback with both a per-pod rate and a latency SLI: the history the capacity rests on. */
    covered: sli && `count_over_time((${perPod} and on() ${sli})[${lookback}:${RATE_WINDOW}])`,
  };
}

/** kube-state-metrics series of the Deployment and its HPA (names and labels as kube-state-metrics v2 exports them). */
export function kubeStateQueries(target: NonNullable<CapacitySpec['target']>) {
  const { namespace, deployment, hpa } = target;
  // Pods of a Deployment are named <deployment>-<pod-template-hash>-<suffix>.
  const pods = `namespace="${namespace}",pod=~"${deployment}-[a-z0-9]+-[a-z0-9]+"`;
  const requests = (resource: string) =>
    `avg(sum by (pod) (kube_pod_container_resource_requests{${pods},resource="${resource}"}))`;
  return {
    maxReplicas: `max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="${namespace}",horizontalpodautoscaler="${hpa}"})`,
    replicas: `max(kube_deployment_spec_replicas{namespace="${namespace}",deployment="${deployment}"})`,
    cpuCores: requests('cpu'),
    memoryBytes: requests('memory'),
  };
}
