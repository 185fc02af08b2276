import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeCanary, parseCanaryAnalysis } from '@gin-deploy/slo';
import { ANALYSIS as ERROR_RATIO_ANALYSIS } from '../k8s-rollout/analysis.js';
import { runBundledAction } from '../support/action.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { counter, MINUTE, promqlIncrease, queryTime, toSeries, type Counter } from './history.js';

// Two hours of 15 s samples: a baseline (track="stable") and a canary (track="canary") per app.
const SPAN = 2 * 60 * MINUTE;
const STEP = 15_000;

/** 200 requests per 15 s; errors per 15 s follow the pattern (an average of `ratio` of the requests). */
function side(app: string, track: string, ratio: number): Counter[] {
  const pattern = [0.5, 1, 1.5, 1].map((weight) => weight * ratio * 200);
  const errors = (step: number) => pattern[step % 4];
  return [
    counter({ app, track, code: '200' }, SPAN, 50_000, (step) => 200 - errors(step), STEP),
    counter({ app, track, code: '500' }, SPAN, 5_000, errors, STEP),
  ];
}

function histogram(app: string, track: string): Counter[] {
  return (
    [
      ['0.1', 150],
      ['0.3', 195],
      ['1', 199],
      ['+Inf', 200],
    ] as const
  ).map(([le, perStep]) => counter({ app, track, le }, SPAN, 50_000, () => perStep, STEP));
}

const sides = {
  same: { stable: side('same', 'stable', 0.01), canary: side('same', 'canary', 0.01) },
  worse: { stable: side('worse', 'stable', 0.01), canary: side('worse', 'canary', 0.05) },
};

/** What PromQL gives for the error ratio and the request count over the interval, from the counters. */
function expectedSide([ok, bad]: Counter[], intervalMs = 30 * MINUTE) {
  const increase = (c: Counter) => promqlIncrease(c.samples, queryTime.getTime(), intervalMs) as number;
  const total = increase(ok) + increase(bad);
  return { ratio: increase(bad) / total, samples: total };
}

let prometheus: RunningPrometheus;
const dir = mkdtempSync(path.join(os.tmpdir(), 'canary-'));
const analysisFile = (text: string) => {
  writeFileSync(path.join(dir, 'analysis.yaml'), text);
  return 'analysis.yaml';
};

// The canary tests' error-ratio analysis, with a p99 latency check added.
const ANALYSIS = `${ERROR_RATIO_ANALYSIS}  - name: p99
    latency: { histogram: 'http_request_duration_seconds_bucket{app="{{app}}"}', quantile: 0.99 }
`;

beforeAll(async () => {
  prometheus = await startPrometheus([
    ...toSeries('http_requests_total', [
      ...sides.same.stable,
      ...sides.same.canary,
      ...sides.worse.stable,
      ...sides.worse.canary,
    ]),
    ...toSeries('http_request_duration_seconds_bucket', [
      ...histogram('same', 'stable'),
      ...histogram('same', 'canary'),
      ...histogram('worse', 'stable'),
      ...histogram('worse', 'canary'),
    ]),
  ]);
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe('canary analysis (the library k8s-rollout calls)', () => {
  const analyze = (app: string, text = ANALYSIS) =>
    analyzeCanary(parseCanaryAnalysis(text, 'analysis.yaml'), {
      prometheus: { url: prometheus.url },
      variables: { app },
      now: queryTime,
    });

  it('passes a canary equal to its baseline', async () => {
    const result = await analyze('same');
    expect(result.verdict).toBe('pass');
    const [errors, p99] = result.checks;
    expect(errors).toMatchObject({ name: 'errors', verdict: 'pass' });
    expect(errors.canary).toBeCloseTo(expectedSide(sides.same.canary).ratio, 12);
    expect(errors.baseline).toBeCloseTo(expectedSide(sides.same.stable).ratio, 12);
    expect(errors.canary).toBeCloseTo(0.01, 3);
    expect(errors.reason).toMatch(
      /^no significant degradation: Mann-Whitney U=\d+ over 30\/30 intervals, p=1 /,
    );
    // 99% of 200 is rank 198: in the (0.3, 1] bucket, 3 of its 4 requests in → 0.3 + 0.7 × 3/4.
    expect(p99).toMatchObject({ name: 'p99', verdict: 'pass' });
    expect(p99.canary).toBeCloseTo(0.825, 12);
    expect(p99.baseline).toBeCloseTo(0.825, 12);
  });

  it('fails a canary with five times the baseline error ratio', async () => {
    const result = await analyze('worse');
    expect(result.verdict).toBe('fail');
    const [errors, p99] = result.checks;
    expect(errors.verdict).toBe('fail');
    expect(errors.canary).toBeCloseTo(expectedSide(sides.worse.canary).ratio, 12);
    expect(errors.baseline).toBeCloseTo(expectedSide(sides.worse.stable).ratio, 12);
    // Every canary interval (0.05) is above every tolerated baseline interval (0.011): U = 30 × 30.
    expect(errors.reason).toContain('Mann-Whitney U=900 over 30/30 intervals');
    expect(p99.verdict).toBe('pass');
  });

  it('compares the aggregates when the interval holds too few steps for the U test', async () => {
    const result = await analyze('worse', ANALYSIS.replace('interval: 30m', 'interval: 5m'));
    const canary = expectedSide(sides.worse.canary, 5 * MINUTE).ratio;
    const baseline = expectedSide(sides.worse.stable, 5 * MINUTE).ratio;
    expect(result.checks[0]).toMatchObject({ verdict: 'fail' });
    expect(result.checks[0].canary).toBeCloseTo(canary, 12);
    const shown = (value: number) => Number(value.toPrecision(6));
    expect(result.checks[0].reason).toContain(
      `canary worse than baseline beyond tolerance: canary ${shown(canary)} vs baseline ${shown(baseline)} (limit ${shown(baseline * 1.1)}`,
    );
  });

  it('is inconclusive below the minimum sample count, and on missing data', async () => {
    const few = await analyze('same', ANALYSIS.replace('minSamples: 100', 'minSamples: 1000000'));
    expect(few.verdict).toBe('inconclusive');
    const samples = expectedSide(sides.same.canary).samples;
    expect(samples).toBe(23700); // 118 increments of 200 seen, extrapolated by 7.5 s of 1770 s
    expect(few.checks[0].reason).toBe(`canary has ${samples} samples, fewer than the minimum 1000000`);
    const none = await analyze('absent');
    expect(none.verdict).toBe('inconclusive');
  });
});

describe('slo-gate mode: canary', () => {
  const canary = (inputs: Record<string, string>) =>
    runBundledAction('slo-gate', {
      workspace: dir,
      inputs: {
        'prometheus-url': prometheus.url,
        mode: 'canary',
        'query-time': queryTime.toISOString(),
        ...inputs,
      },
    });
  const inline = (service: string) => ({
    service,
    'error-query': 'http_requests_total{app="{{service}}",code="500"}',
    'total-query': 'http_requests_total{app="{{service}}"}',
    'analysis-interval': '30m',
  });

  it('passes a canary equal to its baseline (inline inputs)', async () => {
    const run = await canary(inline('same'));
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'pass', score: '100' });
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect(report.checks[0]).toMatchObject({ name: 'error-ratio', verdict: 'pass' });
    expect(report.checks[0].queries[0]).toBe(
      '(sum(rate(http_requests_total{app="same",code="500",track="canary"}[30m])) or vector(0)) / sum(rate(http_requests_total{app="same",track="canary"}[30m]))',
    );
    expect(run.summary).toContain('## Canary analysis: ✅ pass');
  });

  it('fails a canary worse than its baseline (analysis file)', async () => {
    const run = await canary({
      service: 'worse',
      analysis: analysisFile(ANALYSIS.replaceAll('{{app}}', '{{service}}')),
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ decision: 'fail', score: '50' });
    expect(run.errors[0]).toContain('errors: canary significantly worse than baseline beyond tolerance');
  });

  it('decides an inconclusive analysis by on-no-data', async () => {
    const run = await canary({ ...inline('same'), 'min-samples': '1000000' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.decision).toBe('fail');
    const passed = await canary({ ...inline('same'), 'min-samples': '1000000', 'on-no-data': 'pass' });
    expect(passed.exitCode).toBe(0);
    expect(passed.outputs.decision).toBe('pass');
  });

  it('takes two query sets instead of selectors', async () => {
    const run = await canary({
      'canary-queries':
        'errors=sum(rate(http_requests_total{app="worse",track="canary",code="500"}[{{interval}}]))',
      'baseline-queries':
        'errors=sum(rate(http_requests_total{app="worse",track="stable",code="500"}[{{interval}}]))',
      'analysis-interval': '30m',
    });
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8')).checks[0]).toMatchObject({
      name: 'errors',
      verdict: 'fail',
    });
  });
});
