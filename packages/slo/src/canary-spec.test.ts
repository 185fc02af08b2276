import { describe, expect, it } from '@jest/globals';
import { CANARY_DEFAULTS, parseCanaryAnalysis } from './canary-spec.js';

describe('canary analysis specs', () => {
  it('fills the defaults and builds error-ratio and latency queries around {{selector}}', () => {
    const spec = parseCanaryAnalysis(
      [
        'checks:',
        '  - errorRatio: { errors: \'http_requests_total{app="{{app}}",code=~"5.."}\', total: \'http_requests_total{app="{{app}}"}\' }',
        '  - latency: { histogram: h_bucket, quantile: 0.95 }',
        '    tolerance: 20%',
      ].join('\n'),
      'a.yaml',
    );
    expect(spec).toMatchObject({ ...CANARY_DEFAULTS, source: 'a.yaml' });
    expect(spec.checks[0]).toEqual({
      name: 'error-ratio',
      direction: 'lower',
      tolerance: 0.1,
      absoluteTolerance: 0,
      canaryQuery:
        '(sum(rate(http_requests_total{app="{{app}}",code=~"5..",{{selector}}}[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{app="{{app}}",{{selector}}}[{{interval}}]))',
      baselineQuery:
        '(sum(rate(http_requests_total{app="{{app}}",code=~"5..",{{selector}}}[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{app="{{app}}",{{selector}}}[{{interval}}]))',
      canarySamples: 'sum(increase(http_requests_total{app="{{app}}",{{selector}}}[{{interval}}]))',
      baselineSamples: 'sum(increase(http_requests_total{app="{{app}}",{{selector}}}[{{interval}}]))',
      ratio: true,
    });
    expect(spec.checks[1].ratio).toBeUndefined();
    expect(spec.checks[1]).toMatchObject({
      name: 'latency-p95',
      tolerance: 0.2,
      canaryQuery: 'histogram_quantile(0.95, sum by (le) (rate(h_bucket{{{selector}}}[{{interval}}])))',
      canarySamples: 'sum(increase(h_bucket{{{selector}},le="+Inf"}[{{interval}}]))',
    });
  });

  it('reads JSON, explicit settings and query sets', () => {
    const spec = parseCanaryAnalysis(
      JSON.stringify({
        interval: '10m',
        step: '30s',
        minIntervals: 5,
        alpha: 0.01,
        minSamples: 10,
        tolerance: '5%',
        canary: 'version="v2"',
        baseline: 'version="v1"',
        checks: [
          { name: 'cpu', canaryQuery: 'a', baselineQuery: 'b', direction: 'higher', absoluteTolerance: 0.5 },
        ],
      }),
      'a.json',
    );
    expect(spec).toMatchObject({
      intervalMs: 600_000,
      stepMs: 30_000,
      minIntervals: 5,
      alpha: 0.01,
      minSamples: 10,
      tolerance: 0.05,
    });
    expect(spec.checks[0]).toMatchObject({
      name: 'cpu',
      canaryQuery: 'a',
      baselineQuery: 'b',
      direction: 'higher',
      absoluteTolerance: 0.5,
    });
  });

  it.each([
    ['checks: []', "a.yaml: at 'checks': expected at least one check"],
    ['interval: soon\nchecks: [{query: x}]', "a.yaml: at 'interval': expected a duration"],
    [
      'checks: [{query: x, latency: {histogram: h}}]',
      "a.yaml: at 'checks[0]': expected exactly one of errorRatio, latency, query",
    ],
    [
      'checks: [{latency: {histogram: h, quantile: 99}}]',
      "a.yaml: at 'checks[0].latency.quantile': expected a quantile between 0 and 1",
    ],
    ['checks: [{query: x, direction: up}]', "a.yaml: at 'checks[0].direction': expected 'lower' or 'higher'"],
    [
      'checks: [{name: a, query: x}, {name: a, query: y}]',
      "a.yaml: at 'checks[1].name': expected a name not used by another check",
    ],
    [
      'checks: [{errorRatio: {errors: "sum(x)", total: y}}]',
      "a.yaml: at 'checks[0]': 'sum(x)' is not a series selector",
    ],
    ['- 1', "a.yaml: at '(top)': expected a canary analysis mapping"],
  ])('rejects %p with the path and what was expected', (text, message) => {
    expect(() => parseCanaryAnalysis(text, 'a.yaml')).toThrow(message);
  });
});
