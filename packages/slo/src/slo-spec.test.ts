import { describe, expect, it } from '@jest/globals';
import { parseObjectivePercent, parseThresholdSeconds, parseWindow, SloFieldError } from './slo-spec.js';

/** The error a parse throws, as the reader of the inputs or a file says it at the field's place. */
function said(parse: () => unknown, where: string): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof SloFieldError) return error.at(where);
    throw error;
  }
  throw new Error('no error');
}

describe('SLO fields', () => {
  it('reads objectives as percentages', () => {
    expect(parseObjectivePercent('99.95')).toBe(0.9995);
    expect(parseObjectivePercent('99.9%')).toBe(0.999);
    expect(parseObjectivePercent('50')).toBe(0.5);
  });

  it.each(['100', '0', 'abc', '-1', '100.5', '99.9.9', ''])(
    'rejects objective %p with a field error its reader places',
    (text) => {
      expect(() => parseObjectivePercent(text)).toThrow(SloFieldError);
      expect(said(() => parseObjectivePercent(text), "input 'objective'")).toBe(
        `input 'objective': '${text}' is not valid; expected a percentage greater than 0 and less than 100, such as 99.9`,
      );
    },
  );

  it('reads windows and thresholds', () => {
    expect(parseWindow('28d')).toBe(28 * 86_400_000);
    expect(said(() => parseWindow('28x'), "input 'window'")).toMatch(
      /^input 'window': '28x' is not valid; expected a duration/,
    );
    expect(() => parseWindow('30s')).toThrow(/at least 1m/);
    expect(parseThresholdSeconds('300ms')).toBe(0.3);
    expect(parseThresholdSeconds('0.25')).toBe(0.25);
    expect(said(() => parseThresholdSeconds('fast'), "input 'threshold'")).toMatch(
      /^input 'threshold': 'fast' is not valid/,
    );
  });
});
