import { describe, expect, it } from '@jest/globals';
import { healthScore } from './score.js';

describe('health score', () => {
  const base = {
    recoveryMs: 15_000,
    recovered: true,
    boundMs: 60_000,
    worstAvailability: 0.5,
    crashLoop: false,
  };
  it('weighs recovery 40 and availability 30 over the probes that ran', () => {
    // (40 × 0.75 + 30 × 0.5) / 70 = 64.3
    expect(healthScore(base).score).toBe(64);
    // (40 × 0.75 + 30 × 0.5 + 30 × (1 + 0.5) / 2) / 100 = 67.5
    expect(healthScore({ ...base, slo: { passed: 1, inconclusive: 1, total: 2 } }).score).toBe(68);
  });
  it('gives recovery nothing when the app did not recover or crash-loops', () => {
    expect(healthScore({ ...base, recovered: false }).score).toBe(21);
    expect(healthScore({ ...base, crashLoop: true }).score).toBe(21);
    expect(healthScore({ ...base, recoveryMs: 90_000 }).score).toBe(21);
  });
});
