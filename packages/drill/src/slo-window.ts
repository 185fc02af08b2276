import {
  analyzeCanary,
  type AnalyzeCanaryOptions,
  type CanaryAnalysisSpec,
  type CanaryResult,
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
 * canary analysis: "canary" is the drill window, "baseline" the window before. Prometheus errors are thrown.
 */
export function compareWindows(
  spec: CanaryAnalysisSpec,
  window: { startMs: number; endMs: number },
  options: Omit<AnalyzeCanaryOptions, 'now'>,
): Promise<CanaryResult> {
  return analyzeCanary(windowAnalysis(spec, window.endMs - window.startMs), {
    ...options,
    now: new Date(window.endMs),
  });
}
