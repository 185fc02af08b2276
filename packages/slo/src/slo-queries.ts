import { formatDuration, UserError } from '@gin-deploy/action';
import type { BucketMatchers } from './histogram-buckets.js';
import { THRESHOLD_RESOLUTION_MS, type SloSpec, type ThresholdSli } from './slo-spec.js';
import { addMatchers, hasPlaceholder, isSelector, located, renderTemplate } from './template.js';

/** The parts of a window's answer: event counts, or an error ratio (0–1) standing for one event. */
export type Part = 'good' | 'errors' | 'total' | 'errorRatio' | 'oldest' | 'invalid';

/** How finely the oldest data of an SLI is found: a 120th of the window (6h of 30d), whole minutes. */
export function coverageStepMs(windowMs: number): number {
  return Math.max(60_000, Math.floor(windowMs / 120 / 60_000) * 60_000);
}

// Whether data exists at a step is read from the events of the 10 minutes before it: with steps much longer
// than Prometheus' 2h chunks, the probe decodes a fraction of the window instead of all of it again.
const COVERAGE_PROBE_MS = 10 * 60_000;

/** The label that tells the parts of a window query apart in its one answer. */
export const PART_LABEL = 'slo_part';

/**
 * The events counted over a window: a query using {{window}} is rendered as written (sloth style, e.g.
 * `sum(increase(x[{{window}}]))`); a plain counter selector is wrapped as `sum(increase(selector[window]))`.
 */
export function countExpression(
  query: string,
  windowMs: number,
  variables: Record<string, string>,
  where: string,
): string {
  const window = formatDuration(windowMs);
  const rendered = located(where, () => renderTemplate(query, { ...variables, window }));
  if (hasPlaceholder(query, 'window')) return rendered;
  if (!isSelector(rendered)) {
    throw new UserError(
      `${where}: '${query}' is neither a counter selector nor a query using {{window}}; write e.g. http_requests_total{job="api"} or sum(increase(http_requests_total{job="api"}[{{window}}]))`,
    );
  }
  return `sum(increase(${rendered}[${window}]))`;
}

/** `0.3` → `0.3`, as Prometheus client libraries write bucket bounds in `le`. */
export function formatLe(seconds: number): string {
  return String(seconds);
}

/** Without the histogram's own `le` values (no data yet), the threshold and +Inf as the Go client writes them. */
function defaultBuckets(thresholdSeconds: number): BucketMatchers {
  return {
    bound: formatLe(thresholdSeconds),
    good: `le="${formatLe(thresholdSeconds)}"`,
    total: 'le="+Inf"',
  };
}

/**
 * One instant query that answers every part of the SLI for a window (total, and good or errors), each part
 * tagged with slo_part, so that a gate costs one query per SLI and window. Under timeslices budgeting the parts
 * count slices (good: those whose SLI meets the slice target) through subqueries.
 */
export function windowQuery(
  slo: SloSpec,
  windowMs: number,
  variables: Record<string, string>,
  buckets?: BucketMatchers,
  options: { oldest?: boolean } = {},
): { query: string; parts: Part[] } {
  const expressions =
    slo.budgeting.method === 'timeslices'
      ? slicesExpressions(slo, windowMs, slo.budgeting, variables, buckets)
      : eventExpressions(slo, windowMs, variables, buckets);
  if (options.oldest) expressions.push(['oldest', oldestExpression(slo, windowMs, variables, buckets)]);
  return {
    query: expressions
      .map(([part, expression]) => `label_replace(${expression}, "${PART_LABEL}", "${part}", "", "")`)
      .join(' or '),
    parts: expressions.map(([part]) => part),
  };
}

function context(slo: SloSpec, windowMs: number, variables: Record<string, string>) {
  return {
    vars: { service: slo.service ?? '', name: slo.name, ...variables },
    window: formatDuration(windowMs),
    where: (field: string) => `SLO '${slo.name}' (${slo.source}) ${field} query`,
  };
}

/** Good and total events (or the error ratio) over the window. */
function eventExpressions(
  slo: SloSpec,
  windowMs: number,
  variables: Record<string, string>,
  buckets?: BucketMatchers,
): [Part, string][] {
  const { vars, window, where } = context(slo, windowMs, variables);
  const sli = slo.sli;
  if (sli.kind === 'ratio') {
    const expressions: [Part, string][] = [
      ['total', countExpression(sli.total, windowMs, vars, where('total'))],
    ];
    if (sli.good !== undefined)
      expressions.push(['good', countExpression(sli.good, windowMs, vars, where('good'))]);
    if (sli.errors !== undefined)
      expressions.push(['errors', countExpression(sli.errors, windowMs, vars, where('error'))]);
    return expressions;
  }
  if (sli.kind === 'latency') {
    const bucket = buckets ?? defaultBuckets(sli.thresholdSeconds);
    return located(where('latency'), () => {
      const series = renderTemplate(sli.histogram, { ...vars, window });
      return [
        ['total', `sum(increase(${addMatchers(series, bucket.total)}[${window}]))`],
        ['good', `sum(increase(${addMatchers(series, bucket.good)}[${window}]))`],
      ];
    });
  }
  if (sli.kind === 'errorRatio') {
    return [
      ['errorRatio', located(where('error ratio'), () => renderTemplate(sli.query, { ...vars, window }))],
    ];
  }
  const step = formatDuration(THRESHOLD_RESOLUTION_MS);
  const query = located(where('threshold'), () => renderTemplate(sli.query, { ...vars, window }));
  return [
    ['total', `count_over_time((${query})[${window}:${step}])`],
    ['good', `sum_over_time((${thresholdMet(query, sli)})[${window}:${step}])`],
  ];
}

/**
 * The first step of the window (unix seconds) at which the SLI's total has data: the SLI's events over the
 * probe before each step of coverageStepMs, whose timestamp() is the step's evaluation time.
 */
function oldestExpression(
  slo: SloSpec,
  windowMs: number,
  variables: Record<string, string>,
  buckets?: BucketMatchers,
): string {
  const [first] = eventExpressions(
    slo,
    Math.min(COVERAGE_PROBE_MS, coverageStepMs(windowMs)),
    variables,
    buckets,
  );
  return `min_over_time(timestamp(${first[1]})[${formatDuration(windowMs)}:${formatDuration(coverageStepMs(windowMs))}])`;
}

const OPERATORS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function thresholdMet(query: string, sli: ThresholdSli): string {
  return `(${query}) ${OPERATORS[sli.op]} bool ${sli.value}`;
}

/**
 * The SLI of one slice as a good ratio (NaN-free: a slice without events gives no sample, so it is neither
 * good nor bad), rendered for a slice of `sliceMs`.
 */
function sliceSli(
  slo: SloSpec,
  sliceMs: number,
  variables: Record<string, string>,
  buckets?: BucketMatchers,
): string {
  const sli = slo.sli;
  if (sli.kind === 'threshold') {
    const { vars, window, where } = context(slo, sliceMs, variables);
    const query = located(where('threshold'), () => renderTemplate(sli.query, { ...vars, window }));
    return `avg_over_time((${thresholdMet(query, sli)})[${window}:${formatDuration(THRESHOLD_RESOLUTION_MS)}])`;
  }
  const parts = new Map(eventExpressions(slo, sliceMs, variables, buckets));
  if (parts.has('errorRatio')) return `1 - (${parts.get('errorRatio')})`;
  const total = `((${parts.get('total')}) > 0)`;
  if (parts.has('good')) return `(${parts.get('good')}) / ${total}`;
  return `1 - ((${parts.get('errors')}) or vector(0)) / ${total}`;
}

/**
 * Good and total slices of the window: a slice is good when its SLI is at least the slice target. `invalid`
 * counts the slices whose SLI no ratio can hold (below 0, above 1, ±Inf: good above total, a negative error
 * ratio), which a comparison with the target would otherwise count as good.
 */
function slicesExpressions(
  slo: SloSpec,
  windowMs: number,
  budgeting: { sliceMs: number; sliceTarget: number },
  variables: Record<string, string>,
  buckets?: BucketMatchers,
): [Part, string][] {
  const slice = sliceSli(slo, budgeting.sliceMs, variables, buckets);
  const range = `[${formatDuration(windowMs)}:${formatDuration(budgeting.sliceMs)}]`;
  return [
    ['total', `count_over_time((${slice})${range})`],
    ['good', `sum_over_time(((${slice}) >= bool ${budgeting.sliceTarget})${range})`],
    ['invalid', `count_over_time((abs((${slice}) - 0.5) > 0.5)${range})`],
  ];
}
