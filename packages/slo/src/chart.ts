import { xyChart } from '@gin-deploy/action';
import type { WindowCounts } from './budget.js';

export interface ConsumptionPoint {
  /** Unix seconds at the end of the step. */
  time: number;
  counts: WindowCounts | null;
}

/**
 * The share of the whole window's error budget consumed up to each step: cumulative bad events over the bad
 * events the objective allows for all events in the window. The last point is 1 − budget remaining.
 */
export function budgetConsumption(points: ConsumptionPoint[], objective: number): number[] {
  const total = points.reduce((sum, point) => sum + (point.counts?.total ?? 0), 0);
  const allowed = total * (1 - objective);
  let bad = 0;
  return points.map((point) => {
    if (point.counts) bad += point.counts.total - point.counts.good;
    return allowed > 0 ? bad / allowed : 0;
  });
}

/** Steps for the chart: about 30 of them, each a whole number of minutes. */
export function chartStepMs(windowMs: number): number {
  for (const count of [28, 30, 24, 21, 20, 14, 12, 10, 7]) {
    if (windowMs % (count * 60_000) === 0) return windowMs / count;
  }
  return Math.max(60_000, Math.floor(windowMs / 30 / 60_000) * 60_000);
}

/** A Mermaid xychart-beta block (GitHub renders it in job summaries): consumed budget against an even pace. */
export function consumptionChart(title: string, points: ConsumptionPoint[], consumed: number[]): string {
  const spanDays = points.length > 1 ? (points[points.length - 1].time - points[0].time) / 86400 : 0;
  const label = (time: number) => {
    const iso = new Date(time * 1000).toISOString();
    if (spanDays >= 20) return iso.slice(5, 10);
    return spanDays >= 2 ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}h` : iso.slice(11, 16);
  };
  const percents = consumed.map((value) => Number((value * 100).toFixed(2)));
  const even = points.map((_, index) => Number((((index + 1) / points.length) * 100).toFixed(2)));
  const top = Math.max(100, Math.ceil(Math.max(...percents, 0) / 10) * 10);
  return xyChart({
    title,
    labels: points.map((point) => label(point.time)),
    axis: 'budget consumed (%)',
    top,
    series: [
      { kind: 'line', values: percents },
      { kind: 'line', values: even },
    ],
  });
}
