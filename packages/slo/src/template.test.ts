import { describe, expect, it } from '@jest/globals';
import { addMatchers, hasPlaceholder, located, QueryTemplateError, renderTemplate } from './template.js';

describe('query templates', () => {
  it('replaces {{name}}, {{ name }} and sloth-style {{.name}}', () => {
    expect(
      renderTemplate('a{s="{{service}}"}[{{ window }}] {{.window}}', { service: 'api', window: '5m' }),
    ).toBe('a{s="api"}[5m] 5m');
    expect(hasPlaceholder('x[{{.window}}]', 'window')).toBe(true);
    expect(hasPlaceholder('x[5m]', 'window')).toBe(false);
  });

  it('names an unknown placeholder and the known ones, said where the caller places it', () => {
    expect(() => renderTemplate('{{app}}', { window: '1h' })).toThrow(QueryTemplateError);
    expect(() => located("input 'total-query'", () => renderTemplate('{{app}}', { window: '1h' }))).toThrow(
      "input 'total-query': '{{app}}' has no value; known placeholders: {{window}}",
    );
  });

  it('adds matchers to plain selectors only', () => {
    expect(addMatchers('x_total', 'le="1"')).toBe('x_total{le="1"}');
    expect(addMatchers('x_total{a="b", }', 'le="1"')).toBe('x_total{a="b",le="1"}');
    expect(addMatchers('{__name__="x"}', '{{selector}}')).toBe('{__name__="x",{{selector}}}');
    expect(() => located("input 'latency-query'", () => addMatchers('sum(x)', 'le="1"'))).toThrow(
      /^input 'latency-query': 'sum\(x\)' is not a series selector/,
    );
  });
});
