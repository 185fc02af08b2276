import { describe, expect, it } from '@jest/globals';
import type { CanaryCheckSpec } from './canary-spec.js';
import { judgeCheck, overallCanaryVerdict } from './canary-verdict.js';

const check: CanaryCheckSpec = {
  name: 'errors',
  canaryQuery: 'c',
  baselineQuery: 'b',
  canarySamples: 'cs',
  baselineSamples: 'bs',
  direction: 'lower',
  tolerance: 0.1,
  absoluteTolerance: 0,
};
const options = { minSamples: 100, minIntervals: 5, alpha: 0.05 };
const counts = { canarySamples: 500, baselineSamples: 5000 };

describe('judging a canary check', () => {
  it('is inconclusive below the minimum samples or without data', () => {
    expect(
      judgeCheck(check, { canary: 0.01, baseline: 0.01, canarySamples: 50, baselineSamples: 5000 }, options),
    ).toMatchObject({
      verdict: 'inconclusive',
      reason: 'canary has 50 samples, fewer than the minimum 100',
    });
    expect(
      judgeCheck(check, { canary: 0.01, baseline: 0.01, canarySamples: 500, baselineSamples: null }, options)
        .reason,
    ).toBe('baseline has 0 samples, fewer than the minimum 100');
    expect(judgeCheck(check, { canary: null, baseline: 0.01, ...counts }, options).reason).toBe(
      'no data for the canary',
    );
    expect(
      judgeCheck(
        { ...check, canarySamples: undefined, baselineSamples: undefined },
        { canary: 1, baseline: 1 },
        options,
      ).verdict,
    ).toBe('pass');
  });

  it('compares aggregates against the tolerance when there are too few intervals', () => {
    expect(judgeCheck(check, { canary: 0.0109, baseline: 0.01, ...counts }, options).verdict).toBe('pass');
    expect(judgeCheck(check, { canary: 0.0111, baseline: 0.01, ...counts }, options)).toMatchObject({
      verdict: 'fail',
      reason:
        'canary worse than baseline beyond tolerance: canary 0.0111 vs baseline 0.01 (limit 0.011, lower is better)',
    });
    const higher = { ...check, direction: 'higher' as const, absoluteTolerance: 1 };
    // Higher is better: the limit is 100 × 0.9 − 1 = 89.
    expect(judgeCheck(higher, { canary: 89, baseline: 100, ...counts }, options).verdict).toBe('pass');
    expect(judgeCheck(higher, { canary: 88.9, baseline: 100, ...counts }, options).verdict).toBe('fail');
  });

  it('lets a Mann-Whitney U test decide when both sides have enough intervals', () => {
    const baselineIntervals = [0.01, 0.012, 0.009, 0.011, 0.01, 0.01];
    const judge = (canary: number, canaryIntervals: number[]) =>
      judgeCheck(check, { canary, baseline: 0.01, ...counts, canaryIntervals, baselineIntervals }, options);
    const worse = judge(0.05, [0.05, 0.04, 0.06, 0.05, 0.05, 0.05]);
    expect(worse.verdict).toBe('fail');
    expect(worse.reason).toMatch(
      /^canary significantly worse than baseline beyond tolerance: Mann-Whitney U=36 over 6\/6 intervals, p=0\.00/,
    );
    // One noisy interval moves the aggregate over the limit, but the intervals are not significantly worse.
    expect(judge(0.012, [0.009, 0.01, 0.011, 0.01, 0.03, 0.009]).verdict).toBe('pass');
  });

  it('fails the analysis on any failure, else is inconclusive on any inconclusive check', () => {
    const result = (verdict: 'pass' | 'fail' | 'inconclusive') => ({
      name: verdict,
      canary: 0,
      baseline: 0,
      verdict,
      reason: '',
    });
    expect(overallCanaryVerdict([result('pass'), result('inconclusive'), result('fail')])).toBe('fail');
    expect(overallCanaryVerdict([result('pass'), result('inconclusive')])).toBe('inconclusive');
    expect(overallCanaryVerdict([result('pass')])).toBe('pass');
  });
});
