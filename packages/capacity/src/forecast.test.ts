import { describe, expect, it } from '@jest/globals';
import { DAY_S, forecastCheck, forecastPeak, leastSquares, valueAt } from './forecast.js';

const now = 1_767_225_600; // 2026-01-01T00:00:00Z
const daily = (count: number, peak: (day: number) => number) =>
  Array.from({ length: count }, (_, index) => {
    const day = index - count + 1; // …, -1, 0: the last day ends at now
    return { time: now + day * DAY_S, peak: peak(day) };
  });

describe('the demand forecast', () => {
  it('fits the least-squares line predict_linear fits', () => {
    const fit = leastSquares([
      [now, 10],
      [now + 100, 30],
      [now + 200, 50],
    ]);
    expect(fit?.slope).toBeCloseTo(0.2, 12);
    expect(valueAt(fit!, now + 300)).toBeCloseTo(70, 9);
    expect(leastSquares([[now, 1]])).toBeUndefined();
    expect(
      leastSquares([
        [now, 1],
        [now, 2],
      ]),
    ).toBeUndefined();
  });

  it('forecasts the trend of the daily peaks at the horizon end, times the event multiplier', () => {
    // 100 req/s today, 2 more each day: 114 at the end of a 7 day horizon.
    const peaks = daily(28, (day) => 100 + 2 * day);
    const forecast = forecastPeak(peaks, now, 28 * DAY_S, 7 * DAY_S, 1.5);
    expect(forecast?.days).toBe(28);
    expect(forecast?.trendPeak).toBeCloseTo(114, 9);
    expect(forecast?.peak).toBeCloseTo(171, 9);
    // A falling trend peaks on the first day after now.
    expect(
      forecastPeak(
        daily(28, (day) => 100 - day),
        now,
        28 * DAY_S,
        7 * DAY_S,
      )?.peak,
    ).toBeCloseTo(99, 9);
    // Only the lookback's days count.
    expect(
      forecastPeak(
        daily(35, (day) => (day < -27 ? 1000 : 50)),
        now,
        28 * DAY_S,
        7 * DAY_S,
      )?.peak,
    ).toBeCloseTo(50, 9);
    expect(
      forecastPeak(
        daily(1, () => 5),
        now,
        28 * DAY_S,
        7 * DAY_S,
      ),
    ).toBeUndefined();
  });

  it('checks the forecast made one horizon ago against the peak seen since', () => {
    // Flat 100 until a week ago, then a 125 peak three days ago.
    const peaks = daily(21, (day) => (day === -3 ? 125 : 100));
    const check = forecastCheck(peaks, now, 14 * DAY_S, 7 * DAY_S);
    expect(check).toEqual({ madeAt: now - 7 * DAY_S, forecast: 100, actual: 125, error: -0.2 });
    expect(
      forecastCheck(
        daily(7, () => 1),
        now,
        14 * DAY_S,
        7 * DAY_S,
      ),
    ).toBeUndefined();
  });
});
