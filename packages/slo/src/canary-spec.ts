import { UserError } from '@gin-deploy/action';
import { parseDocument, SpecNode } from './spec-reader.js';
import { addMatchers, hasPlaceholder, located } from './template.js';

/**
 * A canary-vs-baseline analysis, written in YAML or JSON:
 *
 * ```yaml
 * interval: 10m            # what each query covers: {{interval}} (default 5m)
 * step: 1m                 # per-interval samples for the Mann-Whitney U test (default 1m)
 * minIntervals: 10         # the test runs when interval/step gives at least this many (default 10)
 * alpha: 0.05              # significance of the one-sided test (default 0.05)
 * minSamples: 100          # requests per side below which a check is inconclusive (default 50)
 * tolerance: 10%           # how much worse than the baseline the canary may be (default 10%)
 * canary: track="canary"   # label matchers put in place of {{selector}} (defaults shown)
 * baseline: track="stable"
 * checks:
 *   - name: errors                      # error ratio from two counter selectors
 *     errorRatio:
 *       errors: http_requests_total{app="{{app}}",code=~"5.."}
 *       total: http_requests_total{app="{{app}}"}
 *   - name: p99                         # latency quantile from a histogram's bucket selector
 *     latency: { histogram: http_request_duration_seconds_bucket{app="{{app}}"}, quantile: 0.99 }
 *     tolerance: 20%
 *     absoluteTolerance: 0.005          # plus this much in the metric's unit (default 0)
 *   - name: custom                      # any PromQL; lower is better unless direction: higher
 *     query: sum(rate(x{ {{selector}} }[{{interval}}])) / sum(rate(y{ {{selector}} }[{{interval}}]))
 *     samples: sum(increase(y{ {{selector}} }[{{interval}}]))   # optional; the count for minSamples
 *   - name: two-query-sets              # or separate queries instead of {{selector}}
 *     canaryQuery: ...
 *     baselineQuery: ...
 * ```
 *
 * Selectors in `errorRatio` and `latency` get the canary or baseline matchers added when they do not use
 * `{{selector}}` themselves. Other placeholders (`{{app}}`, `{{namespace}}`) come from the caller's variables.
 */
export interface CanaryAnalysisSpec {
  source: string;
  intervalMs: number;
  stepMs: number;
  minIntervals: number;
  alpha: number;
  minSamples: number;
  tolerance: number;
  canarySelector: string;
  baselineSelector: string;
  checks: CanaryCheckSpec[];
}

export interface CanaryCheckSpec {
  name: string;
  /** Templates with {{selector}} and {{interval}}, one per side. */
  canaryQuery: string;
  baselineQuery: string;
  /** The sample count per side (requests), compared with minSamples; none means the check has no minimum. */
  canarySamples?: string;
  baselineSamples?: string;
  direction: 'lower' | 'higher';
  tolerance: number;
  absoluteTolerance: number;
  /** The query gives a share of events (0 to 1): any other value is an error, not a better canary. */
  ratio?: boolean;
}

export const CANARY_DEFAULTS = {
  intervalMs: 5 * 60_000,
  stepMs: 60_000,
  minIntervals: 10,
  alpha: 0.05,
  minSamples: 50,
  tolerance: 0.1,
  canarySelector: 'track="canary"',
  baselineSelector: 'track="stable"',
} as const;

export function parseCanaryAnalysis(text: string, source: string): CanaryAnalysisSpec {
  const root = new SpecNode(parseDocument(text, source), source, '').record(
    'a canary analysis mapping with checks (see the format in slo-gate/action.yml)',
  );
  const tolerance = root.child('tolerance').optionalFraction() ?? CANARY_DEFAULTS.tolerance;
  const spec: CanaryAnalysisSpec = {
    source,
    intervalMs: root.child('interval').optionalDuration() ?? CANARY_DEFAULTS.intervalMs,
    stepMs: root.child('step').optionalDuration() ?? CANARY_DEFAULTS.stepMs,
    minIntervals: positiveInteger(root.child('minIntervals')) ?? CANARY_DEFAULTS.minIntervals,
    alpha: root.child('alpha').optionalFraction() ?? CANARY_DEFAULTS.alpha,
    minSamples: nonNegative(root.child('minSamples')) ?? CANARY_DEFAULTS.minSamples,
    tolerance,
    canarySelector:
      root.child('canary').optionalString('label matchers such as track="canary"') ??
      CANARY_DEFAULTS.canarySelector,
    baselineSelector:
      root.child('baseline').optionalString('label matchers such as track="stable"') ??
      CANARY_DEFAULTS.baselineSelector,
    checks: [],
  };
  const checks = root
    .child('checks')
    .list('a list of checks, each with errorRatio, latency, query or canaryQuery/baselineQuery');
  if (checks.length === 0) throw root.child('checks').fail('at least one check');
  const names = new Set<string>();
  for (const [index, node] of checks.entries()) {
    const check = parseCheck(node.record('a check mapping'), index, tolerance);
    if (names.has(check.name)) throw node.child('name').fail(`a name not used by another check`);
    names.add(check.name);
    spec.checks.push(check);
  }
  return spec;
}

function parseCheck(node: SpecNode, index: number, defaultTolerance: number): CanaryCheckSpec {
  const kinds = ['errorRatio', 'latency', 'query', 'canaryQuery'].filter((key) => node.child(key).present);
  if (kinds.length !== 1) {
    throw node.fail('exactly one of errorRatio, latency, query, or canaryQuery with baselineQuery');
  }
  const direction = node.child('direction').optionalString("'lower' or 'higher'") ?? 'lower';
  if (direction !== 'lower' && direction !== 'higher')
    throw node.child('direction').fail("'lower' or 'higher'");
  const common = {
    direction: direction as 'lower' | 'higher',
    tolerance: node.child('tolerance').optionalFraction() ?? defaultTolerance,
    absoluteTolerance: nonNegative(node.child('absoluteTolerance')) ?? 0,
  };
  const kind = kinds[0];
  const where = `${node.source}: at '${node.path}'`;
  if (kind === 'errorRatio') {
    const ratio = node.child('errorRatio').record('a mapping with errors and total counter selectors');
    const errors = ratio.child('errors').string('a counter selector');
    const total = ratio.child('total').string('a counter selector');
    const queries = located(where, () => errorRatioQueries(errors, total));
    return { name: nameOf(node, index, 'error-ratio'), ...common, ...bothSides(queries), ratio: true };
  }
  if (kind === 'latency') {
    const latency = node.child('latency').record('a mapping with histogram and quantile');
    const quantile = latency.child('quantile').optionalNumber('a quantile between 0 and 1') ?? 0.99;
    if (quantile <= 0 || quantile >= 1) throw latency.child('quantile').fail('a quantile between 0 and 1');
    const histogram = latency.child('histogram').string('a histogram bucket selector');
    const queries = located(where, () => latencyQueries(histogram, quantile));
    return { name: nameOf(node, index, `latency-p${quantile * 100}`), ...common, ...bothSides(queries) };
  }
  if (kind === 'query') {
    const query = node.child('query').string('a PromQL query');
    const samples = node.child('samples').optionalString('a PromQL query counting the samples');
    return { name: nameOf(node, index, `check-${index + 1}`), ...common, ...bothSides({ query, samples }) };
  }
  return {
    name: nameOf(node, index, `check-${index + 1}`),
    ...common,
    canaryQuery: node.child('canaryQuery').string('a PromQL query'),
    baselineQuery: node.child('baselineQuery').string('a PromQL query'),
    canarySamples: node.child('canarySamples').optionalString('a PromQL query'),
    baselineSamples: node.child('baselineSamples').optionalString('a PromQL query'),
  };
}

function nameOf(node: SpecNode, index: number, fallback: string): string {
  return node.child('name').optionalString('a check name') ?? fallback;
}

/** One query template (and sample count) for both sides, told apart by {{selector}}. */
export function bothSides(queries: { query: string; samples?: string }) {
  return {
    canaryQuery: queries.query,
    baselineQuery: queries.query,
    canarySamples: queries.samples,
    baselineSamples: queries.samples,
  };
}

function withSelector(selector: string): string {
  return hasPlaceholder(selector, 'selector') ? selector : addMatchers(selector, '{{selector}}');
}

/** Error ratio and request count over {{interval}} from two counter selectors (a QueryTemplateError else). */
export function errorRatioQueries(errors: string, total: string): { query: string; samples: string } {
  const errorSeries = withSelector(errors);
  const totalSeries = withSelector(total);
  return {
    // A side without errors has no error series at all: that is a ratio of 0, not missing data.
    query: `(sum(rate(${errorSeries}[{{interval}}])) or vector(0)) / sum(rate(${totalSeries}[{{interval}}]))`,
    samples: `sum(increase(${totalSeries}[{{interval}}]))`,
  };
}

/** A latency quantile and request count over {{interval}} from a histogram's `_bucket` selector. */
export function latencyQueries(histogram: string, quantile: number): { query: string; samples: string } {
  const buckets = withSelector(histogram);
  return {
    query: `histogram_quantile(${quantile}, sum by (le) (rate(${buckets}[{{interval}}])))`,
    samples: `sum(increase(${addMatchers(buckets, 'le="+Inf"')}[{{interval}}]))`,
  };
}

function positiveInteger(node: SpecNode): number | undefined {
  const value = node.optionalNumber('a whole number of at least 1');
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw node.fail('a whole number of at least 1');
  return value;
}

function nonNegative(node: SpecNode): number | undefined {
  const value = node.optionalNumber('a number of at least 0');
  if (value !== undefined && value < 0) throw node.fail('a number of at least 0');
  return value;
}

/** Builds a spec from plain values (the action's inputs), checked like a parsed file. */
export function canaryAnalysisFrom(
  options: Partial<Omit<CanaryAnalysisSpec, 'checks' | 'source'>> & {
    checks: CanaryCheckSpec[];
    source?: string;
  },
): CanaryAnalysisSpec {
  if (options.checks.length === 0) throw new UserError('canary analysis: no checks were given');
  return { ...CANARY_DEFAULTS, source: 'inputs', ...options };
}
