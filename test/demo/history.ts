import type { SeriesDefinition } from '../support/prometheus.js';

const STEP_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/**
 * 28 days of the sample service's own metrics (http_requests_total and the latency histogram that
 * test/fixtures/gin-service exports) as a healthy production history: 3000 requests every 5 minutes, one of
 * them a 500, and 99.5% of them under 300 ms — inside both SLOs of slos.yaml with budget to spare.
 */
export function sampleServiceHistory(now: number): SeriesDefinition[] {
  const endMs = Math.floor(now / STEP_MS) * STEP_MS;
  const startMs = endMs - 28 * DAY_MS;
  const counter = (perStep: number) => (time: number) => ((time - startMs) / STEP_MS) * perStep;
  const series = (metric: string, labels: Record<string, string>, perStep: number): SeriesDefinition => ({
    metric,
    labels: { job: 'sample-api', route: '/ping', method: 'GET', ...labels },
    startMs,
    endMs,
    stepMs: STEP_MS,
    value: counter(perStep),
  });
  const buckets: [string, number][] = [
    ['0.1', 2850],
    ['0.3', 2985],
    ['1', 2999],
    ['+Inf', 3000],
  ];
  return [
    series('http_requests_total', { code: '200' }, 2999),
    series('http_requests_total', { code: '500' }, 1),
    ...buckets.map(([le, count]) => series('http_request_duration_seconds_bucket', { le }, count)),
  ];
}
