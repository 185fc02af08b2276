import {
  durationInput,
  fractionInput,
  keyValueInput,
  numberInput,
  optionalInput,
  UserError,
} from '@gin-deploy/action';
import type { PrometheusClient } from '@gin-deploy/prometheus';
import {
  analyzeCanary,
  bothSides,
  canaryAnalysisFrom,
  errorRatioQueries,
  latencyQueries,
  parseCanaryAnalysis,
  type CanaryAnalysisSpec,
  type CanaryCheckSpec,
  type CanaryResult,
} from '@gin-deploy/slo';
import { readInputFile } from './slos.js';

/** The analysis from the `analysis` file and/or the inline inputs; inputs given override the file. */
export function readCanaryAnalysis(): CanaryAnalysisSpec {
  const file = optionalInput('analysis');
  const overrides: Partial<CanaryAnalysisSpec> = {};
  const canarySelector = optionalInput('canary-selector');
  const baselineSelector = optionalInput('baseline-selector');
  if (canarySelector !== undefined) overrides.canarySelector = canarySelector;
  if (baselineSelector !== undefined) overrides.baselineSelector = baselineSelector;
  if (optionalInput('analysis-interval') !== undefined)
    overrides.intervalMs = durationInput('analysis-interval');
  if (optionalInput('min-samples') !== undefined)
    overrides.minSamples = numberInput('min-samples', undefined, { min: 0 });
  const tolerance = fractionInput('tolerance');
  if (tolerance !== undefined) {
    if (tolerance < 0)
      throw new UserError(
        `input 'tolerance': '${optionalInput('tolerance')}' is not valid; expected 0% or more`,
      );
    overrides.tolerance = tolerance;
  }
  const checks = inlineChecks(tolerance ?? 0.1);
  if (file !== undefined) {
    const { path, text } = readInputFile('analysis', file);
    const spec = parseCanaryAnalysis(text, path);
    return { ...spec, ...overrides, checks: [...spec.checks, ...checks] };
  }
  if (checks.length === 0) {
    throw new UserError(
      "canary mode needs checks: input 'analysis' (a file), 'error-query' with 'total-query', 'latency-query', or 'canary-queries' with 'baseline-queries'",
    );
  }
  return canaryAnalysisFrom({ ...overrides, checks });
}

function inlineChecks(tolerance: number): CanaryCheckSpec[] {
  const common = { direction: 'lower' as const, tolerance, absoluteTolerance: 0 };
  const checks: CanaryCheckSpec[] = [];
  const errors = optionalInput('error-query');
  const total = optionalInput('total-query');
  if ((errors === undefined) !== (total === undefined)) {
    throw new UserError(
      "canary mode: input 'error-query' and input 'total-query' go together; give both or neither",
    );
  }
  if (errors !== undefined && total !== undefined) {
    const queries = errorRatioQueries(errors, total, "input 'error-query'/'total-query'");
    checks.push({ name: 'error-ratio', ...common, ...bothSides(queries) });
  }
  const latency = optionalInput('latency-query');
  if (latency !== undefined) {
    checks.push({
      name: 'latency-p99',
      ...common,
      ...bothSides(latencyQueries(latency, 0.99, "input 'latency-query'")),
    });
  }
  const canary = keyValueInput('canary-queries');
  const baseline = keyValueInput('baseline-queries');
  const names = [...new Set([...Object.keys(canary), ...Object.keys(baseline)])];
  for (const name of names) {
    if (canary[name] === undefined || baseline[name] === undefined) {
      throw new UserError(
        `input '${canary[name] === undefined ? 'canary-queries' : 'baseline-queries'}': no query named '${name}'; expected the same names in canary-queries and baseline-queries`,
      );
    }
    checks.push({ name, ...common, canaryQuery: canary[name], baselineQuery: baseline[name] });
  }
  return checks;
}

export function runCanary(
  client: PrometheusClient,
  spec: CanaryAnalysisSpec,
  time: Date,
  service: string | undefined,
): Promise<CanaryResult> {
  return analyzeCanary(spec, {
    prometheus: { url: client.url },
    client,
    now: time,
    variables: service === undefined ? {} : { service },
  });
}
