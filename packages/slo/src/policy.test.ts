import { describe, expect, it } from '@jest/globals';
import type { BurnRateCheck } from './burn-rate.js';
import { judgeSlo, worst } from './policy.js';
import { scoreGate } from './score.js';

const check = (
  long: number,
  short: number,
  factor: number,
  severity: 'fail' | 'warn' = 'fail',
): BurnRateCheck => ({
  window: '1h/5m',
  factor,
  severity,
  long,
  short,
  firing: long >= factor && short >= factor,
});

describe('policy', () => {
  const policy = { minBudgetRemaining: 0.3, warnBudgetRemaining: 0.5 };

  it('passes, warns and fails on the budget left', () => {
    expect(judgeSlo({ budgetRemaining: 0.9, burnRates: [] }, policy)).toEqual({
      verdict: 'pass',
      reasons: [],
    });
    expect(judgeSlo({ budgetRemaining: 0.4, burnRates: [] }, policy).verdict).toBe('warn');
    expect(judgeSlo({ budgetRemaining: 0.2, burnRates: [] }, policy)).toEqual({
      verdict: 'fail',
      reasons: ['budget remaining 20% is below the minimum 30%'],
    });
  });

  it('takes the severity of a firing burn-rate pair', () => {
    expect(judgeSlo({ budgetRemaining: 0.9, burnRates: [check(2, 2, 1, 'warn')] }, policy).verdict).toBe(
      'warn',
    );
    expect(judgeSlo({ budgetRemaining: 0.9, burnRates: [check(20, 15, 14.4)] }, policy).reasons).toEqual([
      'burn rate 20 over 1h confirmed by 15 over 5m is at least 14.4',
    ]);
  });

  it('fails a confirmed current burn rate above max-burn-rate', () => {
    const figures = { budgetRemaining: 0.9, burnRates: [check(3, 3, 14.4)] };
    expect(judgeSlo(figures, { ...policy, maxBurnRate: 2 }).verdict).toBe('fail');
    expect(
      judgeSlo({ ...figures, burnRates: [check(3, 1, 14.4)] }, { ...policy, maxBurnRate: 2 }).verdict,
    ).toBe('pass');
  });

  it('orders verdicts', () => {
    expect(worst([])).toBe('pass');
    expect(worst(['pass', 'fail', 'warn'])).toBe('fail');
  });
});

describe('scoring', () => {
  const slos = [
    { name: 'a', verdict: 'pass' as const, weight: 2, key: false },
    { name: 'b', verdict: 'warn' as const, weight: 1, key: false },
    { name: 'c', verdict: 'fail' as const, weight: 1, key: false },
  ];

  it('lets the worst verdict win, or scores by weight like Keptn', () => {
    expect(scoreGate(slos, { scoring: 'worst', passScore: 90, warnScore: 75 })).toMatchObject({
      decision: 'fail',
      score: 62.5,
    });
    expect(scoreGate(slos, { scoring: 'weighted', passScore: 60, warnScore: 50 }).decision).toBe('pass');
    expect(scoreGate(slos, { scoring: 'weighted', passScore: 90, warnScore: 60 }).decision).toBe('warn');
    expect(scoreGate(slos, { scoring: 'weighted', passScore: 90, warnScore: 75 }).decision).toBe('fail');
  });

  it('fails the gate on a failing key SLO whatever the score', () => {
    const keyed = slos.map((slo) => (slo.name === 'c' ? { ...slo, key: true } : slo));
    expect(scoreGate(keyed, { scoring: 'weighted', passScore: 10, warnScore: 5 })).toMatchObject({
      decision: 'fail',
      reason: "key SLO 'c' failed",
    });
  });
});
