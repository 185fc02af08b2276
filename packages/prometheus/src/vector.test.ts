import { describe, expect, it } from '@jest/globals';
import { formatLabels, parseValue, singleValue } from './vector.js';

describe('vectors', () => {
  const context = { url: 'http://p', query: 'q' };

  it('gives the one value, null for no data, and an error listing several series', () => {
    expect(singleValue([], context)).toBeNull();
    expect(singleValue([{ labels: {}, value: 3 }], context)).toBe(3);
    const several = Array.from({ length: 4 }, (_, index) => ({
      labels: { __name__: 'x', i: String(index) },
      value: index,
    }));
    expect(() => singleValue(several, context)).toThrow(
      'query \'q\' returned 4 series (x{i="0"}, x{i="1"}, x{i="2"}, …) where one was expected; aggregate it, e.g. with sum(...)',
    );
  });

  it('parses the API’s string values', () => {
    expect([parseValue('+Inf'), parseValue('-Inf'), parseValue('NaN'), parseValue('0.25')]).toEqual([
      Infinity,
      -Infinity,
      NaN,
      0.25,
    ]);
    expect(formatLabels({ a: 'b"c' })).toBe('{a="b\\"c"}');
  });
});
