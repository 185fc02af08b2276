import { formatDuration, UserError } from '@gin-deploy/action';
import type { SloSpec } from './slo-spec.js';
import { addMatchers, hasPlaceholder, isSelector, renderTemplate } from './template.js';

export type Part = 'good' | 'errors' | 'total';

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
  const rendered = renderTemplate(query, { ...variables, window }, where);
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

/**
 * One instant query that answers every part of the SLI for a window (total, and good or errors), each part
 * tagged with slo_part, so that a gate costs one query per SLI and window.
 */
export function windowQuery(
  slo: SloSpec,
  windowMs: number,
  variables: Record<string, string>,
  le?: string,
): { query: string; parts: Part[] } {
  const vars = { service: slo.service ?? '', name: slo.name, ...variables };
  const where = (field: string) => `SLO '${slo.name}' (${slo.source}) ${field} query`;
  const expressions: [Part, string][] = [];
  if (slo.sli.kind === 'ratio') {
    expressions.push(['total', countExpression(slo.sli.total, windowMs, vars, where('total'))]);
    if (slo.sli.good !== undefined)
      expressions.push(['good', countExpression(slo.sli.good, windowMs, vars, where('good'))]);
    if (slo.sli.errors !== undefined)
      expressions.push(['errors', countExpression(slo.sli.errors, windowMs, vars, where('error'))]);
  } else {
    const buckets = renderTemplate(
      slo.sli.histogram,
      { ...vars, window: formatDuration(windowMs) },
      where('latency'),
    );
    const window = formatDuration(windowMs);
    expressions.push([
      'total',
      `sum(increase(${addMatchers(buckets, 'le="+Inf"', where('latency'))}[${window}]))`,
    ]);
    const bound = le ?? formatLe(slo.sli.thresholdSeconds);
    expressions.push([
      'good',
      `sum(increase(${addMatchers(buckets, `le="${bound}"`, where('latency'))}[${window}]))`,
    ]);
  }
  return {
    query: expressions
      .map(([part, expression]) => `label_replace(${expression}, "${PART_LABEL}", "${part}", "", "")`)
      .join(' or '),
    parts: expressions.map(([part]) => part),
  };
}

/** The largest bucket bound at or below the threshold, from the `le` values the histogram has. */
export function pickBucket(leValues: string[], thresholdSeconds: number, where: string): string | undefined {
  const bounds = leValues
    .map((text) => ({ text, value: Number(text) }))
    .filter((bound) => Number.isFinite(bound.value));
  if (bounds.length === 0) return undefined;
  const fitting = bounds.filter((bound) => bound.value <= thresholdSeconds * (1 + 1e-9));
  if (fitting.length === 0) {
    throw new UserError(
      `${where}: no histogram bucket at or below the threshold ${thresholdSeconds}s; buckets: ${bounds.map((bound) => bound.text).join(', ')}`,
    );
  }
  return fitting.reduce((best, bound) => (bound.value > best.value ? bound : best)).text;
}
