import { formatDuration } from '@gin-deploy/action';
import {
  PrometheusClient,
  singleSeries,
  singleValue,
  type PrometheusClientOptions,
} from '@gin-deploy/prometheus';
import type { CanaryAnalysisSpec, CanaryCheckSpec } from './canary-spec.js';
import { checkRatio, checkValue } from './invalid-value.js';
import {
  judgeCheck,
  overallCanaryVerdict,
  sampleShortfall,
  type CanaryObservation,
  type CanaryResult,
} from './canary-verdict.js';
import { located, renderTemplate } from './template.js';

export interface AnalyzeCanaryOptions {
  prometheus: { url: string; headers?: Record<string, string> } & Partial<PrometheusClientOptions>;
  /** Values for placeholders such as {{app}} and {{namespace}}. */
  variables?: Record<string, string>;
  /** The end of the analysis interval (default: now). */
  now?: Date;
  /** A client to reuse (its query counts then include these queries). */
  client?: PrometheusClient;
}

/**
 * Compares the canary with the baseline over the spec's interval ending at `now`. Prometheus failures and
 * query errors are thrown (a PrometheusError naming the URL and the query), and so are values no check can
 * judge (an InvalidValueError naming the query, the value and the time: NaN or ±Inf where a check has enough
 * samples, a negative or non-finite sample count, ±Inf in a per-interval value); the caller chooses what they
 * mean.
 */
export async function analyzeCanary(
  spec: CanaryAnalysisSpec,
  options: AnalyzeCanaryOptions,
): Promise<CanaryResult> {
  const client = options.client ?? new PrometheusClient(options.prometheus);
  const now = options.now ?? new Date();
  const checks = await Promise.all(
    spec.checks.map(async (check) => {
      const seen = await observe(client, spec, check, options.variables ?? {}, now);
      return { ...judgeCheck(check, seen, spec), queries: seen.queries };
    }),
  );
  return { verdict: overallCanaryVerdict(checks), checks };
}

async function observe(
  client: PrometheusClient,
  spec: CanaryAnalysisSpec,
  check: CanaryCheckSpec,
  variables: Record<string, string>,
  now: Date,
): Promise<CanaryObservation> {
  const render = (template: string, selector: string, interval: number) =>
    located(`canary check '${check.name}' in ${spec.source}`, () =>
      renderTemplate(template, { ...variables, selector, interval: formatDuration(interval) }),
    );
  const queries: string[] = [];
  const instant = async (template: string | undefined, selector: string) => {
    if (template === undefined) return undefined;
    const query = render(template, selector, spec.intervalMs);
    queries.push(query);
    const value = singleValue(await client.instant(query, now), { url: client.displayUrl, query });
    return value === null ? null : { query, value };
  };
  const count = async (template: string | undefined, selector: string, what: string) => {
    const found = await instant(template, selector);
    return found ? checkValue(found.value, { query: found.query, time: now }, what) : found;
  };
  const steps = Math.floor(spec.intervalMs / spec.stepMs);
  const intervals = async (template: string, selector: string, what: string) => {
    if (steps < spec.minIntervals) return undefined;
    const query = render(template, selector, spec.stepMs);
    queries.push(`${query} (query_range, step ${formatDuration(spec.stepMs)})`);
    const start = new Date(now.getTime() - (steps - 1) * spec.stepMs);
    const series = singleSeries(await client.range(query, start, now, spec.stepMs / 1000), {
      url: client.displayUrl,
      query,
    });
    // NaN is a step without traffic (0/0) and leaves the test; ±Inf is no value a step can have.
    const points = (series?.points ?? []).filter(([, value]) => !Number.isNaN(value));
    for (const [time, value] of points) {
      const at = { query, time: new Date(time * 1000) };
      if (check.ratio) checkRatio(value, at, what);
      else checkValue(value, at, what, false);
    }
    return points.map(([, value]) => value);
  };
  const [canary, baseline, canarySamples, baselineSamples, canaryIntervals, baselineIntervals] =
    await Promise.all([
      instant(check.canaryQuery, spec.canarySelector),
      instant(check.baselineQuery, spec.baselineSelector),
      count(check.canarySamples, spec.canarySelector, 'the canary sample count'),
      count(check.baselineSamples, spec.baselineSelector, 'the baseline sample count'),
      intervals(check.canaryQuery, spec.canarySelector, 'a canary interval'),
      intervals(check.baselineQuery, spec.baselineSelector, 'a baseline interval'),
    ]);
  const seen: CanaryObservation = {
    canary: canary?.value ?? null,
    baseline: baseline?.value ?? null,
    canarySamples,
    baselineSamples,
    canaryIntervals,
    baselineIntervals,
    queries,
  };
  // Without enough samples the check is inconclusive whatever its value (0/0 is NaN without traffic).
  if (sampleShortfall(check, seen, spec) === undefined) {
    for (const [side, found] of [
      ['the canary', canary],
      ['the baseline', baseline],
    ] as const) {
      if (!found) continue;
      const at = { query: found.query, time: now };
      if (check.ratio) checkRatio(found.value, at, side);
      else checkValue(found.value, at, side, false);
    }
  }
  return seen;
}
