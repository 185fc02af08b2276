import { describe, expect, it } from '@jest/globals';
import { checkBurnRates, DEFAULT_BURN_RATE_WINDOWS, parseBurnRateWindows } from './burn-rate.js';

const H = 3_600_000;
const M = 60_000;

describe('multiwindow burn rates', () => {
  it('parses the workbook defaults', () => {
    expect(parseBurnRateWindows(DEFAULT_BURN_RATE_WINDOWS, 'x')).toEqual([
      { longMs: H, shortMs: 5 * M, factor: 14.4, severity: 'fail' },
      { longMs: 6 * H, shortMs: 30 * M, factor: 6, severity: 'fail' },
      { longMs: 72 * H, shortMs: 6 * H, factor: 1, severity: 'warn' },
    ]);
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
