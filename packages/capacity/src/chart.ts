import { xyChart } from '@gin-deploy/action';
import { DAY_S, valueAt, type DailyPeak, type LinearFit } from './forecast.js';

const round = (value: number): number => Number(value.toFixed(2));

/**
 * A Mermaid xychart-beta block (GitHub renders it in job summaries), one column per day of the lookback and
 * horizon: the daily peaks as bars (0 ahead of now), the trend (× multiplier over the horizon) as the first
 * line, the supply's capacity (usable replicas × per-replica capacity) as the second.
 */
export function demandChart(options: {
  title: string;
  peaks: DailyPeak[];
  now: number;
  lookbackS: number;
  horizonS: number;
  fit: LinearFit;
  multiplier: number;
  capacity: number;
}): string {
  const { now, fit } = options;
  const times: number[] = [];
  for (let time = now - options.lookbackS + DAY_S; time <= now + options.horizonS; time += DAY_S)
    times.push(time);
  const peakAt = new Map(options.peaks.map((day) => [day.time, day.peak]));
  const bars = times.map((time) => round(peakAt.get(time) ?? 0));
  const trend = times.map((time) =>
    round(Math.max(0, valueAt(fit, time)) * (time > now ? options.multiplier : 1)),
  );
  const capacity = times.map(() => round(options.capacity));
  const top = Math.ceil(Math.max(...bars, ...trend, options.capacity, 1) * 1.1);
  return xyChart({
    title: options.title,
    // Labelled by the day's date: the point at a midnight is the peak of the day before it.
    labels: times.map((time) => new Date((time - DAY_S) * 1000).toISOString().slice(5, 10)),
    axis: 'requests/s',
    top,
    series: [
      { kind: 'bar', values: bars },
      { kind: 'line', values: trend },
      { kind: 'line', values: capacity },
    ],
  });
}
