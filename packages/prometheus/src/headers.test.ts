import { describe, expect, it } from '@jest/globals';
import { HeaderLineError, parsePrometheusHeaders } from './headers.js';

describe('Prometheus request headers', () => {
  it('reads Name: value lines, and Name=value too, with values that hold either separator', () => {
    const text = [
      'X-Scope-OrgID: tenant-1',
      '# the gateway wants its key',
      '',
      'X-Api-Key=abc==',
      'X-Forwarded-For : 10.0.0.1:8080',
    ].join('\n');
    expect(parsePrometheusHeaders(text)).toEqual({
      'X-Scope-OrgID': 'tenant-1',
      'X-Api-Key': 'abc==',
      'X-Forwarded-For': '10.0.0.1:8080',
    });
    expect(parsePrometheusHeaders('')).toEqual({});
  });

  it.each([
    ['X-Scope-OrgID tenant-1', "line 1 has no ':' between the header name and its value"],
    ['ok: 1\n: secret', 'line 2 does not start with a header name (letters, digits and -)'],
    ['X Scope: secret', 'line 1 does not start with a header name (letters, digits and -)'],
  ])('refuses %p, naming the line and never the value', (text, message) => {
    expect(() => parsePrometheusHeaders(text)).toThrow(HeaderLineError);
    expect(() => parsePrometheusHeaders(text)).toThrow(message);
    try {
      parsePrometheusHeaders(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });
});
