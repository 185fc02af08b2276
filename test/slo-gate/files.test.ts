// SLO files as teams already write them (sloth, OpenSLO, ours) over 31 days of generated history: the file
// decides its period and alerting, and the numbers match PromQL over the generated counters.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { sloFiles } from './files.js';
import { asOutput, counter, expected, MINUTE, toSeries, type Counter } from './history.js';

const DAY = 24 * 60 * MINUTE;
const SPAN = 31 * DAY;

/** 1000 requests a minute; errors(m) of them fail, m minutes before the last sample. */
function service(name: string, errors: (minutesBeforeEnd: number) => number) {
  const ok = counter({ service: name, code: '200' }, SPAN, 5_000_000, (m) => 1000 - errors(m));
  const bad = counter({ service: name, code: '500' }, SPAN, 1_000, errors);
  return { ok, bad, all: [ok, bad] as Counter[] };
}

// A 14× burn of a 99.9% budget (1.4% errors) over the last 90 minutes, nothing before: sloth pages on it
// with a 28d period (factor 13.44) and does not with its default 30d (factor 14.4).
const burst = service('burst', (m) => (m < 90 ? 14 : 0));

let prometheus: RunningPrometheus;
const { write, gate } = sloFiles(() => prometheus.url);
const report = (run: { outputs: Record<string, string> }) =>
  JSON.parse(readFileSync(run.outputs.report, 'utf8'));

beforeAll(async () => {
  prometheus = await startPrometheus(toSeries('http_requests_total', [...burst.all]));
}, 600_000);

afterAll(async () => {
  await prometheus?.stop();
});

const opensloBurst = (window: string) => [
  'apiVersion: openslo/v1',
  'kind: SLO',
  'metadata: { name: burst-availability }',
  'spec:',
  '  service: burst',
  `  timeWindow: [{ duration: ${window}, isRolling: true }]`,
  '  budgetingMethod: Occurrences',
  '  objectives: [{ target: 0.999 }]',
  '  indicator:',
  '    metadata: { name: burst-errors }',
  '    spec:',
  '      ratioMetric:',
  '        counter: true',
  '        bad: { metricSource: { type: Prometheus, spec: { query: \'http_requests_total{service="burst",code="500"}\' } } }',
  '        total: { metricSource: { type: Prometheus, spec: { query: \'http_requests_total{service="burst"}\' } } }',
];

describe('the file decides its period and its burn-rate factors', () => {
  it('judges an OpenSLO SLO over its own 30d timeWindow, where a 14× burn stays under the page factor 14.4', async () => {
    const run = await gate(write('burst-30d.yaml', opensloBurst('30d')));
    const want = expected(burst.all, [burst.bad], 0.999, 30 * DAY);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.decision).toBe('pass');
    expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
    // 1260 errors of 43.2 million requests against a 0.1% budget (increase() extrapolates the edges a little).
    expect(Number(run.outputs['budget-remaining'])).toBeCloseTo(1 - 1260 / 43_200, 5);
    expect(run.outputs['burn-rate']).toBe('14');
    const [slo] = report(run).slos;
    expect(slo.window).toBe('30d');
    expect(slo.burnRates.map((check: { factor: number }) => check.factor)).toEqual([14.4, 6, 3, 1]);
  });

  it('pages on the same burn under a 28d period (13.44), from the file or from the window input', async () => {
    const fromFile = await gate(write('burst-28d.yaml', opensloBurst('28d')));
    const overridden = await gate('burst-30d.yaml', { window: '28d' });
    const want = expected(burst.all, [burst.bad], 0.999, 28 * DAY);
    for (const run of [fromFile, overridden]) {
      expect(run.exitCode).toBe(1);
      expect(run.outputs.decision).toBe('fail');
      expect(run.outputs['budget-remaining']).toBe(asOutput(want.budgetRemaining));
      expect(run.errors[0]).toContain('burn rate 14 over 1h confirmed by 14 over 5m is at least 13.44');
      expect(report(run).slos[0].window).toBe('28d');
    }
  });

  it('takes explicit burn-rate-windows over the derived ones', async () => {
    const run = await gate('burst-28d.yaml', { 'burn-rate-windows': '1h/5m:14.4' });
    expect([run.exitCode, run.outputs.decision]).toEqual([0, 'pass']);
  });
});
