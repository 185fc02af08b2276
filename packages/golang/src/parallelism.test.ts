import { describe, expect, it } from '@jest/globals';
import { compileProcesses, defaultParallelism } from './parallelism.js';

describe('defaultParallelism', () => {
  it('builds one target per core: the link that ends each go build runs on about one core', () => {
    expect([1, 2, 3, 4, 7, 8].map((cpus) => defaultParallelism(cpus, 8))).toEqual([1, 2, 3, 4, 7, 8]);
  });

  it('never runs more builds than there are targets, and always at least one', () => {
    expect(defaultParallelism(64, 2)).toBe(2);
    expect(defaultParallelism(64, 1)).toBe(1);
    expect(defaultParallelism(2, 1)).toBe(1);
    expect(defaultParallelism(0, 0)).toBe(1);
  });
});

describe('compileProcesses', () => {
  it('shares the CPUs out between the go builds running at once', () => {
    expect(compileProcesses(2, 2)).toBe(1);
    expect(compileProcesses(8, 2)).toBe(4);
    expect(compileProcesses(8, 3)).toBe(2);
    expect(compileProcesses(4, 8)).toBe(1);
  });

  it('leaves a single build at Go’s default of one compile per CPU', () => {
    expect(compileProcesses(2, 1)).toBeUndefined();
    expect(compileProcesses(64, 1)).toBeUndefined();
  });
});
