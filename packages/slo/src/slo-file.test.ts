import { describe, expect, it } from '@jest/globals';
import { enforceStrict, parseSloFile } from './slo-file.js';

/** An OpenSLO v1 SLO with the given time window. */
const calendarSlo = (window: string) =>
  `apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  timeWindow: [${window}]\n  indicator: {metadata: {name: i}, spec: {ratioMetric: {good: {metricSource: {spec: {query: a}}}, total: {metricSource: {spec: {query: b}}}}}}\n  objectives: [{target: 0.99}]\n`;

describe('SLO files', () => {
  it('reads OpenSLO calendar windows (v1 and v1alpha); the window input makes them rolling', () => {
    const [v1] = parseSloFile(
      calendarSlo('{duration: 1M, calendar: {startTime: "2026-01-01 00:00:00", timeZone: Europe/Paris}}'),
      'f.yaml',
    );
    expect(v1.calendar).toEqual({
      count: 1,
      unit: 'M',
      startTime: '2026-01-01 00:00:00',
      timeZone: 'Europe/Paris',
      duration: '1M',
    });
    expect(v1.windowMs).toBe(30 * 86_400_000);
    const [alpha] = parseSloFile(
      'apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: x}\nspec:\n  timeWindows: [{unit: Week, count: 2, isRolling: false, calendar: {startTime: "2026-01-05 06:00:00", timeZone: America/New_York}}]\n  objectives: [{target: 0.99, ratioMetrics: {good: {query: a}, total: {query: b}}}]\n',
      'f.yaml',
    );
    expect(alpha.calendar).toMatchObject({ count: 2, unit: 'w', duration: '2 Week' });
    const [overridden] = parseSloFile(
      calendarSlo('{duration: 1M, calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}}'),
      'f.yaml',
      { window: '7d' },
    );
    expect([overridden.calendar, overridden.windowMs]).toEqual([undefined, 7 * 86_400_000]);
  });

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

  it("reads sloth prometheus/v1 over sloth's 30d, or the window given", () => {
    const [slo] = parseSloFile(
      [
        'version: prometheus/v1',
        'service: myservice',
        'slos:',
        '  - name: requests-availability',
        '    objective: 99.9',
        '    sli:',
        '      events:',
        '        error_query: sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
        '        total_query: sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))',
      ].join('\n'),
      'sloth.yaml',
      { window: '7d' },
    );
    expect(slo).toMatchObject({
      name: 'requests-availability',
      objective: 0.999,
      windowMs: 7 * 86_400_000,
      service: 'myservice',
      alerting: { page: true, ticket: true },
      notes: [],
    });
  });

  const slothSlo = (objective: string, alerting = '') =>
    [
      'version: prometheus/v1',
      'service: api',
      'labels: { team: a }',
      'slos:',
      '  - name: availability',
      '    description: 5xx',
      `    objective: ${objective}`,
      '    sli: { events: { error_query: "sum(rate(e[{{.window}}]))", total_query: "sum(rate(t[{{.window}}]))" } }',
      ...(alerting ? [`    alerting: ${alerting}`] : []),
    ].join('\n');

  it("takes sloth's 30d period and its page/ticket alerting", () => {
    const [slo] = parseSloFile(
      slothSlo('99.9', '{ name: A, page_alert: { disable: true }, ticket_alert: { labels: { x: y } } }'),
      's.yaml',
    );
    expect(slo).toMatchObject({ windowMs: 30 * 86_400_000, alerting: { page: false, ticket: true } });
    expect(slo.sli).toEqual({
      kind: 'ratio',
      total: 'sum(rate(t[{{.window}}]))',
      errors: 'sum(rate(e[{{.window}}]))',
      good: undefined,
    });
  });

  it('notes an objective that reads like a ratio where sloth expects a percentage, and refuses it when strict', () => {
    const slos = parseSloFile(slothSlo('0.999'), 's.yaml');
    expect(slos[0].objective).toBeCloseTo(0.00999, 12);
    expect(slos[0].notes).toEqual([
      "s.yaml: at 'slos[0].objective': objective 0.999 is a percentage here (0.999%), which reads like a ratio; did you mean 99.9?",
    ]);
    expect(() => enforceStrict(slos, true)).toThrow('did you mean 99.9? (strict validation)');
    expect(enforceStrict(slos, false)).toBe(slos);
  });

  it("reads sloth's Kubernetes PrometheusServiceLevel (camelCase keys) and a raw SLI", () => {
    const slos = parseSloFile(
      [
        'apiVersion: sloth.slok.dev/v1',
        'kind: PrometheusServiceLevel',
        'metadata: { name: api, namespace: prod }',
        'spec:',
        '  service: api',
        '  slos:',
        '    - name: availability',
        '      objective: 99.5',
        '      sli: { events: { errorQuery: "sum(rate(e[{{.window}}]))", totalQuery: "sum(rate(t[{{.window}}]))" } }',
        '      alerting: { ticketAlert: { disable: true } }',
        '    - name: ratio',
        '      objective: 99',
        '      sli: { raw: { errorRatioQuery: "avg_over_time(r[{{.window}}])" } }',
      ].join('\n'),
      'k.yaml',
    );
    expect(slos.map((slo) => [slo.name, slo.objective, slo.windowMs, slo.alerting, slo.sli.kind])).toEqual([
      ['availability', 0.995, 30 * 86_400_000, { page: true, ticket: false }, 'ratio'],
      ['ratio', 0.99, 30 * 86_400_000, { page: true, ticket: true }, 'errorRatio'],
    ]);
  });

  it('reads OpenSLO v1alpha and v1 Timeslices and thresholds, and several formats in one file', () => {
    const slos = parseSloFile(
      [
        'apiVersion: openslo/v1alpha',
        'kind: SLO',
        'metadata: { name: alpha }',
        'spec:',
        '  service: api',
        '  budgetingMethod: Occurrences',
        '  timeWindows: [{ unit: Week, count: 2, isRolling: true }]',
        '  objectives:',
        '    - target: 0.995',
        '      ratioMetrics:',
        '        good: { source: prometheus, queryType: promql, query: "sum(rate(g[{{.window}}]))" }',
        '        total: { source: prometheus, queryType: promql, query: "sum(rate(t[{{.window}}]))" }',
        '---',
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata: { name: sliced }',
        'spec:',
        '  service: api',
        '  budgetingMethod: Timeslices',
        '  timeWindow: [{ duration: 1M, isRolling: true }]',
        '  indicator:',
        '    metadata: { name: latency }',
        '    spec: { thresholdMetric: { metricSource: { type: Prometheus, spec: { query: p99 } } } }',
        '  objectives: [{ op: lte, value: 0.3, target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 5m }]',
        '---',
        'slos: [{ name: own, objective: 99, total: t, good: g }]',
      ].join('\n'),
      'mixed.yaml',
    );
    expect(
      slos.map((slo) => [slo.name, slo.objective, slo.windowMs / 86_400_000, slo.budgeting, slo.sli]),
    ).toEqual([
      [
        'own',
        0.99,
        28,
        { method: 'occurrences' },
        { kind: 'ratio', total: 't', good: 'g', errors: undefined },
      ],
      [
        'sliced',
        0.99,
        30,
        { method: 'timeslices', sliceMs: 300_000, sliceTarget: 0.95 },
        { kind: 'threshold', query: 'p99', op: 'lte', value: 0.3 },
      ],
      [
        'alpha',
        0.995,
        14,
        { method: 'occurrences' },
        {
          kind: 'ratio',
          total: 'sum(rate(t[{{.window}}]))',
          good: 'sum(rate(g[{{.window}}]))',
          errors: undefined,
        },
      ],
    ]);
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
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  timeWindow: [{duration: 28d, isRolling: true}]\n  indicator: {spec: {ratioMetric: {good: {metricSource: {spec: {query: a}}}, total: {metricSource: {spec: {query: b}}}}}}\n  objectives: [{target: 99.9}]\n',
      "f.yaml: at 'spec.objectives[0].target': '99.9' is not valid; expected a fraction greater than 0 and less than 1, such as 0.999; did you mean 0.999?",
    ],
    [
      'an OpenSLO indicatorRef to nothing',
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  indicatorRef: nope\n  objectives: [{target: 0.9}]\n',
      "f.yaml: at 'spec.indicatorRef': expected the name of an SLI document in f.yaml",
    ],
    [
      'a sloth raw SLI without its query',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli: { raw: {} }\n',
      "f.yaml: at 'slos[0].sli.raw.error_ratio_query': expected an error ratio query using {{.window}}, got nothing",
    ],
    [
      'the Kubernetes spelling in a prometheus/v1 file',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli: { events: { errorQuery: a, totalQuery: b } }\n',
      "f.yaml: at 'slos[0].sli.events.errorQuery': unknown field 'errorQuery'; expected one of error_query, total_query",
    ],
    [
      'a sloth SLI plugin',
      'version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: 99\n    sli: { plugin: { id: x } }\n',
      "f.yaml: at 'slos[0].sli.plugin': sloth SLI plugins are not supported",
    ],
    [
      'an OpenSLO calendar in an unknown time zone',
      calendarSlo('{duration: 1M, calendar: {startTime: "2026-01-01 00:00:00", timeZone: Mars/Olympus}}'),
      'f.yaml: at \'spec.timeWindow[0].calendar.timeZone\': expected an IANA time zone name such as Europe/Paris or UTC, got "Mars/Olympus"',
    ],
    [
      'an OpenSLO calendar start time with a zone in it',
      calendarSlo('{duration: 1M, calendar: {startTime: "2026-01-01T00:00:00Z", timeZone: UTC}}'),
      "f.yaml: at 'spec.timeWindow[0].calendar.startTime': expected a date and time without a zone, such as 2026-01-01 00:00:00",
    ],
    [
      'OpenSLO isRolling: false without a calendar',
      calendarSlo('{duration: 1M, isRolling: false}'),
      "f.yaml: at 'spec.timeWindow[0].calendar': expected a calendar with startTime and timeZone with isRolling: false, got nothing",
    ],
    [
      'OpenSLO isRolling: true beside a calendar',
      calendarSlo(
        '{duration: 1M, isRolling: true, calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}}',
      ),
      "f.yaml: at 'spec.timeWindow[0].isRolling': expected false (or nothing) beside a calendar, got true",
    ],
    [
      'an unknown OpenSLO field',
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  timeWindow: [{duration: 28d, isRolling: true}]\n  budgetMethod: Occurrences\n  objectives: [{target: 0.99}]\n',
      "f.yaml: at 'spec.budgetMethod': unknown field 'budgetMethod'; expected one of description, service, indicator, indicatorRef, budgetingMethod",
    ],
    [
      'OpenSLO RatioTimeslices',
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  timeWindow: [{duration: 28d, isRolling: true}]\n  budgetingMethod: RatioTimeslices\n  indicator: {metadata: {name: i}, spec: {ratioMetric: {good: {metricSource: {spec: {query: a}}}, total: {metricSource: {spec: {query: b}}}}}}\n  objectives: [{target: 0.99}]\n',
      "f.yaml: at 'spec.budgetingMethod': expected Occurrences or Timeslices (RatioTimeslices is not supported by slo-gate)",
    ],
    [
      'OpenSLO v1alpha Timeslices (no slice length)',
      'apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: x}\nspec:\n  timeWindows: [{unit: Day, count: 28, isRolling: true}]\n  budgetingMethod: Timeslices\n  objectives: [{target: 0.99, timeSliceTarget: 0.9, ratioMetrics: {good: {query: a}, total: {query: b}}}]\n',
      "f.yaml: at 'spec.budgetingMethod': openslo/v1alpha defines no slice length for Timeslices",
    ],
  ])('rejects %s, naming the file, the path and what was expected', (_what, text, message) => {
    expect(() => parseSloFile(text, 'f.yaml')).toThrow(message);
  });
});
