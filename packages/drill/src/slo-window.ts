import { PrometheusClient } from '@gin-deploy/prometheus';
import {
  addMatchers,
  QueryTemplateError,
  analyzeCanary,
  bucketMatchers,
  CANARY_DEFAULTS,
  formatLe,
  hasPlaceholder,
  isSelector,
  renderTemplate,
  type AnalyzeCanaryOptions,
  type BucketMatchers,
  type CanaryAnalysisSpec,
  type CanaryCheckSpec,
  type CanaryResult,
  type SloSpec,
} from '@gin-deploy/slo';
import { DrillError } from './errors.js';

const RANGE = '[{{interval}}]';

/**
 * The canary analysis turned into "the drill window against the same-length window just before it": both
 * sides select the app with the spec's `baseline` matchers, {{interval}} is the drill window, and every range
 * of the baseline's queries is shifted back by it with PromQL `offset`. A check whose baseline query has no
 * `[{{interval}}]` range cannot be shifted and is refused.
 */
export function windowAnalysis(spec: CanaryAnalysisSpec, windowMs: number): CanaryAnalysisSpec {
  const seconds = Math.max(1, Math.round(windowMs / 1000));
  const shift = (query: string, check: string): string => {
    if (!query.includes(RANGE)) {
      throw new DrillError(
        `${spec.source}: check '${check}' has no ${RANGE} range in its query, so it cannot be compared with the window before the drill`,
      );
    }
    return query.replaceAll(RANGE, `${RANGE} offset ${seconds}s`);
  };
  return {
    ...spec,
    intervalMs: seconds * 1000,
    canarySelector: spec.baselineSelector,
    checks: spec.checks.map((check) => ({
      ...check,
      baselineQuery: shift(check.baselineQuery, check.name),
      baselineSamples: check.baselineSamples && shift(check.baselineSamples, check.name),
    })),
  };
}

/**
 * Compares the SLIs over [startMs, endMs] (the drill) with the same length before startMs, through slo's
 * canary analysis: "canary" is the drill window, "baseline" the window before. The checks of latency SLOs in
 * `slos` (those sloChecks made) first learn the `le` spellings their histogram has over both windows, so that
 * every spelling of the threshold and of +Inf is counted, as slo-gate does. Prometheus errors are thrown, and so
 * is a threshold that is no bucket bound of the histogram (naming its bounds).
 */
export async function compareWindows(
  spec: CanaryAnalysisSpec,
  window: { startMs: number; endMs: number },
  options: Omit<AnalyzeCanaryOptions, 'now'> & { slos?: SloSpec[] },
): Promise<CanaryResult> {
  const client = options.client ?? new PrometheusClient(options.prometheus);
  const lengthMs = window.endMs - window.startMs;
  const since = new Date(window.startMs - lengthMs);
  const until = new Date(window.endMs);
  const buckets = new Map<string, BucketMatchers>();
  for (const slo of options.slos ?? []) {
    const sli = slo.sli;
    if (sli.kind !== 'latency' || !spec.checks.some((check) => check.name === slo.name)) continue;
    const where = `SLO '${slo.name}' (${slo.source})`;
    const selector = templated(where, () =>
      renderTemplate(withOwnValues(sli.histogram, slo), { ...options.variables }),
    );
    const found = bucketMatchers(
      await client.labelValues('le', selector, since, until),
      sli.thresholdSeconds,
      `${where} latency query`,
    );
    if (found) buckets.set(slo.name, found);
  }
  const resolved = sloChecks(
    (options.slos ?? []).filter((slo) => buckets.has(slo.name)),
    buckets,
  );
  const checks = spec.checks.map((check) => resolved.find((own) => own.name === check.name) ?? check);
  return analyzeCanary(windowAnalysis({ ...spec, checks }, lengthMs), {
    ...options,
    client,
    now: until,
  });
}

/**
 * The SLOs of an SLO file (any format slo-gate reads) as checks of the window comparison: each SLO's share of
 * bad events over {{interval}} (errors, or total − good, over total; requests slower than the threshold of a
 * latency SLI; sloth's raw error ratio as written). Under the fault it may grow by the relative tolerance and
 * by the SLO's error budget (1 − objective; under Timeslices 1 − the slice target); beyond both the check fails. A threshold SLI counts evaluations,
 * not events, and cannot be compared this way: it is refused.
 */
export function sloChecks(
  slos: SloSpec[],
  buckets: ReadonlyMap<string, BucketMatchers> = new Map(),
): CanaryCheckSpec[] {
  return slos.map((slo) => {
    const { query, samples } = badRatio(slo, buckets.get(slo.name));
    return {
      name: slo.name,
      canaryQuery: query,
      baselineQuery: query,
      canarySamples: samples,
      baselineSamples: samples,
      direction: 'lower',
      tolerance: CANARY_DEFAULTS.tolerance,
      absoluteTolerance: Number((1 - allowedGood(slo)).toPrecision(12)),
      ratio: true,
    };
  });
}

/**
 * The good share the SLO asks of the events: its objective, or under Timeslices budgeting the slice target
 * (a slice whose events are less good than that is a bad slice; the objective counts slices, not events).
 */
function allowedGood(slo: SloSpec): number {
  return slo.budgeting.method === 'timeslices' ? slo.budgeting.sliceTarget : slo.objective;
}

/** Without the histogram's own `le` values, a latency SLO counts the threshold and +Inf as the Go client writes them. */
function badRatio(slo: SloSpec, buckets?: BucketMatchers): { query: string; samples?: string } {
  const where = `SLO '${slo.name}' (${slo.source})`;
  const sli = slo.sli;
  if (sli.kind === 'ratio') {
    const total = countOver(sli.total, slo, where);
    const bad =
      sli.errors !== undefined
        ? `(${countOver(sli.errors, slo, where)} or vector(0))`
        : `(${total} - ${countOver(sli.good!, slo, where)})`;
    return { query: `${bad} / ${total}`, samples: total };
  }
  if (sli.kind === 'latency') {
    const series = withOwnValues(sli.histogram, slo);
    const le = buckets ?? { good: `le="${formatLe(sli.thresholdSeconds)}"`, total: 'le="+Inf"' };
    const count = (matcher: string) =>
      `sum(increase(${templated(where, () => addMatchers(series, matcher))}${RANGE}))`;
    const total = count(le.total);
    return { query: `(${total} - ${count(le.good)}) / ${total}`, samples: total };
  }
  if (sli.kind === 'errorRatio') return { query: overInterval(sli.query, slo, where) };
  throw new DrillError(
    `${where} has a threshold SLI, which counts evaluations rather than events, so a drill cannot compare it with the window before; give it as a ratio, latency or error-ratio SLI, or use analysis`,
  );
}

/** A selector or template step, its template error a DrillError naming the SLO. */
function templated(where: string, build: () => string): string {
  try {
    return build();
  } catch (error) {
    if (error instanceof QueryTemplateError) throw new DrillError(`${where}: ${error.message}`);
    throw error;
  }
}

/** The SLO's events over {{interval}}: a query written with {{window}}, or a counter selector wrapped. */
function countOver(query: string, slo: SloSpec, where: string): string {
  if (hasPlaceholder(query, 'window')) return overInterval(query, slo, where);
  const selector = withOwnValues(query, slo);
  if (!isSelector(selector))
    throw new DrillError(`${where}: '${query}' is neither a counter selector nor a query using {{window}}`);
  return `sum(increase(${selector}${RANGE}))`;
}

/** {{window}} becomes the drill window's {{interval}}, which the comparison shifts back for the window before. */
function overInterval(query: string, slo: SloSpec, where: string): string {
  const shifted = withOwnValues(query, slo).replace(/\{\{\s*\.?window\s*\}\}/g, '{{interval}}');
  if (!shifted.includes(RANGE))
    throw new DrillError(
      `${where}: '${query}' has no [{{window}}] range, so it cannot be compared with the window before the drill`,
    );
  return shifted;
}

/** The placeholders an SLO fills in itself, as slo-gate does: {{service}} and {{name}}. */
function withOwnValues(query: string, slo: SloSpec): string {
  return query.replace(/\{\{\s*\.?(service|name)\s*\}\}/g, (_, key: string) =>
    key === 'service' ? (slo.service ?? '') : slo.name,
  );
}
