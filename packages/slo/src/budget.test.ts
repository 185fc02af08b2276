import { describe, expect, it } from '@jest/globals';
import { budgetRemaining, burnRate, roundForOutput, sliOf } from './budget.js';

describe('error budget maths', () => {
  it('computes the SLI, the budget left and the burn rate', () => {
    expect(sliOf({ good: 992, total: 1000 })).toBe(0.992);
    expect(sliOf({ good: 0, total: 0 })).toBeNull();
    expect(sliOf(null)).toBeNull();
    expect(roundForOutput(budgetRemaining(0.992, 0.99))).toBe(0.2);
    expect(roundForOutput(burnRate(0.992, 0.99))).toBe(0.8);
    expect(roundForOutput(budgetRemaining(0.98, 0.99))).toBe(-1);
    expect(budgetRemaining(1, 0.999)).toBe(1);
  });

  it('rounds away float noise for outputs', () => {
    expect(roundForOutput(0.19999999999999996)).toBe(0.2);
    expect(roundForOutput(14.400000000000002)).toBe(14.4);
  });
});
