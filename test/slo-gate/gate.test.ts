import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RegistryProxy } from '../docker-multistage/proxy.js';
import { runBundledAction } from '../support/action.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { sloFiles } from './files.js';
import { asOutput, counter, expected, MINUTE, queryTime, toSeries, type Counter } from './history.js';

const DAY = 24 * 60 * MINUTE;
const SPAN = 7 * DAY + 60 * MINUTE;
const WINDOW = 7 * DAY;

/** Requests per minute split into 200s and 500s; errors(m) is the 500s, m minutes before the last sample. */
function service(name: string, errors: (minutesBeforeEnd: number) => number): { ok: Counter; bad: Counter } {
  return {
    ok: counter({ service: name, code: '200' }, SPAN, 1_000_000, (m) => 1000 - errors(m)),
    bad: counter({ service: name, code: '500' }, SPAN, 100_000, errors),
  };
}

const healthy = service('healthy', () => 1); // 0.1% errors: a tenth of a 1% budget
const spent = service('spent', () => 8); // 0.8% errors: 80% of the budget spent
const burning = service('burning', (m) => (m < 60 ? 200 : 1)); // 20% errors in the last hour only
// A latency histogram for `healthy`: per minute 1000 requests, 990 of them within 300ms.
const buckets = (
  [
    ['0.1', 900],
    ['0.3', 990],
    ['1', 999],
    ['+Inf', 1000],
  ] as const
).map(([le, perMinute]) => counter({ service: 'healthy', le }, SPAN, 1_000_000, () => perMinute));
// Two exporters of one service spell the 1s bound `1` and `1.0` (and +Inf `+Inf` and `Inf`): 990 of 1000 each.
const spellings = [
  ['a', '1', '+Inf'],
  ['b', '1.0', 'Inf'],
].flatMap(([instance, one, inf]) =>
  (
    [
      ['0.5', 900],
      [one, 990],
      [inf, 1000],
    ] as const
  ).map(([le, perMinute]) => counter({ service: 'mixed', instance, le }, SPAN, 1_000_000, () => perMinute)),
);

const inline = (name: string) => ({
  'prometheus-url': '',
  objective: '99',
  window: '7d',
  service: name,
  'total-query': 'http_requests_total{service="{{service}}"}',
  'error-query': 'http_requests_total{service="{{service}}",code=~"5.."}',
  'query-time': queryTime.toISOString(),
});

let prometheus: RunningPrometheus;
const gate = (inputs: Record<string, string>) =>
  runBundledAction('slo-gate', { inputs: { ...inputs, 'prometheus-url': prometheus.url } });

beforeAll(async () => {
  prometheus = await startPrometheus([
    ...toSeries(
      'http_requests_total',
      [healthy, spent, burning].flatMap(({ ok, bad }) => [ok, bad]),
    ),
    ...toSeries('http_request_duration_seconds_bucket', [...buckets, ...spellings]),
  ]);
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe('slo-gate against a real Prometheus with generated history', () => {
  it('passes a healthy service, with the budget numbers PromQL gives for the generated counters', async () => {
    const run = await gate(inline('healthy'));
    expect(run.exitCode).toBe(0);
    const want = expected([healthy.ok, healthy.bad], [healthy.bad], 0.99, WINDOW);
    expect(run.outputs).toMatchObject({
      decision: 'pass',
      'budget-remaining': asOutput(want.budgetRemaining),
      sli: asOutput(want.sli),
    });
    // The history was built for these round numbers: 0.1% errors against a 1% budget.
    expect(run.outputs['budget-remaining']).toBe('0.9');
    expect(run.outputs.sli).toBe('0.999');
    expect(run.outputs['burn-rate']).toBe('0.1');
    expect(run.outputs.score).toBe('100');
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    // 7d, then 1h/5m and 6h/30m (1d/2h and 3d/6h would fire below 1 in a 7d period): one instant query each.
    expect(report.slos[0].queries.map((query: { window: string }) => query.window)).toEqual([
      '7d',
      '1h',
      '5m',
      '6h',
      '30m',
    ]);
    expect(report.queries.instant).toBe(5);
    expect(report.queries.range).toBe(1);
    expect(JSON.parse(run.outputs.json)).toMatchObject({ decision: 'pass', 'budget-remaining': 0.9 });
    expect(run.summary).toContain('```mermaid\nxychart-beta');
    expect(run.summary).toMatch(/\| slo \| 99% \| 7d \| 99\.9% \| 90% \|/);
  });

  it('fails when 80% of the budget is spent and at most 70% may be', async () => {
    const run = await gate({ ...inline('spent'), 'min-budget-remaining': '30%' });
    expect(run.exitCode).toBe(1);
    const want = expected([spent.ok, spent.bad], [spent.bad], 0.99, WINDOW);
    expect(run.outputs.decision).toBe('fail');
    expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
    expect(run.outputs['budget-remaining']).toBe('0.2');
    expect(run.outputs['burn-rate']).toBe('0.8');
    expect(run.errors).toEqual([expect.stringContaining('budget remaining 20% is below the minimum 30%')]);
  });

  it('raises no burn-rate ticket for a service spending its 7d budget slower than its pace', async () => {
    // 0.8% errors against a 1% budget: a burn of 0.8 everywhere. A 1d/2h pair at the Workbook's 10% share
    // would have a factor of 0.7 and warn on it; only the pairs with factors of at least 1 are judged.
    const run = await gate({ ...inline('spent'), 'warn-budget-remaining': '0%' });
    expect([run.exitCode, run.outputs.decision, run.outputs['burn-rate']]).toEqual([0, 'pass', '0.8']);
    const [slo] = JSON.parse(readFileSync(run.outputs.report, 'utf8')).slos;
    expect(
      slo.burnRates.map((check: { window: string; factor: number }) => [check.window, check.factor]),
    ).toEqual([
      ['1h/5m', 3.36],
      ['6h/30m', 1.4],
    ]);
  });

  it('warns about the same service under the default policy (warn below 25% left)', async () => {
    const run = await gate(inline('spent'));
    expect(run.exitCode).toBe(0);
    expect(run.outputs.decision).toBe('warn');
    expect(run.warnings.join('\n')).toContain('below the warning level 25%');
  });

  it('fails a fast burn in the last hour although most of the budget is left', async () => {
    const run = await gate(inline('burning'));
    expect(run.exitCode).toBe(1);
    const want = expected([burning.ok, burning.bad], [burning.bad], 0.99, WINDOW);
    const hour = expected([burning.ok, burning.bad], [burning.bad], 0.99, 60 * MINUTE);
    expect(run.outputs.decision).toBe('fail');
    expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
    expect(Number(run.outputs['budget-remaining'])).toBeGreaterThan(0.7);
    expect(run.outputs['burn-rate']).toBe(asOutput(hour.burnRate));
    expect(run.outputs['burn-rate']).toBe('20');
    // The page factor for a 7d period: 2% of the budget in 1h is 0.02 × 168h / 1h = 3.36.
    expect(run.errors[0]).toContain('burn rate 20 over 1h confirmed by 20 over 5m is at least 3.36');
  });

  it('takes its own burn-rate windows and a max-burn-rate', async () => {
    const relaxed = await gate({ ...inline('burning'), 'burn-rate-windows': '1h/5m:25, 6h/30m:25' });
    expect([relaxed.exitCode, relaxed.outputs.decision, relaxed.outputs['burn-rate']]).toEqual([
      0,
      'pass',
      '20',
    ]);
    const capped = await gate({
      ...inline('burning'),
      'burn-rate-windows': '1h/5m:25',
      'max-burn-rate': '10',
    });
    expect(capped.exitCode).toBe(1);
    expect(capped.errors[0]).toContain('current burn rate 20 (1h/5m) exceeds max-burn-rate 10');
    const invalid = await gate({ ...inline('burning'), 'burn-rate-windows': '1h:14.4' });
    expect(invalid.errors).toEqual([
      "input 'burn-rate-windows': '1h:14.4' is not valid; expected entries like 1h/5m:14.4 or 3d/6h:1:warn (long/short window:factor[:warn|fail])",
    ]);
  });

  it('fails on missing data by default, and warns when on-no-data says so', async () => {
    const run = await gate(inline('absent'));
    expect(run.exitCode).toBe(1);
    expect(run.outputs.decision).toBe('fail');
    expect(run.outputs['budget-remaining']).toBe('');
    expect(run.errors[0]).toContain('no data over 7d; on-no-data is fail');
    const warned = await gate({ ...inline('absent'), 'on-no-data': 'warn' });
    expect(warned.exitCode).toBe(0);
    expect(warned.outputs.decision).toBe('warn');
  });

  const latency = (service: string, threshold: string) => ({
    'prometheus-url': '',
    objective: '98',
    window: '7d',
    'latency-query': `http_request_duration_seconds_bucket{service="${service}"}`,
    threshold,
    'query-time': queryTime.toISOString(),
  });

  it('judges a latency SLO from the histogram bucket of the threshold', async () => {
    const run = await gate(latency('healthy', '300ms'));
    expect(run.exitCode).toBe(0);
    // 990 of 1000 requests within the 0.3s bucket: SLI 0.99 against 0.98.
    expect(run.outputs).toMatchObject({ decision: 'pass', sli: '0.99', 'budget-remaining': '0.5' });
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8')).slos[0].bucket).toBe('0.3');
  });

  it('counts every spelling of the bound (1, 1.0) and of +Inf, as Prometheus matching both would', async () => {
    const run = await gate(latency('mixed', '1s'));
    expect(run.exitCode).toBe(0);
    // One spelling alone would count 990 of 2000 requests as good: SLI 0.495 and a fail.
    expect(run.outputs).toMatchObject({ decision: 'pass', sli: '0.99', 'budget-remaining': '0.5' });
    const [slo] = JSON.parse(readFileSync(run.outputs.report, 'utf8')).slos;
    expect(slo.total).toBeCloseTo(2000 * 7 * 24 * 60, 0);
    expect(slo.queries[0].query).toContain('le=~`1|1\\.0`');
  });

  it('refuses a threshold that is no bucket bound, naming the bounds there are', async () => {
    const run = await gate(latency('healthy', '350ms'));
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      "SLO 'slo' (inputs) latency query: the threshold 0.35s is no bucket bound of the histogram; expected one of its bounds: 0.1, 0.3, 1, +Inf",
    ]);
  });

  describe('SLO files', () => {
    const { dir, write, gate: fromFile } = sloFiles(() => prometheus.url);

    it('reads our format: three SLOs, the worst verdict wins, and the lowest budget is reported', async () => {
      const file = write(
        'slos.yaml',
        [
          'window: 7d',
          'slos:',
          '  - name: healthy-availability',
          '    objective: 99',
          '    total: http_requests_total{service="healthy"}',
          '    errors: http_requests_total{service="healthy",code="500"}',
          '  - name: spent-availability',
          '    objective: 99',
          '    total: sum(increase(http_requests_total{service="spent"}[{{window}}]))',
          '    good: sum(increase(http_requests_total{service="spent",code="200"}[{{window}}]))',
          '  - name: healthy-latency',
          '    objective: 98',
          '    latency: http_request_duration_seconds_bucket{service="healthy"}',
          '    threshold: 300ms',
        ].join('\n'),
      );
      const run = await fromFile(file);
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ decision: 'warn', 'budget-remaining': '0.2', sli: '0.992' });
      expect(Number(run.outputs.score)).toBeCloseTo(((1 + 0.5 + 1) / 3) * 100, 4);
    });

    it('scores by weight with a key SLO failing the whole gate', async () => {
      const file = write(
        'weighted.yaml',
        [
          'window: 7d',
          'slos:',
          '  - { name: a, objective: 99, weight: 3, total: "http_requests_total{service=\\"healthy\\"}", errors: "http_requests_total{service=\\"healthy\\",code=\\"500\\"}" }',
          '  - { name: b, objective: 99, weight: 1, total: "http_requests_total{service=\\"burning\\"}", errors: "http_requests_total{service=\\"burning\\",code=\\"500\\"}" }',
        ].join('\n'),
      );
      const passed = await fromFile(file, { scoring: 'weighted', 'pass-score': '75' });
      expect(passed.outputs).toMatchObject({ decision: 'pass', score: '75' });
      const keyed = write(
        'keyed.yaml',
        readFileSync(path.join(dir, file), 'utf8').replace('weight: 1,', 'weight: 1, key: true,'),
      );
      const failed = await fromFile(keyed, { scoring: 'weighted', 'pass-score': '75' });
      expect(failed.exitCode).toBe(1);
      expect(failed.outputs).toMatchObject({ decision: 'fail', score: '75' });
    });

    it('reads OpenSLO v1 and sloth prometheus/v1 files to the same numbers', async () => {
      const openslo = write(
        'openslo.yaml',
        [
          'apiVersion: openslo/v1',
          'kind: SLO',
          'metadata: { name: spent-availability }',
          'spec:',
          '  service: spent',
          '  timeWindow: [{ duration: 7d, isRolling: true }]',
          '  budgetingMethod: Occurrences',
          '  objectives: [{ target: 0.99 }]',
          '  indicator:',
          '    metadata: { name: spent-ratio }',
          '    spec:',
          '      ratioMetric:',
          '        counter: true',
          '        good: { metricSource: { type: Prometheus, spec: { query: "http_requests_total{service=\\"spent\\",code=\\"200\\"}" } } }',
          '        total: { metricSource: { type: Prometheus, spec: { query: "http_requests_total{service=\\"spent\\"}" } } }',
        ].join('\n'),
      );
      const sloth = write(
        'sloth.yaml',
        [
          'version: prometheus/v1',
          'service: spent',
          'slos:',
          '  - name: requests-availability',
          '    objective: 99',
          '    sli:',
          '      events:',
          '        error_query: sum(rate(http_requests_total{service="{{.service}}",code=~"5.."}[{{.window}}]))',
          '        total_query: sum(rate(http_requests_total{service="{{.service}}"}[{{.window}}]))',
        ].join('\n'),
      );
      for (const [file, extra] of [
        [openslo, {}],
        [sloth, { window: '7d' }],
      ] as const) {
        const run = await fromFile(file, extra);
        expect([file, run.exitCode, run.outputs.decision, run.outputs['budget-remaining']]).toEqual([
          file,
          0,
          'warn',
          '0.2',
        ]);
      }
    });
  });
});

describe('slo-gate when the job is cancelled', () => {
  it('fails at once while Prometheus is slow to answer, and never passes, even with on-error: pass', async () => {
    const proxy = new RegistryProxy(prometheus.url);
    await proxy.start();
    try {
      let step: ChildProcess | undefined;
      // Prometheus takes 20 s on the first query; the runner cancels the job while the step waits.
      proxy.fail({
        method: 'POST',
        path: /\/api\/v1\/query/,
        times: Infinity,
        holdMs: 20_000,
        onHold: () => step?.kill('SIGINT'),
      });
      const signalledAt = Date.now();
      const run = await runBundledAction('slo-gate', {
        inputs: { ...inline('healthy'), 'prometheus-url': `http://${proxy.host}`, 'on-error': 'pass' },
        onStart: (child) => (step = child),
      });
      expect(Date.now() - signalledAt).toBeLessThan(6_000);
      expect(run.exitCode).toBe(1);
      expect(run.warnings).toContain('the job was cancelled (SIGINT); stopping');
      expect(run.errors).toEqual([
        expect.stringMatching(
          /^the job was cancelled \(SIGINT\) before POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query/,
        ),
      ]);
      expect(run.outputs.decision).toBe('fail');
      expect(run.summary).toContain('The job was cancelled (SIGINT) before the gate decided.');
    } finally {
      await proxy.stop();
    }
  });
});
