import { describe, expect, it } from '@jest/globals';
import { checkBurnRates, defaultBurnRateWindows, parseBurnRateWindows } from './burn-rate.js';

const H = 3_600_000;
const M = 60_000;

describe('multiwindow burn rates', () => {
  it('parses window pairs', () => {
    expect(parseBurnRateWindows('1h/5m:14.4, 6h/30m:6, 3d/6h:1:warn', 'x')).toEqual([
      { longMs: H, shortMs: 5 * M, factor: 14.4, severity: 'fail' },
      { longMs: 6 * H, shortMs: 30 * M, factor: 6, severity: 'fail' },
      { longMs: 72 * H, shortMs: 6 * H, factor: 1, severity: 'warn' },
    ]);
  });

  it('derives the factors from the period as sloth does (budget share × period ÷ long window)', () => {
    const factors = (days: number) => defaultBurnRateWindows(days * 24 * H).map((pair) => pair.factor);
    expect(factors(30)).toEqual([14.4, 6, 3, 1]);
    expect(factors(28)).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect(factors(7)).toEqual([3.36, 1.4, 0.7]);
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
    // A long window longer than a seventh of the period leaves its pair out.
    expect(defaultBurnRateWindows(12 * H).map((pair) => pair.longMs)).toEqual([H]);
    expect(defaultBurnRateWindows(H)).toEqual([]);
  });

  it.each(['1h:14.4', '1h/5x:2', '5m/1h:2', '1h/5m:0', '1h/5m:2:page', ''])(
    'rejects %p naming the input',
    (text) => {
      expect(() => parseBurnRateWindows(text, "input 'burn-rate-windows'")).toThrow(
        /^input 'burn-rate-windows': /,
      );
    },
  );

  it('fires only when the short window confirms the long one', () => {
    const windows = parseBurnRateWindows('1h/5m:14.4, 6h/30m:6', 'x');
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
