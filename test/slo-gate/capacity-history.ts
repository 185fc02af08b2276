// Generated capacity history with known answers: per-pod request counters, latency histograms and
// kube-state-metrics series, shaped as the Prometheus client libraries and kube-state-metrics v2 export them.
//
// Every day has one two-hour plateau (10:00 to 12:00 UTC) at the day's peak request rate and a flat base
// rate otherwise; counters are sampled every minute on the minute and the history ends at `capacityTime`, a
// midnight. rate(...[5m]) at the 5m steps of a subquery is then exactly the per-minute increase / 60 wherever
// the five minutes before it are one level, so the highest daily rate is exactly the plateau's.
import type { SeriesDefinition } from '../support/prometheus.js';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
/** The last midnight at least a day back, so that every sample is in the past. */
export const capacityTime = new Date(Math.floor(Date.now() / DAY) * DAY - DAY);

export interface Scenario {
  service: string;
  namespace: string;
  /** Pod names, `<deployment>-<pod-template-hash>-<suffix>`. */
  pods: string[];
  /** Total requests/s on the plateau of day d (d = 0 ends at capacityTime, d = -1 the day before). */
  peak: (day: number) => number;
  /** Total requests/s off the plateau. */
  base: number;
  /** A day whose plateau only `serving` pods carried (the others took no traffic) and the latency SLO broke. */
  overloaded?: { day: number; serving: number };
  /** History length; the latency histogram starts `histogramMs` before the end when given. */
  spanMs: number;
  histogramMs?: number;
  hpa: { maxReplicas: number };
  replicas: number;
  containers: { name: string; cpu: number; memoryBytes: number }[];
}

const end = capacityTime.getTime();

/** Requests/s of each pod, and the share within 300ms, in the minute that ends at `time`. */
function minute(scenario: Scenario, time: number): { rates: number[]; good: number } {
  const day = Math.ceil((time - end) / DAY);
  const intoDayEnd = time - (end + day * DAY); // in (-1d, 0]
  const onPlateau = intoDayEnd > -14 * 60 * MINUTE && intoDayEnd <= -12 * 60 * MINUTE;
  const pods = scenario.pods.length;
  if (!onPlateau) return { rates: scenario.pods.map(() => scenario.base / pods), good: 0.995 };
  const overloaded = scenario.overloaded?.day === day;
  const serving = overloaded ? (scenario.overloaded?.serving ?? pods) : pods;
  return {
    rates: scenario.pods.map((_, index) => (index < serving ? scenario.peak(day) / serving : 0)),
    good: overloaded ? 0.95 : 0.995,
  };
}

/** A counter's samples from the per-minute increments, as one value function over a precomputed array. */
function counter(
  metric: string,
  labels: Record<string, string>,
  startMs: number,
  increment: (time: number) => number,
): SeriesDefinition {
  const values = new Float64Array(Math.round((end - startMs) / MINUTE) + 1);
  values[0] = 1_000_000;
  for (let index = 1; index < values.length; index++)
    values[index] = values[index - 1] + increment(startMs + index * MINUTE);
  return {
    metric,
    labels,
    startMs,
    endMs: end,
    stepMs: MINUTE,
    value: (time) => values[Math.round((time - startMs) / MINUTE)],
  };
}

function gauge(metric: string, labels: Record<string, string>, startMs: number, value: number) {
  // kube-state-metrics is scraped less often than the app; 5m keeps the history small.
  return { metric, labels, startMs, endMs: end, stepMs: 5 * MINUTE, value: () => value };
}

export function scenarioSeries(scenario: Scenario): SeriesDefinition[] {
  const start = end - scenario.spanMs;
  const histogramStart = end - (scenario.histogramMs ?? scenario.spanMs);
  const { service, namespace } = scenario;
  const deployment = service;
  const ksm = { job: 'kube-state-metrics', namespace };
  return [
    ...scenario.pods.flatMap((pod, index) => {
      const labels = { job: 'api', service, namespace, pod };
      const requests = (time: number) => minute(scenario, time).rates[index] * 60;
      return [
        counter('http_requests_total', { ...labels, code: '200', method: 'GET' }, start, requests),
        ...(
          [
            ['0.1', () => 0.5],
            ['0.3', (time: number) => minute(scenario, time).good],
            ['+Inf', () => 1],
          ] as const
        ).map(([le, share]) =>
          counter(
            'http_request_duration_seconds_bucket',
            { ...labels, le },
            histogramStart,
            (time) => Math.round(requests(time) * share(time) * 1000) / 1000,
          ),
        ),
        ...scenario.containers.flatMap((container) =>
          (
            [
              ['cpu', 'core', container.cpu],
              ['memory', 'byte', container.memoryBytes],
            ] as const
          ).map(([resource, unit, value]) =>
            gauge(
              'kube_pod_container_resource_requests',
              { ...ksm, pod, uid: `uid-${pod}`, container: container.name, node: 'node-1', resource, unit },
              start,
              value,
            ),
          ),
        ),
      ];
    }),
    gauge('kube_deployment_spec_replicas', { ...ksm, deployment }, start, scenario.replicas),
    gauge(
      'kube_horizontalpodautoscaler_spec_max_replicas',
      { ...ksm, horizontalpodautoscaler: deployment },
      start,
      scenario.hpa.maxReplicas,
    ),
    gauge(
      'kube_horizontalpodautoscaler_spec_min_replicas',
      { ...ksm, horizontalpodautoscaler: deployment },
      start,
      2,
    ),
  ];
}
