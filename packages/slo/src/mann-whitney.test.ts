import { describe, expect, it } from '@jest/globals';
import { mannWhitneyU, normalCdf } from './mann-whitney.js';

describe('Mann-Whitney U', () => {
  it('counts how often the first sample exceeds the second, ties as halves', () => {
    expect(mannWhitneyU([4, 5, 6], [1, 2, 3]).u).toBe(9);
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6]).u).toBe(0);
    expect(mannWhitneyU([1, 2], [2, 3]).u).toBe(0.5);
  });

  it('gives the normal-approximation p-values with continuity correction', () => {
    // n1 = n2 = 3: mean 4.5, variance 3·3/12·7 = 5.25; z = (9 − 4.5 − 0.5)/√5.25 = 1.74574.
    const { pGreater, pLess } = mannWhitneyU([4, 5, 6], [1, 2, 3]);
    expect(pGreater).toBeCloseTo(1 - normalCdf(4 / Math.sqrt(5.25)), 12);
    expect(pGreater).toBeCloseTo(0.040428, 5);
    expect(pLess).toBeCloseTo(normalCdf(5 / Math.sqrt(5.25)), 12);
  });

  it('corrects the variance for ties and finds no evidence when everything ties', () => {
    expect(mannWhitneyU([1, 1, 1], [1, 1, 1])).toEqual({ u: 4.5, pGreater: 1, pLess: 1 });
    const tied = mannWhitneyU([2, 2, 3, 3], [1, 1, 2, 2]);
    // Ties: groups of sizes 2, 4, 2 → Σ(t³ − t) = 6 + 60 + 6 = 72; variance = 16/12 · (9 − 72/56).
    const z = (tied.u - 8 - 0.5) / Math.sqrt((16 / 12) * (9 - 72 / 56));
    expect(tied.pGreater).toBeCloseTo(1 - normalCdf(z), 12);
  });

  it('has a normal CDF accurate to 1e-7', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644853627)).toBeCloseTo(0.05, 6);
  });
});
