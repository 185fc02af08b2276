import { describe, expect, it } from '@jest/globals';
import { parseObjectivePercent, parseThresholdSeconds, parseWindow } from './slo-spec.js';

describe('SLO fields', () => {
  it('reads objectives as percentages', () => {
    expect(parseObjectivePercent('99.95', 'x')).toBe(0.9995);
    expect(parseObjectivePercent('99.9%', 'x')).toBe(0.999);
    expect(parseObjectivePercent('50', 'x')).toBe(0.5);
  });

  it.each(['100', '0', 'abc', '-1', '100.5', '99.9.9', ''])(
    'rejects objective %p naming where it came from',
    (text) => {
      expect(() => parseObjectivePercent(text, "input 'objective'")).toThrow(
        `input 'objective': '${text}' is not valid; expected a percentage greater than 0 and less than 100, such as 99.9`,
      );
    },
  );

  it('reads windows and thresholds', () => {
    expect(parseWindow('28d', 'x')).toBe(28 * 86_400_000);
    expect(() => parseWindow('28x', "input 'window'")).toThrow(
      "input 'window': '28x' is not valid; expected a duration",
    );
    expect(() => parseWindow('30s', 'w')).toThrow(/at least 1m/);
    expect(parseThresholdSeconds('300ms', 'x')).toBe(0.3);
    expect(parseThresholdSeconds('0.25', 'x')).toBe(0.25);
    expect(() => parseThresholdSeconds('fast', "input 'threshold'")).toThrow(
      /^input 'threshold': 'fast' is not valid/,
    );
  });
});
