// Generated request history with known answers for the slo-gate tests.
//
// Counters are sampled every minute on the minute and the gate evaluates at `queryTime`, 30 s past a
// minute. A window of whole minutes therefore holds exactly window/1m samples, none on its edges, so
// PromQL's increase() extrapolates both counters of an SLI by the same factor (30 s at each end over
// window − 1m sampled) and good/total is exactly the ratio of the counter deltas. The tests still compute
// their expectations the way PromQL does (promqlIncrease below, Prometheus 2.42's extrapolatedRate) and
// also check the round numbers the history was designed for.
import type { SeriesDefinition } from '../support/prometheus.js';

export const MINUTE = 60_000;

/** 30 s past a minute, a little in the past so that the newest samples are on whole minutes before it. */
export const queryTime = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE + 30_000);
export const lastSample = queryTime.getTime() - 30_000;

export interface Counter {
  labels: Record<string, string>;
  /** [time ms, value] every minute, oldest first. */
  samples: [number, number][];
}

/** A counter starting at `base` that grows by increment(minutesBeforeEnd) each minute, over `spanMs`. */
export function counter(
  labels: Record<string, string>,
  spanMs: number,
  base: number,
  increment: (minutesBeforeEnd: number) => number,
  stepMs = MINUTE,
  end = lastSample,
): Counter {
  const samples: [number, number][] = [];
  let value = base;
  for (let time = end - spanMs; time <= end; time += stepMs) {
    if (samples.length > 0) value += increment(Math.round((end - time) / stepMs));
    samples.push([time, value]);
  }
  return { labels, samples };
}

export function toSeries(metric: string, counters: Counter[]): SeriesDefinition[] {
  return counters.map(({ labels, samples }) => ({ metric, labels, samples }));
}

/** increase(counter[window]) at `at`, as Prometheus 2.42 computes it (closed range, extrapolation rules). */
export function promqlIncrease(samples: [number, number][], at: number, windowMs: number): number | null {
  const rangeStart = at - windowMs;
  const inRange = samples.filter(([time]) => time >= rangeStart && time <= at);
  if (inRange.length < 2) return null;
  let result = inRange[inRange.length - 1][1] - inRange[0][1];
  for (let index = 1; index < inRange.length; index++) {
    if (inRange[index][1] < inRange[index - 1][1]) result += inRange[index - 1][1];
  }
  const first = inRange[0][0] / 1000;
  const last = inRange[inRange.length - 1][0] / 1000;
  let durationToStart = first - rangeStart / 1000;
  const durationToEnd = at / 1000 - last;
  const sampledInterval = last - first;
  const averageBetween = sampledInterval / (inRange.length - 1);
  if (result > 0 && inRange[0][1] >= 0) {
    const durationToZero = sampledInterval * (inRange[0][1] / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageBetween * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageBetween / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetween / 2;
  return result * (extrapolateTo / sampledInterval);
}

/** What the gate should find for an error-ratio SLO, computed from the generated counters. */
export function expected(total: Counter[], errors: Counter[], objective: number, windowMs: number) {
  const at = queryTime.getTime();
  const increase = (counters: Counter[]) =>
    counters.reduce((sum, { samples }) => sum + (promqlIncrease(samples, at, windowMs) as number), 0);
  const totalIncrease = increase(total);
  const errorIncrease = increase(errors);
  const sli = (totalIncrease - errorIncrease) / totalIncrease;
  return { sli, budgetRemaining: 1 - (1 - sli) / (1 - objective), burnRate: (1 - sli) / (1 - objective) };
}

/** As the action prints numbers in its outputs. */
export function asOutput(value: number): string {
  return String(Number(value.toFixed(9)));
}
