import { describe, expect, it } from '@jest/globals';
import { parseSloFile } from './slo-file.js';

describe('SLO files', () => {
  it('reads our format with defaults, latency SLOs, keys and weights', () => {
    const slos = parseSloFile(
      [
        'service: api',
        'window: 7d',
        'slos:',
        '  - name: availability',
        '    objective: 99.9',
        '    key: true',
        '    weight: 2',
        '    total: http_requests_total{job="{{service}}"}',
        '    errors: http_requests_total{job="{{service}}",code=~"5.."}',
        '  - name: latency',
        '    objective: "99%"',
        '    window: 28d',
        '    latency: http_request_duration_seconds_bucket{job="api"}',
        '    threshold: 300ms',
      ].join('\n'),
      'slos.yaml',
    );
    expect(slos).toEqual([
      expect.objectContaining({
        name: 'availability',
        objective: 0.999,
        windowMs: 7 * 86_400_000,
        key: true,
        weight: 2,
        service: 'api',
        source: 'slos.yaml: slos[0]',
        sli: {
          kind: 'ratio',
          total: 'http_requests_total{job="{{service}}"}',
          errors: 'http_requests_total{job="{{service}}",code=~"5.."}',
          good: undefined,
        },
      }),
      expect.objectContaining({
        name: 'latency',
        objective: 0.99,
        windowMs: 28 * 86_400_000,
        sli: {
          kind: 'latency',
          histogram: 'http_request_duration_seconds_bucket{job="api"}',
          thresholdSeconds: 0.3,
        },
      }),
    ]);
  });

  it('reads OpenSLO v1 with an inline indicator, an indicatorRef and several objectives', () => {
    const slos = parseSloFile(
      [
        'apiVersion: openslo/v1',
        'kind: SLI',
        'metadata: { name: ratio }',
        'spec:',
        '  ratioMetric:',
        '    counter: true',
        '    bad: { metricSource: { type: Prometheus, spec: { query: "errors_total" } } }',
        '    total: { metricSource: { type: Prometheus, spec: { query: "requests_total" } } }',
        '---',
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata: { name: api }',
        'spec:',
        '  service: api',
        '  indicatorRef: ratio',
        '  timeWindow: [{ duration: 30d, isRolling: true }]',
        '  objectives: [{ displayName: strict, target: 0.999 }, { displayName: loose, targetPercent: 99 }]',
      ].join('\n'),
      'openslo.yaml',
    );
    expect(slos.map((slo) => [slo.name, slo.objective, slo.windowMs, slo.sli])).toEqual([
      [
        'api/strict',
        0.999,
        30 * 86_400_000,
        { kind: 'ratio', total: 'requests_total', errors: 'errors_total', good: undefined },
      ],
      [
        'api/loose',
        0.99,
        30 * 86_400_000,
        { kind: 'ratio', total: 'requests_total', errors: 'errors_total', good: undefined },
      ],
    ]);
  });

  it('reads sloth prometheus/v1, with the window from the defaults', () => {
    const [slo] = parseSloFile(
      [
        'version: prometheus/v1',
        'service: myservice',
        'slos:',
        '  - name: requests-availability',
        '    objective: 99.9',
        '    sli:',
        '      events:',
        '        errorQuery: sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
        '        totalQuery: sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))',
      ].join('\n'),
      'sloth.yaml',
      { window: '7d' },
    );
    expect(slo).toMatchObject({
      name: 'requests-availability',
      objective: 0.999,
      windowMs: 7 * 86_400_000,
      service: 'myservice',
    });
  });

  it.each([
    [
      'a file in none of the formats',
      'kind: ConfigMap\n',
      'f.yaml: not an SLO file in any known format; expected our format',
    ],
    ['broken YAML', 'slos: [\n', 'f.yaml: not valid YAML'],
    [
      'a string objective',
      'slos:\n  - { objective: high, total: a, good: b }\n',
      "f.yaml: at 'slos[0].objective': 'high' is not valid",
    ],
    [
      'good and errors together',
      'slos:\n  - { objective: 99, total: a, good: b, errors: c }\n',
      "f.yaml: at 'slos[0].good': expected exactly one",
    ],
    [
      'a latency SLO without threshold',
      'slos:\n  - { objective: 99, latency: h }\n',
      "f.yaml: at 'slos[0].threshold' is required",
    ],
    ['slos not a list', 'slos: 3\n', "f.yaml: at 'slos': expected a list of SLOs, got 3"],
    [
      'an OpenSLO target of 99',
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  indicator: {spec: {ratioMetric: {good: {metricSource: {spec: {query: a}}}, total: {metricSource: {spec: {query: b}}}}}}\n  objectives: [{target: 99}]\n',
      "f.yaml: at 'spec.objectives[0].target': '99' is not valid; expected a fraction",
    ],
    [
      'an OpenSLO indicatorRef to nothing',
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  indicatorRef: nope\n  objectives: [{target: 0.9}]\n',
      "f.yaml: at 'spec.indicatorRef': expected the name of an SLI document in f.yaml",
    ],
    [
      'a sloth raw SLI',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli: { raw: {} }\n',
      "f.yaml: at 'slos[0].sli.events': expected events",
    ],
  ])('rejects %s, naming the file, the path and what was expected', (_what, text, message) => {
    expect(() => parseSloFile(text, 'f.yaml')).toThrow(message);
  });
});
