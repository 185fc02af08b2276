import { describe, expect, it } from '@jest/globals';
import {
  BurnRateWindowsError,
  checkBurnRates,
  defaultBurnRateWindows,
  parseBurnRateWindows,
} from './burn-rate.js';

const H = 3_600_000;
const M = 60_000;

describe('multiwindow burn rates', () => {
  it('parses window pairs', () => {
    expect(parseBurnRateWindows('1h/5m:14.4, 6h/30m:6, 3d/6h:1:warn')).toEqual([
      { longMs: H, shortMs: 5 * M, factor: 14.4, severity: 'fail' },
      { longMs: 6 * H, shortMs: 30 * M, factor: 6, severity: 'fail' },
      { longMs: 72 * H, shortMs: 6 * H, factor: 1, severity: 'warn' },
    ]);
  });

  it('derives the factors from the period as sloth does (budget share × period ÷ long window)', () => {
    const factors = (days: number) => defaultBurnRateWindows(days * 24 * H).map((pair) => pair.factor);
    expect(factors(30)).toEqual([14.4, 6, 3, 1]);
    expect(factors(28)).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect(factors(90)).toEqual([43.2, 18, 9, 3]);
    expect(defaultBurnRateWindows(30 * 24 * H)).toEqual([
      { longMs: H, shortMs: 5 * M, factor: 14.4, severity: 'fail' },
      { longMs: 6 * H, shortMs: 30 * M, factor: 6, severity: 'fail' },
      { longMs: 24 * H, shortMs: 2 * H, factor: 3, severity: 'warn' },
      { longMs: 72 * H, shortMs: 6 * H, factor: 1, severity: 'warn' },
    ]);
    // sloth's alerting: a disabled page alert leaves only the warnings, a disabled ticket only the failures.
    const severities = (page: boolean, ticket: boolean) =>
      defaultBurnRateWindows(30 * 24 * H, { page, ticket }).map((pair) => pair.severity);
    expect(severities(false, true)).toEqual(['warn', 'warn']);
    expect(severities(true, false)).toEqual(['fail', 'fail']);
  });

  it("leaves out pairs whose factor is below 1 outside sloth's 28d and 30d: they would fire under the budget's pace", () => {
    const factors = (hours: number) => defaultBurnRateWindows(hours * H).map((pair) => pair.factor);
    // 7d: the 1d/2h pair would be 0.7 and the 3d/6h one 0.233.
    expect(factors(7 * 24)).toEqual([3.36, 1.4]);
    // 29d (a leap February): the 3d/6h pair would be 0.966…; sloth's 28d keeps its 0.933 as sloth does.
    expect(factors(29 * 24)).toEqual([13.92, 5.8, 2.9]);
    expect(factors(3 * 24)).toEqual([1.44]);
    // Under 50h even 2% of the budget in 1h is a burn below 1: the budget alone is judged.
    expect(factors(49)).toEqual([]);
    expect(factors(24)).toEqual([]);
    expect(factors(12)).toEqual([]);
    expect(factors(1)).toEqual([]);
  });

  it.each(['1h:14.4', '1h/5x:2', '5m/1h:2', '1h/5m:0', '1h/5m:2:page', ''])(
    'rejects %p with an error naming the entry',
    (text) => {
      expect(() => parseBurnRateWindows(text)).toThrow(BurnRateWindowsError);
      expect(() => parseBurnRateWindows(text)).toThrow(
        text === ''
          ? /^no windows given; expected entries like 1h\/5m:14.4/
          : `'${text}' is not valid; expected entries like 1h/5m:14.4 or 3d/6h:1:warn (long/short window:factor[:warn|fail])`,
      );
    },
  );

  it('fires only when the short window confirms the long one', () => {
    const windows = parseBurnRateWindows('1h/5m:14.4, 6h/30m:6');
    const rates = new Map<number, number | null>([
      [H, 20],
      [5 * M, 2],
      [6 * H, 7],
      [30 * M, 7],
    ]);
    expect(checkBurnRates(windows, rates).map((check) => [check.window, check.firing])).toEqual([
      ['1h/5m', false],
      ['6h/30m', true],
    ]);
    expect(checkBurnRates(windows, new Map([[H, 20]]))[0]).toMatchObject({
      long: 20,
      short: null,
      firing: false,
    });
  });
});
