import { describe, expect, it } from '@jest/globals';
import { defaultParallelism } from './parallelism.js';

describe('defaultParallelism', () => {
  it('builds one target at a time where one go build fills every core', () => {
    expect([1, 2, 3, 4, 7].map((cpus) => defaultParallelism(cpus, 8))).toEqual([1, 1, 1, 1, 1]);
  });

  it('adds a build per four cores on larger machines', () => {
    expect([8, 12, 16, 64].map((cpus) => defaultParallelism(cpus, 32))).toEqual([2, 3, 4, 16]);
  });

  it('never runs more builds than there are targets, and always at least one', () => {
    expect(defaultParallelism(64, 2)).toBe(2);
    expect(defaultParallelism(64, 1)).toBe(1);
    expect(defaultParallelism(0, 0)).toBe(1);
  });
});
