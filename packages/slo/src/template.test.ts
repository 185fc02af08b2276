import { describe, expect, it } from '@jest/globals';
import { addMatchers, hasPlaceholder, renderTemplate } from './template.js';

describe('query templates', () => {
  it('replaces {{name}}, {{ name }} and sloth-style {{.name}}', () => {
    expect(
      renderTemplate('a{s="{{service}}"}[{{ window }}] {{.window}}', { service: 'api', window: '5m' }, 'q'),
    ).toBe('a{s="api"}[5m] 5m');
    expect(hasPlaceholder('x[{{.window}}]', 'window')).toBe(true);
    expect(hasPlaceholder('x[5m]', 'window')).toBe(false);
  });

  it('names an unknown placeholder and the known ones', () => {
    expect(() => renderTemplate('{{app}}', { window: '1h' }, "input 'total-query'")).toThrow(
      "input 'total-query': '{{app}}' has no value; known placeholders: {{window}}",
    );
  });

  it('adds matchers to plain selectors only', () => {
    expect(addMatchers('x_total', 'le="1"', 'q')).toBe('x_total{le="1"}');
    expect(addMatchers('x_total{a="b", }', 'le="1"', 'q')).toBe('x_total{a="b",le="1"}');
    expect(addMatchers('{__name__="x"}', '{{selector}}', 'q')).toBe('{__name__="x",{{selector}}}');
    expect(() => addMatchers('sum(x)', 'le="1"', "input 'latency-query'")).toThrow(
      /^input 'latency-query': 'sum\(x\)' is not a series selector/,
    );
  });
});
