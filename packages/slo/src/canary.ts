import { formatDuration } from '@gin-deploy/action';
import {
  PrometheusClient,
  singleSeries,
  singleValue,
  type PrometheusClientOptions,
} from '@gin-deploy/prometheus';
import type { CanaryAnalysisSpec, CanaryCheckSpec } from './canary-spec.js';
import {
  judgeCheck,
  overallCanaryVerdict,
  type CanaryObservation,
  type CanaryResult,
} from './canary-verdict.js';
import { renderTemplate } from './template.js';

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
 * query errors are thrown (a PrometheusError naming the URL and the query); the caller chooses what they mean.
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
    renderTemplate(
      template,
      { ...variables, selector, interval: formatDuration(interval) },
      `canary check '${check.name}' in ${spec.source}`,
    );
  const queries: string[] = [];
  const instant = async (template: string | undefined, selector: string) => {
    if (template === undefined) return undefined;
    const query = render(template, selector, spec.intervalMs);
    queries.push(query);
    return singleValue(await client.instant(query, now), { url: client.displayUrl, query });
  };
  const steps = Math.floor(spec.intervalMs / spec.stepMs);
  const intervals = async (template: string, selector: string) => {
    if (steps < spec.minIntervals) return undefined;
    const query = render(template, selector, spec.stepMs);
    queries.push(`${query} (query_range, step ${formatDuration(spec.stepMs)})`);
    const start = new Date(now.getTime() - (steps - 1) * spec.stepMs);
    const series = singleSeries(await client.range(query, start, now, spec.stepMs / 1000), {
      url: client.displayUrl,
      query,
    });
    return (series?.points ?? []).map(([, value]) => value).filter((value) => Number.isFinite(value));
  };
  const [canary, baseline, canarySamples, baselineSamples, canaryIntervals, baselineIntervals] =
    await Promise.all([
      instant(check.canaryQuery, spec.canarySelector),
      instant(check.baselineQuery, spec.baselineSelector),
      instant(check.canarySamples, spec.canarySelector),
      instant(check.baselineSamples, spec.baselineSelector),
      intervals(check.canaryQuery, spec.canarySelector),
      intervals(check.baselineQuery, spec.baselineSelector),
    ]);
  return {
    canary: canary ?? null,
    baseline: baseline ?? null,
    canarySamples,
    baselineSamples,
    canaryIntervals,
    baselineIntervals,
    queries,
  };
}
