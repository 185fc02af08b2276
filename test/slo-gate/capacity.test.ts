import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { runBundledAction } from '../support/action.js';
import { freePort } from '../support/ports.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { capacityTime, DAY, scenarioSeries, type Scenario } from './capacity-history.js';
import { asOutput } from './history.js';

const MiB = 2 ** 20;
const containers = [
  { name: 'api', cpu: 0.2, memoryBytes: 192 * MiB },
  { name: 'proxy', cpu: 0.05, memoryBytes: 64 * MiB },
];

/** Four pods of one Deployment with two containers each, three weeks of history. */
const common = (service: string) => ({
  service,
  namespace: 'prod',
  pods: ['x7k2p', 'b9q4d', 'm3n8z', 'r5t6w'].map((id) => `${service}-6f8d9c7b5-${id}`),
  spanMs: 21 * DAY + 3_600_000,
  replicas: 4,
  containers,
});

// Ample headroom: peaks grow 2 req/s a day to 200 today; on day -9 two of the four pods carried the peak and
// the latency SLO broke, so the highest rate per pod with the SLO met is today's 200 / 4 = 50.
const shop: Scenario = {
  ...common('shop'),
  peak: (day) => 200 + 2 * day,
  base: 60,
  overloaded: { day: -9, serving: 2 },
  hpa: { maxReplicas: 10 },
};
// Short supply: peaks grow 10 req/s a day to 300, with a known campaign peak of 400 three days ago.
const checkout: Scenario = {
  ...common('checkout'),
  peak: (day) => (day === -3 ? 400 : 300 + 10 * day),
  base: 100,
  hpa: { maxReplicas: 6 },
};
// Request history for three weeks, but the latency histogram was added three days ago.
const search: Scenario = {
  ...common('search'),
  peak: (day) => 100 + day,
  base: 40,
  histogramMs: 3 * DAY,
  hpa: { maxReplicas: 8 },
};

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus([shop, checkout, search].flatMap(scenarioSeries));
}, 600_000);

afterAll(async () => {
  await prometheus?.stop();
});

const capacity = (service: string, inputs: Record<string, string> = {}) =>
  runBundledAction('slo-gate', {
    inputs: {
      'prometheus-url': prometheus.url,
      mode: 'capacity',
      'request-query': 'http_requests_total{service="{{service}}"}',
      'latency-query': 'http_request_duration_seconds_bucket{service="{{service}}"}',
      threshold: '300ms',
      objective: '99',
      service,
      lookback: '14d',
      horizon: '7d',
      deployment: service,
      namespace: 'prod',
      'query-time': capacityTime.toISOString(),
      ...inputs,
    },
  });

const reportOf = (outputs: Record<string, string>) => JSON.parse(readFileSync(outputs.report, 'utf8'));

describe('slo-gate mode: capacity, against a real Prometheus with generated history', () => {
  it('passes with ample headroom: 7 replicas needed for the 214 req/s forecast, the HPA may reach 10', async () => {
    const run = await capacity('shop');
    expect(run.exitCode).toBe(0);
    // Trend 200 + 2/day, 7 days ahead: 214 req/s; ceil(214 × 1.2 / 50) + 1 = 7.
    expect(run.outputs).toMatchObject({
      decision: 'pass',
      'forecast-peak': '214',
      'required-replicas': '7',
      'max-replicas': '10',
      headroom: asOutput((9 * 50) / 214 - 1),
      'recommended-hpa': '{"minReplicas":2,"maxReplicas":7}',
    });
    const report = reportOf(run.outputs);
    expect(report.perReplica).toMatchObject({ value: 50, source: 'history' });
    expect(report.perReplica.historyS).toBeGreaterThanOrEqual(13 * 86_400);
    expect(report.bucket).toBe('0.3');
    expect(report.demand.lastPeak).toBe(200);
    expect(report.demand.check).toMatchObject({ forecast: 200, actual: 200, error: 0 });
    expect(report.supply).toEqual({ maxReplicas: 10, source: 'kube-state-metrics', replicas: 4 });
    // Peak 200 of 10 × 50 now, 214 forecast, 2 req/s a day more.
    expect(report.utilisation.current).toBeCloseTo(0.4, 12);
    expect(report.utilisation.forecast).toBeCloseTo(0.428, 12);
    expect(report.utilisation.trendPerWeek).toBeCloseTo(0.028, 12);
    // maxReplicas 10 → 7 frees three replicas' requests: 3 × (200m + 50m) CPU, 3 × (192Mi + 64Mi) memory.
    expect(report.cost).toMatchObject({
      replicas: -3,
      cpuCores: -0.75,
      memoryBytes: -768 * MiB,
      source: 'kube-state-metrics',
    });
    expect(report.dailyPeaks).toHaveLength(21);
    expect(run.summary).toContain('## Capacity: ✅ pass');
    expect(run.summary).toContain('| recommended HPA | minReplicas 2, maxReplicas 7 |');
    expect(run.summary).toContain('-3 replicas: -0.75 cores CPU, -768 MiB memory requested');
    expect(run.summary).toMatch(
      /```mermaid\nxychart-beta\n {2}title "[^"]+"\n {2}x-axis \[("\d\d-\d\d", ){20}"\d\d-\d\d"\]/,
    );
    expect(run.summary).toContain(`  line [${Array(21).fill(450).join(', ')}]`);
  });

  it('fails when the forecast peak is above the HPA max, with the required replicas and the forecast error', async () => {
    const run = await capacity('checkout', { 'event-multiplier': '1.5', redundancy: 'N+2' });
    expect(run.exitCode).toBe(1);
    // Least squares over the last 14 daily peaks (300 + 10/day, 400 on day -3) gives 370 + 130/14 + 2 × 13.5
    // at day 7 = 406.285714…; × 1.5 for the event = 609.428571…; per pod 400 / 4 = 100 (the campaign day, SLO met).
    const forecast = (370 + 130 / 14 + 27) * 1.5;
    expect(run.outputs).toMatchObject({
      decision: 'fail',
      'forecast-peak': asOutput(forecast),
      'required-replicas': '10', // ceil(609.43 × 1.2 / 100) + 2
      'max-replicas': '6',
      headroom: asOutput((4 * 100) / forecast - 1),
    });
    expect(run.errors).toEqual([
      expect.stringContaining(
        'slo-gate decided fail: 10 replicas needed for the forecast peak 609.429 req/s (100 req/s per replica, 20% headroom, N+2); maxReplicas 6 cannot carry it',
      ),
    ]);
    // A week ago the method forecast 300 from the linear weeks before; the campaign then peaked at 400.
    const report = reportOf(run.outputs);
    expect(report.demand.check).toEqual({
      madeAt: capacityTime.getTime() / 1000 - 7 * 86_400,
      forecast: 300,
      actual: 400,
      error: -0.25,
    });
    expect(run.summary).toContain('| last forecast error | -25%: forecast 300 req/s on ');
    expect(run.summary).toContain('## Capacity: ❌ fail');
  });

  it('says the latency history is too short for per-replica capacity, and passes with a declared value', async () => {
    const short = await capacity('search');
    expect(short.exitCode).toBe(1);
    expect(short.outputs).toMatchObject({
      decision: 'fail',
      'required-replicas': '',
      'forecast-peak': '107',
    });
    expect(short.errors).toEqual([
      'slo-gate decided fail: 3d of request-rate and latency history, less than the 7d needed to measure per-replica capacity; declare it with replica-capacity',
    ]);
    const declared = await capacity('search', { 'replica-capacity': '40' });
    expect(declared.exitCode).toBe(0);
    // ceil(107 × 1.2 / 40) + 1 = 5 of the HPA's 8.
    expect(declared.outputs).toMatchObject({
      decision: 'pass',
      'forecast-peak': '107',
      'required-replicas': '5',
      'max-replicas': '8',
    });
    expect(reportOf(declared.outputs).perReplica).toMatchObject({
      value: 40,
      source: 'declared',
      historyS: 3 * 86_400,
    });
    expect(declared.warnings).toContain(
      '3d of request-rate and latency history, less than the 7d needed to measure per-replica capacity; the declared 40 req/s per replica is used',
    );
    expect(declared.summary).toContain('| per-replica capacity | 40 req/s (declared: ');
  });

  it('warns when the supply carries the peak only without the headroom; supply and requests as inputs', async () => {
    const run = await capacity('shop', {
      'max-replicas': '6',
      requests: 'cpu=500m,memory=1Gi',
      deployment: '',
    });
    // ceil(214 × 1.2 / 50) + 1 = 7 with the headroom, ceil(214 / 50) + 1 = 6 without.
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'warn', 'required-replicas': '7', 'max-replicas': '6' });
    expect(run.warnings).toEqual([
      expect.stringContaining('maxReplicas 6 carries the peak only without the headroom'),
    ]);
    const report = reportOf(run.outputs);
    expect(report.supply).toEqual({ maxReplicas: 6, source: 'input', replicas: null });
    expect(report.cost).toMatchObject({ replicas: 1, cpuCores: 0.5, memoryBytes: 2 ** 30, source: 'input' });
  });

  it('names a bad input in one line and fails before any query', async () => {
    const bad = await capacity('shop', { redundancy: 'two' });
    expect(bad.exitCode).toBe(1);
    expect(bad.errors).toEqual([
      "input 'redundancy': 'two' is not valid; expected N+0, N+1, N+2 or a whole number",
    ]);
    const none = await capacity('shop', { deployment: '' });
    expect(none.errors).toEqual([
      "capacity mode needs input 'max-replicas' or input 'deployment' (whose HPA's maxReplicas is read from kube-state-metrics)",
    ]);
  });

  it('fails with its outputs and the reason in the summary when Prometheus cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await capacity('shop', { 'prometheus-url': url, timeout: '1s' });
    expect(down.exitCode).toBe(1);
    expect(down.outputs.decision).toBe('fail');
    expect(down.errors[0]).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+\/? failed for query/);
    expect(down.summary).toContain('## Capacity: ❌ fail');
  });
});
