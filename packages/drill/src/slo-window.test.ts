import { describe, expect, it } from '@jest/globals';
import { CANARY_DEFAULTS, parseCanaryAnalysis, parseSloFile } from '@gin-deploy/slo';
import { DrillError } from './errors.js';
import { sloChecks, windowAnalysis } from './slo-window.js';

describe('SLO under fault', () => {
  it('shifts the baseline back by the drill window and selects the app on both sides', () => {
    const spec = parseCanaryAnalysis(
      `baseline: job="api"
checks:
  - name: errors
    errorRatio: { errors: 'http_requests_total{code=~"5.."}', total: http_requests_total }
`,
      'analysis.yaml',
    );
    const shifted = windowAnalysis(spec, 42_400);
    expect(shifted.intervalMs).toBe(42_000);
    expect(shifted.canarySelector).toBe('job="api"');
    expect(shifted.checks[0].canaryQuery).not.toContain('offset');
    expect(shifted.checks[0].baselineQuery).toBe(
      spec.checks[0].baselineQuery.replaceAll('[{{interval}}]', '[{{interval}}] offset 42s'),
    );
    expect(shifted.checks[0].baselineSamples).toContain('[{{interval}}] offset 42s');
  });

  it('refuses a check it cannot shift', () => {
    const spec = parseCanaryAnalysis(
      `checks:\n  - name: up\n    query: avg(up{ {{selector}} })\n`,
      'analysis.yaml',
    );
    expect(() => windowAnalysis(spec, 10_000)).toThrow(
      "analysis.yaml: check 'up' has no [{{interval}}] range in its query, so it cannot be compared with the window before the drill",
    );
  });
});

describe('SLOs of an SLO file under fault', () => {
  const file = `service: api
window: 28d
slos:
  - name: availability
    objective: 99.9
    total: http_requests_total{job="{{service}}",namespace="{{namespace}}"}
    errors: http_requests_total{job="{{service}}",namespace="{{namespace}}",code=~"5.."}
  - name: served
    objective: 99
    total: http_requests_total{job="api"}
    good: http_requests_total{job="api",code!~"5.."}
  - name: latency
    objective: 99
    latency: http_request_duration_seconds_bucket{job="api"}
    threshold: 300ms
`;

  it("compares each SLO's bad-event ratio, allowing the relative tolerance and the error budget", () => {
    const checks = sloChecks(parseSloFile(file, 'slos.yaml'));
    expect(
      checks.map((check) => [check.name, check.direction, check.tolerance, check.absoluteTolerance]),
    ).toEqual([
      ['availability', 'lower', 0.1, 0.001],
      ['served', 'lower', 0.1, 0.01],
      ['latency', 'lower', 0.1, 0.01],
    ]);
    const total = 'sum(increase(http_requests_total{job="api",namespace="{{namespace}}"}[{{interval}}]))';
    expect(checks[0].canaryQuery).toBe(
      `(sum(increase(http_requests_total{job="api",namespace="{{namespace}}",code=~"5.."}[{{interval}}])) or vector(0)) / ${total}`,
    );
    expect(checks[0].canarySamples).toBe(total);
    expect(checks[1].canaryQuery).toBe(
      '(sum(increase(http_requests_total{job="api"}[{{interval}}])) - sum(increase(http_requests_total{job="api",code!~"5.."}[{{interval}}]))) / sum(increase(http_requests_total{job="api"}[{{interval}}]))',
    );
    const buckets = (le: string) =>
      `sum(increase(http_request_duration_seconds_bucket{job="api",le="${le}"}[{{interval}}]))`;
    expect(checks[2].canaryQuery).toBe(`(${buckets('+Inf')} - ${buckets('0.3')}) / ${buckets('+Inf')}`);
    // The comparison shifts them like any analysis check.
    const shifted = windowAnalysis({ ...CANARY_DEFAULTS, source: 'slos.yaml', checks }, 20_000);
    expect(shifted.checks[0].baselineSamples).toBe(
      total.replace('[{{interval}}]', '[{{interval}}] offset 20s'),
    );
  });

  it("reads sloth's queries written with {{.window}}", () => {
    const sloth = `version: prometheus/v1
service: api
slos:
  - name: requests
    objective: 99.5
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
`;
    const [check] = sloChecks(parseSloFile(sloth, 'sloth.yaml'));
    expect(check.canaryQuery).toBe(
      '(sum(rate(http_requests_total{code=~"5.."}[{{interval}}])) or vector(0)) / sum(rate(http_requests_total[{{interval}}]))',
    );
    expect(check.absoluteTolerance).toBe(0.005);
  });

  // The objective of a Timeslices SLO counts slices: 5% of the minutes may be bad, but a minute with more than
  // 0.1% failed requests is a bad one. Allowing the drill 5% more failed requests passed what the SLO calls bad.
  it('allows a Timeslices SLO the share of events its slice target allows, not its objective', () => {
    const openslo = `apiVersion: openslo/v1
kind: SLO
metadata: { name: minutes }
spec:
  service: api
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 28d, isRolling: true }]
  indicator:
    metadata: { name: errors }
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{code=~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: http_requests_total } } }
  objectives:
    - target: 0.95
      timeSliceTarget: 0.999
      timeSliceWindow: 1m
`;
    const [check] = sloChecks(parseSloFile(openslo, 'minutes.yaml'));
    expect([check.tolerance, check.absoluteTolerance]).toEqual([0.1, 0.001]);
  });

  it('refuses a threshold SLI, which counts evaluations', () => {
    const openslo = `apiVersion: openslo/v1
kind: SLO
metadata: { name: cpu }
spec:
  service: api
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 28d, isRolling: true }]
  indicator:
    metadata: { name: cpu }
    spec:
      thresholdMetric:
        metricSource: { type: Prometheus, spec: { query: 'avg(rate(cpu_seconds_total[1m]))' } }
  objectives:
    - op: lt
      value: 0.8
      target: 0.99
      timeSliceTarget: 0.95
      timeSliceWindow: 1m
`;
    expect(() => sloChecks(parseSloFile(openslo, 'cpu.yaml'))).toThrow(DrillError);
    expect(() => sloChecks(parseSloFile(openslo, 'cpu.yaml'))).toThrow(
      /has a threshold SLI, which counts evaluations/,
    );
  });
});
