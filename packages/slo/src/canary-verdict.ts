import { mannWhitneyU } from './mann-whitney.js';
import type { CanaryCheckSpec } from './canary-spec.js';

export type CanaryVerdict = 'pass' | 'fail' | 'inconclusive';

export interface CanaryCheckResult {
  name: string;
  canary: number | null;
  baseline: number | null;
  verdict: CanaryVerdict;
  reason: string;
  /** The rendered PromQL, for reports. */
  queries?: string[];
}

export interface CanaryResult {
  verdict: CanaryVerdict;
  checks: CanaryCheckResult[];
}

/** What was measured for one check on both sides. */
export interface CanaryObservation {
  canary: number | null;
  baseline: number | null;
  canarySamples?: number | null;
  baselineSamples?: number | null;
  /** Per-interval values (NaN dropped), present when the interval holds enough steps for the U test. */
  canaryIntervals?: number[];
  baselineIntervals?: number[];
  queries?: string[];
}

export interface JudgeOptions {
  minSamples: number;
  minIntervals: number;
  alpha: number;
}

const round = (value: number) => Number(value.toPrecision(6));

/** Why a check has too few samples to be judged, or undefined when it has enough. */
export function sampleShortfall(
  check: CanaryCheckSpec,
  seen: CanaryObservation,
  options: Pick<JudgeOptions, 'minSamples'>,
): string | undefined {
  for (const side of ['canary', 'baseline'] as const) {
    const samples = side === 'canary' ? seen.canarySamples : seen.baselineSamples;
    const query = side === 'canary' ? check.canarySamples : check.baselineSamples;
    if (query === undefined) continue;
    if (samples === null || samples === undefined || samples < options.minSamples) {
      return `${side} has ${round(samples ?? 0)} samples, fewer than the minimum ${options.minSamples}`;
    }
  }
  return undefined;
}

/**
 * Judges one check. Below the minimum sample count, or without data, it is inconclusive. With enough
 * per-interval samples, a one-sided Mann-Whitney U test decides whether the canary is significantly worse than
 * the baseline allowed its tolerance; otherwise the aggregate values are compared against that allowance.
 */
export function judgeCheck(
  check: CanaryCheckSpec,
  seen: CanaryObservation,
  options: JudgeOptions,
): CanaryCheckResult {
  const result = (verdict: CanaryVerdict, reason: string): CanaryCheckResult => ({
    name: check.name,
    canary: seen.canary,
    baseline: seen.baseline,
    verdict,
    reason,
  });
  const shortfall = sampleShortfall(check, seen, options);
  if (shortfall !== undefined) return result('inconclusive', shortfall);
  if (seen.canary === null || Number.isNaN(seen.canary))
    return result('inconclusive', 'no data for the canary');
  if (seen.baseline === null || Number.isNaN(seen.baseline))
    return result('inconclusive', 'no data for the baseline');

  const lower = check.direction === 'lower';
  const allowance = (value: number) =>
    lower
      ? value * (1 + check.tolerance) + check.absoluteTolerance
      : value * (1 - check.tolerance) - check.absoluteTolerance;
  const limit = allowance(seen.baseline);
  const worse = lower ? seen.canary > limit : seen.canary < limit;
  const aggregate = `canary ${round(seen.canary)} vs baseline ${round(seen.baseline)} (limit ${round(limit)}, ${lower ? 'lower' : 'higher'} is better)`;

  const canaryIntervals = seen.canaryIntervals ?? [];
  const baselineIntervals = seen.baselineIntervals ?? [];
  if (canaryIntervals.length >= options.minIntervals && baselineIntervals.length >= options.minIntervals) {
    const test = mannWhitneyU(canaryIntervals, baselineIntervals.map(allowance));
    const p = lower ? test.pGreater : test.pLess;
    const significant = p < options.alpha;
    const statistic = `Mann-Whitney U=${test.u} over ${canaryIntervals.length}/${baselineIntervals.length} intervals, p=${round(p)} (alpha ${options.alpha})`;
    return significant
      ? result(
          'fail',
          `canary significantly worse than baseline beyond tolerance: ${statistic}; ${aggregate}`,
        )
      : result('pass', `no significant degradation: ${statistic}; ${aggregate}`);
  }
  return worse
    ? result('fail', `canary worse than baseline beyond tolerance: ${aggregate}`)
    : result('pass', aggregate);
}

/** Any failed check fails the analysis; otherwise any inconclusive one makes it inconclusive. */
export function overallCanaryVerdict(checks: CanaryCheckResult[]): CanaryVerdict {
  if (checks.some((check) => check.verdict === 'fail')) return 'fail';
  if (checks.some((check) => check.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}
