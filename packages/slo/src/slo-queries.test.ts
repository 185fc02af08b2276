import { describe, expect, it } from '@jest/globals';
import { countsFromSamples } from './measure.js';
import { bucketMatchers, parseLe } from './histogram-buckets.js';
import { countExpression, windowQuery } from './slo-queries.js';
import type { SloSpec } from './slo-spec.js';

const slo = (sli: SloSpec['sli']): SloSpec => ({
  name: 'a',
  objective: 0.99,
  windowMs: 7 * 86_400_000,
  alerting: { page: true, ticket: true },
  budgeting: { method: 'occurrences' },
  notes: [],
  sli,
  key: false,
  weight: 1,
  service: 'api',
  source: 'inputs',
});

describe('SLO queries', () => {
  it('wraps counter selectors and renders {{window}} queries as written', () => {
    expect(countExpression('x_total{job="{{service}}"}', 3_600_000, { service: 'api' }, 'q')).toBe(
      'sum(increase(x_total{job="api"}[1h]))',
    );
    expect(countExpression('sum(rate(x_total[{{ window }}]))', 300_000, {}, 'q')).toBe(
      'sum(rate(x_total[5m]))',
    );
    expect(() => countExpression('sum(x_total)', 300_000, {}, "input 'total-query'")).toThrow(
      /^input 'total-query': 'sum\(x_total\)' is neither a counter selector nor a query using \{\{window\}\}/,
    );
    expect(() => countExpression('x{a="{{nope}}"}', 300_000, {}, 'q')).toThrow("q: '{{nope}}' has no value");
  });

  it('asks for every part of an SLI in one query per window', () => {
    expect(windowQuery(slo({ kind: 'ratio', total: 't', errors: 'e' }), 300_000, {})).toEqual({
      query:
        'label_replace(sum(increase(t[5m])), "slo_part", "total", "", "") or label_replace(sum(increase(e[5m])), "slo_part", "errors", "", "")',
      parts: ['total', 'errors'],
    });
    expect(
      windowQuery(
        slo({ kind: 'latency', histogram: 'h_bucket{job="{{service}}"}', thresholdSeconds: 0.25 }),
        3_600_000,
        {},
        bucketMatchers(['0.25', '0.250', '+Inf'], 0.25, 'x'),
      ).query,
    ).toBe(
      'label_replace(sum(increase(h_bucket{job="api",le="+Inf"}[1h])), "slo_part", "total", "", "") or label_replace(sum(increase(h_bucket{job="api",le=~`0\\.25|0\\.250`}[1h])), "slo_part", "good", "", "")',
    );
  });

  it('matches every spelling of the threshold bound and of +Inf, and refuses a threshold that is no bound', () => {
    expect(parseLe('1e+00')).toBe(1);
    expect(parseLe('+Inf')).toBe(Infinity);
    expect(parseLe('Inf')).toBe(Infinity);
    expect(bucketMatchers(['0.1', '0.3', '+Inf'], 0.3, 'x')).toEqual({
      bound: '0.3',
      good: 'le="0.3"',
      total: 'le="+Inf"',
    });
    expect(bucketMatchers(['0.5', '1', '1.0', '1e+00', '+Inf', 'Inf'], 1, 'x')).toEqual({
      bound: '1',
      good: 'le=~`1|1\\.0|1e\\+00`',
      total: 'le=~`\\+Inf|Inf`',
    });
    expect(bucketMatchers([], 0.3, 'x')).toBeUndefined();
    expect(() => bucketMatchers(['0.1', '0.25', '0.5', '+Inf'], 0.3, 'SLO a')).toThrow(
      'SLO a: the threshold 0.3s is no bucket bound of the histogram; expected one of its bounds: 0.1, 0.25, 0.5, +Inf',
    );
    expect(() => bucketMatchers(['0.3'], 0.3, 'SLO a')).toThrow('no +Inf bucket');
  });

  it('reads the parts back, with a missing error series counting as no errors', () => {
    const context = { url: 'http://p', query: 'q', time: new Date('2026-01-31T12:00:00Z') };
    const sample = (part: string, value: number, extra: Record<string, string> = {}) => ({
      labels: { slo_part: part, ...extra },
      value,
    });
    expect(
      countsFromSamples([sample('total', 100), sample('errors', 3)], ['total', 'errors'], context),
    ).toEqual({ good: 97, total: 100 });
    expect(countsFromSamples([sample('total', 100)], ['total', 'errors'], context)).toEqual({
      good: 100,
      total: 100,
    });
    expect(countsFromSamples([sample('total', 100)], ['total', 'good'], context)).toBeNull();
    expect(countsFromSamples([sample('errors', 1)], ['total', 'errors'], context)).toBeNull();
    expect(() =>
      countsFromSamples(
        [sample('total', 1, { code: '200' }), sample('total', 2, { code: '500' })],
        ['total', 'good'],
        context,
      ),
    ).toThrow(
      'query \'q\' returned 2 series ({slo_part="total", code="200"}, {slo_part="total", code="500"}) where one was expected',
    );
  });

  it('refuses values no count can hold, naming the query, the value and the time', () => {
    const context = { url: 'http://p', query: 'q', time: new Date('2026-01-31T12:00:00Z') };
    const parts = (total: number, good: number) => [
      { labels: { slo_part: 'total' }, value: total },
      { labels: { slo_part: 'good' }, value: good },
    ];
    const read = (total: number, good: number) => () =>
      countsFromSamples(parts(total, good), ['total', 'good'], context);
    expect(read(NaN, 1)).toThrow(
      "query 'q' at 2026-01-31T12:00:00.000Z gave NaN for total events; expected a finite count of events, 0 or more",
    );
    expect(read(100, Infinity)).toThrow('gave +Inf for good events');
    expect(read(-Infinity, 1)).toThrow('gave -Inf for total events');
    expect(read(-5, 0)).toThrow('gave -5 for total events');
    expect(read(100, 101)).toThrow(
      'gave good 101 > total 100; expected good events to be at most all events',
    );
    // Float noise from separate extrapolation is not a broken query.
    expect(read(100, 100 * (1 + 1e-12))()).toEqual({ good: 100, total: 100 });
  });
});
