import { describe, expect, it } from '@jest/globals';
import { canaryReplicas, parseCanarySteps } from './canary-steps.js';
import { CanaryStepsError } from './errors.js';

describe('parseCanarySteps', () => {
  it('adds the final 100 and spreads pauses (the last repeats)', () => {
    expect(parseCanarySteps('10,50', ['30s', 'manual'])).toEqual([
      { weight: 10, pauseMs: 30_000 },
      { weight: 50, pauseMs: 'manual' },
      { weight: 100, pauseMs: 'manual' },
    ]);
    expect(parseCanarySteps('25%, 100', [])).toEqual([
      { weight: 25, pauseMs: 0 },
      { weight: 100, pauseMs: 0 },
    ]);
  });

  it.each([
    ['50,10', 'steps must increase, but 10 follows 50'],
    ['10,10', 'steps must increase, but 10 follows 10'],
    ['10,150', 'step 150 is above 100'],
    ['0,50', "'0' is not a whole percentage above 0"],
    ['ten', "'ten' is not a whole percentage above 0"],
  ])('rejects %s', (text, message) => {
    expect(() => parseCanarySteps(text, [])).toThrow(CanaryStepsError);
    expect(() => parseCanarySteps(text, [])).toThrow(new CanaryStepsError(message));
  });

  it('rejects a pause that is not a duration', () => {
    expect(() => parseCanarySteps('10', ['soon'])).toThrow(
      new CanaryStepsError("pause 'soon' is not a duration (such as 30s or 5m) or 'manual'", 'soon'),
    );
    expect(() => parseCanarySteps('10', ['soon'])).toThrow(expect.objectContaining({ pause: 'soon' }));
  });

  it('gives each step its share of the replicas, at least one', () => {
    expect([10, 25, 50, 99].map((weight) => canaryReplicas(weight, 4))).toEqual([1, 1, 2, 4]);
  });
});
