/** The highest request rate (requests per second) of the day that ends at `time` (unix seconds). */
export interface DailyPeak {
  time: number;
  peak: number;
}

/** y = intercept + slope × t, t in unix seconds; slope in requests per second per second. */
export interface LinearFit {
  slope: number;
  intercept: number;
}

export const DAY_S = 86_400;

/**
 * Ordinary least squares over (time, value) points, the fit Prometheus' `predict_linear` makes
 * (promql/functions.go `linearRegression`). Undefined with fewer than two distinct times.
 */
export function leastSquares(points: [number, number][]): LinearFit | undefined {
  if (points.length < 2) return undefined;
  // Centred on the first time: unix seconds squared lose precision in doubles.
  const origin = points[0][0];
  const n = points.length;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumX2 = 0;
  for (const [time, value] of points) {
    const x = time - origin;
    sumX += x;
    sumY += value;
    sumXY += x * value;
    sumX2 += x * x;
  }
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  if (varX === 0) return undefined;
  const slope = covXY / varX;
  return { slope, intercept: sumY / n - (slope * sumX) / n - slope * origin };
}

export function valueAt(fit: LinearFit, time: number): number {
  return fit.intercept + fit.slope * time;
}

export interface PeakForecast {
  /** The trend of the daily peaks. */
  fit: LinearFit;
  /** Daily peaks the fit was made from. */
  days: number;
  /** The trend's highest daily peak over the horizon, before the event multiplier (requests/s, ≥ 0). */
  trendPeak: number;
  /** trendPeak × multiplier. */
  peak: number;
}

/**
 * Forecasts the peak request rate of the next `horizonS` seconds after `now` from daily peaks: the
 * least-squares trend of the peaks of the days ending in (now − lookback, now], at its highest over the
 * horizon's days (a line peaks at one end: the first day after now or the horizon's last), times
 * `multiplier` for a known event. Undefined with fewer than two daily peaks.
 */
export function forecastPeak(
  peaks: DailyPeak[],
  now: number,
  lookbackS: number,
  horizonS: number,
  multiplier = 1,
): PeakForecast | undefined {
  const used = peaks.filter((day) => day.time > now - lookbackS && day.time <= now);
  const fit = leastSquares(used.map((day) => [day.time, day.peak]));
  if (fit === undefined) return undefined;
  const first = valueAt(fit, now + Math.min(DAY_S, horizonS));
  const last = valueAt(fit, now + horizonS);
  const trendPeak = Math.max(0, first, last);
  return { fit, days: used.length, trendPeak, peak: trendPeak * multiplier };
}

export interface ForecastCheck {
  /** When the checked forecast was made: one horizon before now (unix seconds). */
  madeAt: number;
  /** What the method forecast then for the horizon that has now passed (requests/s). */
  forecast: number;
  /** The highest daily peak seen over that horizon (requests/s). */
  actual: number;
  /** (forecast − actual) / actual: negative when the forecast was short of the real peak. */
  error: number;
}

/**
 * The forecast error on the period that just ended: the forecast the same method would have made one horizon
 * ago (from the lookback before it, without an event multiplier) against the actual peak since then.
 * Undefined when the history before then is too short or the period has no peak.
 */
export function forecastCheck(
  peaks: DailyPeak[],
  now: number,
  lookbackS: number,
  horizonS: number,
): ForecastCheck | undefined {
  const madeAt = now - horizonS;
  const then = forecastPeak(peaks, madeAt, lookbackS, horizonS);
  const since = peaks.filter((day) => day.time > madeAt && day.time <= now).map((day) => day.peak);
  if (then === undefined || since.length === 0) return undefined;
  const actual = Math.max(...since);
  if (!(actual > 0)) return undefined;
  return { madeAt, forecast: then.peak, actual, error: (then.peak - actual) / actual };
}
