import { formatDuration } from '@gin-deploy/action';
import { PrometheusClient, singleValue, type Sample } from '@gin-deploy/prometheus';
import type { WindowCounts } from './budget.js';
import { checkValue, InvalidValueError } from './invalid-value.js';
import { bucketMatchers, type BucketMatchers } from './histogram-buckets.js';
import { coverageStepMs, PART_LABEL, windowQuery, type Part } from './slo-queries.js';
import type { SloSpec } from './slo-spec.js';
import { located, renderTemplate, selectorParts } from './template.js';

export interface QueryRecord {
  window: string;
  query: string;
  time: string;
  good: number | null;
  total: number | null;
  /** Why the answer was refused (NaN, ±Inf, a negative count, good > total). */
  invalid?: string;
}

export interface SloMeasurement {
  /** Good and total events per window length; null where the total had no data. */
  counts: Map<number, WindowCounts | null>;
  /** Values no count can hold (NaN, ±Inf, negative, good > total), one per window that gave one. */
  invalid: InvalidValueError[];
  queries: QueryRecord[];
  /** The histogram bucket bound used as "good" for a latency SLO. */
  bucket?: string;
  /** Its `le` matchers, every spelling of the bound and of +Inf. */
  buckets?: BucketMatchers;
  /** How much of the SLO window the SLI's data covers; null without data. */
  coverage: Coverage | null;
}

/** The span of the SLO window the data covers, found to one coverageStepMs. */
export interface Coverage {
  /** 0–1 of the window. */
  fraction: number;
  coveredMs: number;
  /** The covered span to the step it is found to (`20d`). */
  span: string;
  /** Shorter than the window by more than that step (a shortfall within it is no evidence of younger data). */
  partial: boolean;
  /** RFC 3339: the start of the first step with data. */
  since: string;
}

// Counters of one SLI extrapolated separately by increase() may disagree in the last digits; beyond this
// relative slack good > total is a broken query, not float noise.
const GOOD_ABOVE_TOTAL_SLACK = 1e-9;

/**
 * Splits a window query's answer into its parts; errors count as 0 when only the error series is missing.
 * Throws an InvalidValueError for NaN, ±Inf, a negative count, or good (or errors) above total.
 */
export function countsFromSamples(
  samples: Sample[],
  parts: Part[],
  context: { url: string; query: string; time: Date },
): WindowCounts | null {
  const value = (part: Part) => {
    const found = singleValue(
      samples.filter((sample) => sample.labels[PART_LABEL] === part),
      context,
    );
    return found === null ? null : checkValue(found, context, `${part} events`);
  };
  const invalid = parts.includes('invalid') ? value('invalid') : null;
  if (invalid !== null && invalid > 0) {
    throw new InvalidValueError(
      context.query,
      `${invalid} slice${invalid === 1 ? '' : 's'} with an SLI outside 0 to 1 (good above total, ±Inf or a negative error ratio)`,
      context.time.toISOString(),
      "every slice's SLI from 0 to 1",
    );
  }
  if (parts.includes('errorRatio')) {
    const ratio = value('errorRatio');
    if (ratio === null) return null;
    if (ratio > 1) {
      throw new InvalidValueError(
        context.query,
        `an error ratio of ${ratio}`,
        context.time.toISOString(),
        'an error ratio from 0 to 1',
      );
    }
    return { good: 1 - ratio, total: 1 };
  }
  const total = value('total');
  if (total === null) return null;
  const above = (part: Part, count: number) => {
    if (count > total * (1 + GOOD_ABOVE_TOTAL_SLACK)) {
      throw new InvalidValueError(
        context.query,
        `${part} ${count} > total ${total}`,
        context.time.toISOString(),
        `${part} events to be at most all events`,
      );
    }
    return count;
  };
  if (parts.includes('errors')) {
    // No error series at all is the healthy case of a counter that was never incremented.
    const errors = above('errors', value('errors') ?? 0);
    return { good: Math.max(0, total - errors), total };
  }
  const good = value('good');
  return good === null ? null : { good: Math.min(above('good', good), total), total };
}

/** Measures an SLO over its window and every burn-rate window: one instant query each, all at `time`. */
export async function measureSlo(
  client: PrometheusClient,
  slo: SloSpec,
  windowsMs: number[],
  time: Date,
  variables: Record<string, string> = {},
): Promise<SloMeasurement> {
  let buckets: BucketMatchers | undefined;
  if (slo.sli.kind === 'latency') {
    const vars = {
      service: slo.service ?? '',
      name: slo.name,
      window: formatDuration(slo.windowMs),
      ...variables,
    };
    const where = `SLO '${slo.name}' (${slo.source}) latency query`;
    const histogram = slo.sli.histogram;
    const selector = located(where, () => {
      const rendered = renderTemplate(histogram, vars);
      selectorParts(rendered);
      return rendered;
    });
    const since = new Date(time.getTime() - slo.windowMs);
    buckets = bucketMatchers(
      await client.labelValues('le', selector, since, time),
      slo.sli.thresholdSeconds,
      where,
    );
  }
  const unique = [...new Set([slo.windowMs, ...windowsMs])];
  const results = await inOrder(
    unique.map(async (windowMs) => {
      const sloWindow = windowMs === slo.windowMs;
      const { query, parts } = windowQuery(slo, windowMs, variables, buckets, { oldest: sloWindow });
      const samples = await client.instant(query, time);
      const coverage = sloWindow ? coverageOf(samples, slo.windowMs, time) : null;
      let counts: WindowCounts | null = null;
      let invalid: InvalidValueError | undefined;
      try {
        counts = countsFromSamples(samples, parts, { url: client.displayUrl, query, time });
      } catch (error) {
        if (!(error instanceof InvalidValueError)) throw error;
        invalid = error;
      }
      const record: QueryRecord = {
        window: formatDuration(windowMs),
        query,
        time: time.toISOString(),
        good: counts?.good ?? null,
        total: counts?.total ?? null,
        ...(invalid ? { invalid: invalid.message } : {}),
      };
      return { windowMs, counts, record, invalid, coverage };
    }),
  );
  return {
    counts: new Map(results.map((result) => [result.windowMs, result.counts])),
    queries: results.map((result) => result.record),
    invalid: results.flatMap((result) => (result.invalid ? [result.invalid] : [])),
    bucket: buckets?.bound,
    buckets,
    coverage: results.find((result) => result.windowMs === slo.windowMs)?.coverage ?? null,
  };
}

function coverageOf(samples: Sample[], windowMs: number, time: Date): Coverage | null {
  const oldest = samples.find((sample) => sample.labels[PART_LABEL] === 'oldest')?.value;
  if (oldest === undefined || !Number.isFinite(oldest)) return null;
  const stepMs = coverageStepMs(windowMs);
  const sinceMs = Math.max(time.getTime() - windowMs, oldest * 1000 - stepMs);
  const coveredMs = time.getTime() - sinceMs;
  return {
    fraction: coveredMs / windowMs,
    coveredMs,
    span: formatDuration(Math.round(coveredMs / stepMs) * stepMs),
    partial: windowMs - coveredMs > stepMs,
    since: new Date(sinceMs).toISOString(),
  };
}

/** Good and total events per chart step over the SLO window, from one query_range. */
export async function measureConsumption(
  client: PrometheusClient,
  slo: SloSpec,
  stepMs: number,
  time: Date,
  variables: Record<string, string> = {},
  buckets?: BucketMatchers,
): Promise<{ query: string; points: { time: number; counts: WindowCounts | null }[] }> {
  const { query, parts } = windowQuery(slo, stepMs, variables, buckets);
  const steps = Math.round(slo.windowMs / stepMs);
  const start = new Date(time.getTime() - (steps - 1) * stepMs);
  const series = await client.range(query, start, time, stepMs / 1000);
  const points = [];
  for (let index = 0; index < steps; index++) {
    const at = start.getTime() / 1000 + (index * stepMs) / 1000;
    const samples = series.flatMap((entry) =>
      entry.points
        .filter(([pointTime]) => Math.abs(pointTime - at) < 1e-3)
        .map(([, value]) => ({ labels: entry.labels, value })),
    );
    const context = { url: client.displayUrl, query, time: new Date(at * 1000) };
    points.push({ time: at, counts: countsFromSamples(samples, parts, context) });
  }
  return { query, points };
}

/**
 * Awaits every promise; when some fail, throws the first failure in list order rather than in time, so the
 * error a user sees names the same query on every run (the SLO window's, when it fails).
 */
export async function inOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}
