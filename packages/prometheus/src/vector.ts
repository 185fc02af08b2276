import { PrometheusError } from './errors.js';

export type Labels = Record<string, string>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface RangeSeries {
  labels: Labels;
  /** [unix seconds, value] in time order. */
  points: [number, number][];
}

/** `{__name__="x", a="b"}` for messages. */
export function formatLabels(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

/**
 * The one value of a query expected to give a single series; null when it gives none (no data), and an error
 * listing the series when it gives several.
 */
export function singleValue(samples: Sample[], context: { url: string; query: string }): number | null {
  if (samples.length === 0) return null;
  if (samples.length > 1) {
    const shown = samples
      .slice(0, 3)
      .map((sample) => formatLabels(sample.labels))
      .join(', ');
    throw new PrometheusError(
      `query '${context.query}' returned ${samples.length} series (${shown}${samples.length > 3 ? ', …' : ''}) where one was expected; aggregate it, e.g. with sum(...)`,
      'several_series',
      context.url,
      context.query,
    );
  }
  return samples[0].value;
}

/** The one series of a range query expected to give a single series; null when it gives none. */
export function singleSeries(
  series: RangeSeries[],
  context: { url: string; query: string },
): RangeSeries | null {
  singleValue(
    series.map(({ labels }) => ({ labels, value: 0 })),
    context,
  );
  return series[0] ?? null;
}

/** Prometheus sends values as strings ("NaN", "+Inf" included). */
export function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
