// Fail closed: values no count or ratio can hold (NaN, ±Inf, negative counts, good > total) are errors judged
// by on-error, in the gate and in the canary analysis, never a pass by comparisons that are all false.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeCanary, InvalidValueError, parseCanaryAnalysis } from '@gin-deploy/slo';
import { runBundledAction } from '../support/action.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { lastSample, MINUTE, queryTime } from './history.js';

const SPAN = 3 * 60 * MINUTE;

/** A gauge `odd{case, part}` holding one value every minute over the last three hours. */
function gauge(name: string, part: string, value: number) {
  return {
    metric: 'odd',
    labels: { case: name, part },
    startMs: lastSample - SPAN,
    endMs: lastSample,
    stepMs: MINUTE,
    value: () => value,
  };
}

const CASES = {
  fine: { total: 100, good: 99 },
  nan: { total: NaN, good: 99 },
  inf: { total: 100, good: Infinity },
  'minus-inf': { total: -Infinity, good: 99 },
  negative: { total: -5, good: 0 },
  'good-above-total': { total: 100, good: 120 },
} as const;

let prometheus: RunningPrometheus;
const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-values-'));

beforeAll(async () => {
  prometheus = await startPrometheus(
    Object.entries(CASES).flatMap(([name, { total, good }]) => [
      gauge(name, 'total', total),
      gauge(name, 'good', good),
    ]),
  );
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

const part = (name: string, which: string) =>
  `sum(last_over_time(odd{case="${name}",part="${which}"}[{{window}}]))`;

const gate = (name: string, extra: Record<string, string> = {}) =>
  runBundledAction('slo-gate', {
    workspace: dir,
    inputs: {
      'prometheus-url': prometheus.url,
      objective: '98',
      window: '1h',
      'burn-rate-windows': '1h/5m:14.4',
      'total-query': part(name, 'total'),
      'good-query': part(name, 'good'),
      'query-time': queryTime.toISOString(),
      ...extra,
    },
  });

describe('slo-gate fails closed on values no count can hold', () => {
  it('judges the healthy gauges: SLI 0.99 against 98%', async () => {
    const run = await gate('fine');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'pass', sli: '0.99', 'budget-remaining': '0.5' });
  });

  it.each([
    ['nan', 'gave NaN for total events; expected a finite count of events, 0 or more'],
    ['inf', 'gave +Inf for good events; expected a finite count of events, 0 or more'],
    ['minus-inf', 'gave -Inf for total events; expected a finite count of events, 0 or more'],
    ['negative', 'gave -5 for total events; expected a finite count of events, 0 or more'],
    ['good-above-total', 'gave good 120 > total 100; expected good events to be at most all events'],
  ])('fails on %s with the query, the value and the time', async (name, message) => {
    const run = await gate(name);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.decision).toBe('fail');
    expect(run.outputs['budget-remaining']).toBe('');
    expect(run.outputs.sli).toBe('');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`at ${queryTime.toISOString()} ${message}; on-error is fail`);
    expect(run.errors[0]).toContain(`last_over_time(odd{case="${name}",part="total"}[1h])`);
    expect(run.summary).toContain(message);
    expect(run.summary).toContain('| invalid value | invalid value |');
    expect(run.summary).not.toMatch(/NaN%|Infinity/);
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect(report.slos[0]).toMatchObject({
      invalid: true,
      verdict: 'fail',
      sli: null,
      budgetRemaining: null,
    });
    expect(report.slos[0].queries[0].invalid).toContain(message);
  });

  it('passes with a warning only when on-error says so', async () => {
    const run = await gate('nan', { 'on-error': 'pass' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.decision).toBe('pass');
    expect(run.warnings.join('\n')).toContain('gave NaN for total events');
  });
});

describe('the canary analysis fails closed too', () => {
  const analysis = (canary: string, samples?: string) =>
    [
      'interval: 5m',
      'minSamples: 10',
      'checks:',
      '  - name: odd',
      `    canaryQuery: ${JSON.stringify(canary)}`,
      `    baselineQuery: ${JSON.stringify('sum(last_over_time(odd{case="fine",part="total"}[{{interval}}]))')}`,
      ...(samples
        ? [
            `    canarySamples: ${JSON.stringify(samples)}`,
            `    baselineSamples: ${JSON.stringify('sum(last_over_time(odd{case="fine",part="total"}[{{interval}}]))')}`,
          ]
        : []),
    ].join('\n');
  const at = (name: string, which = 'total') =>
    `sum(last_over_time(odd{case="${name}",part="${which}"}[{{interval}}]))`;
  const canary = (text: string, extra: Record<string, string> = {}) => {
    writeFileSync(path.join(dir, 'analysis.yaml'), text);
    return runBundledAction('slo-gate', {
      workspace: dir,
      inputs: {
        'prometheus-url': prometheus.url,
        mode: 'canary',
        analysis: 'analysis.yaml',
        'query-time': queryTime.toISOString(),
        ...extra,
      },
    });
  };

  it('passes a finite canary equal to its baseline', async () => {
    const run = await canary(analysis(at('fine')));
    expect([run.exitCode, run.outputs.decision]).toEqual([0, 'pass']);
  });

  it.each([
    ['nan', at('nan'), undefined, 'gave NaN for the canary; expected a finite number'],
    ['+Inf', at('inf', 'good'), undefined, 'gave +Inf for the canary; expected a finite number'],
    ['a negative sample count', at('fine'), at('negative'), 'gave -5 for the canary sample count'],
  ])('fails on %s, naming the query, the value and the time', async (_case, query, samples, message) => {
    const run = await canary(analysis(query, samples));
    expect(run.exitCode).toBe(1);
    expect(run.outputs.decision).toBe('fail');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`at ${queryTime.toISOString()} ${message}`);
    expect(run.summary).toContain(message);
    expect(JSON.parse(readFileSync(run.outputs.report, 'utf8'))).toMatchObject({ decision: 'fail' });
  });

  it('is inconclusive, not an error, when a side has too few samples (0/0 is NaN without traffic)', async () => {
    const run = await canary(analysis(at('nan'), at('fine', 'good')), { 'min-samples': '1000' });
    expect(run.outputs.decision).toBe('fail'); // on-no-data decides an inconclusive analysis
    expect(run.errors[0]).toContain('canary has 99 samples, fewer than the minimum 1000');
    expect(run.errors[0]).not.toContain('NaN');
  });

  it('throws to k8s-rollout, which aborts a canary nobody could judge', async () => {
    const spec = parseCanaryAnalysis(analysis(at('minus-inf')), 'analysis.yaml');
    const result = analyzeCanary(spec, { prometheus: { url: prometheus.url }, now: queryTime });
    await expect(result).rejects.toBeInstanceOf(InvalidValueError);
    await expect(result).rejects.toThrow(
      `at ${queryTime.toISOString()} gave -Inf for the canary; expected a finite number`,
    );
  });
});

// Under Timeslices the values hide inside subqueries: a slice of good 120 over total 100 (SLI 1.2) or of a
// raw error ratio of -Inf (SLI +Inf) met the slice target, and the gate passed with SLI 1.
describe('OpenSLO Timeslices fail closed on slices no ratio can hold', () => {
  const sliced = (name: string, indicator: string[]) => {
    const file = `${name}-slices.yaml`;
    writeFileSync(
      path.join(dir, file),
      [
        'apiVersion: openslo/v1',
        'kind: SLO',
        `metadata: { name: ${name} }`,
        'spec:',
        '  service: api',
        '  budgetingMethod: Timeslices',
        '  timeWindow: [{ duration: 1h, isRolling: true }]',
        '  indicator:',
        '    metadata: { name: sli }',
        '    spec:',
        '      ratioMetric:',
        ...indicator.map((line) => `        ${line}`),
        '  objectives: [{ target: 0.98, timeSliceTarget: 0.95, timeSliceWindow: 1m }]',
        '',
      ].join('\n'),
    );
    return runBundledAction('slo-gate', {
      workspace: dir,
      inputs: {
        'prometheus-url': prometheus.url,
        slos: file,
        'burn-rate-windows': '1h/5m:14.4',
        'query-time': queryTime.toISOString(),
      },
    });
  };
  const source = (query: string) => `{ metricSource: { type: Prometheus, spec: { query: '${query}' } } }`;
  const ratio = (name: string) => [
    `good: ${source(part(name, 'good'))}`,
    `total: ${source(part(name, 'total'))}`,
  ];

  it('passes the healthy gauges: 0.99 in every one of the 60 slices meets 0.95', async () => {
    const run = await sliced('fine', ratio('fine'));
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ decision: 'pass', sli: '1', 'budget-remaining': '1' });
    const report = JSON.parse(readFileSync(run.outputs.report, 'utf8'));
    expect([report.slos[0].good, report.slos[0].total]).toEqual([60, 60]);
  });

  it.each([
    ['good-above-total', ratio('good-above-total')],
    ['inf', ratio('inf')],
    ['minus-inf', ['rawType: failure', `raw: ${source(part('minus-inf', 'total'))}`]],
  ])('fails on %s in every slice with the query, the count and the time', async (name, indicator) => {
    const run = await sliced(name, indicator);
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ decision: 'fail', sli: '', 'budget-remaining': '' });
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      `at ${queryTime.toISOString()} gave 60 slices with an SLI outside 0 to 1 (good above total, ±Inf or a negative error ratio); expected every slice's SLI from 0 to 1; on-error is fail`,
    );
    expect(run.errors[0]).toContain(`odd{case="${name}",part=`);
  });
});
