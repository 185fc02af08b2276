import { describe, expect, it } from '@jest/globals';
import { measureRecovery } from './recovery.js';

const s = (atMs: number, ready: number, desired = 4) => ({ atMs, ready, desired });

describe('recovery', () => {
  it('is the time from the fault to the first fully available look, with the worst availability', () => {
    expect(measureRecovery([s(100, 2), s(600, 3), s(4100, 4), s(4600, 4)], [50])).toEqual({
      recoveryMs: 4050,
      recovered: true,
      worstAvailability: 0.5,
    });
  });

  it('takes the slowest of repeated faults, and says when one never recovered', () => {
    const samples = [s(0, 3), s(1000, 4), s(2000, 2), s(5000, 4), s(6000, 3), s(9000, 3)];
    expect(measureRecovery(samples.slice(0, 4), [0, 2000])).toMatchObject({
      recoveryMs: 3000,
      recovered: true,
    });
    expect(measureRecovery(samples, [0, 2000, 6000])).toEqual({
      recoveryMs: 3000,
      recovered: false,
      worstAvailability: 0.5,
    });
  });
});
