import { describe, expect, it } from '@jest/globals';
import { costOfChange, formatBytes, formatCores } from './cost.js';
import { parseQuantity } from './quantity.js';
import {
  headroomAt,
  parseRedundancy,
  recommendedBounds,
  requiredReplicas,
  supplyVerdict,
} from './replicas.js';

describe('replica arithmetic', () => {
  it('needs ceil(peak × (1 + headroom) / per-replica) + the spares', () => {
    expect(requiredReplicas(540, 54, 0.2, 2)).toBe(14); // 12 exactly, not 13 from 12.000000000000002
    expect(requiredReplicas(541, 54, 0.2, 2)).toBe(15);
    expect(requiredReplicas(0, 54, 0.2, 1)).toBe(2); // at least one serving replica
  });

  it('passes, warns or fails on the supply', () => {
    expect(supplyVerdict(14, 540, 54, 0.2, 2)).toBe('pass');
    expect(supplyVerdict(12, 540, 54, 0.2, 2)).toBe('warn'); // 10 + 2 without the headroom
    expect(supplyVerdict(11, 540, 54, 0.2, 2)).toBe('fail');
    expect(headroomAt(14, 2, 54, 540)).toBeCloseTo(0.2, 12);
    expect(headroomAt(11, 2, 54, 540)).toBeCloseTo(-0.1, 12);
  });

  it('reads N+k and recommends HPA bounds', () => {
    expect([
      parseRedundancy('N+2'),
      parseRedundancy('n + 1'),
      parseRedundancy('0'),
      parseRedundancy('2x'),
    ]).toEqual([2, 1, 0, undefined]);
    expect(recommendedBounds(14, 2)).toEqual({ minReplicas: 3, maxReplicas: 14 });
    expect(recommendedBounds(1, 0)).toEqual({ minReplicas: 1, maxReplicas: 1 });
  });

  it('costs a change of maxReplicas in requests', () => {
    expect(costOfChange(10, 14, { cpuCores: 0.25, memoryBytes: 256 * 2 ** 20 })).toEqual({
      replicas: 4,
      cpuCores: 1,
      memoryBytes: 2 ** 30,
    });
    expect([formatCores(1), formatCores(0.375), formatBytes(2 ** 30), formatBytes(-384 * 2 ** 20)]).toEqual([
      '1 core',
      '0.375 cores',
      '1 GiB',
      '-384 MiB',
    ]);
  });

  it('reads Kubernetes quantities', () => {
    expect(['250m', '2', '0.5', '256Mi', '1Gi', '1G', '1e3', '12x', ''].map(parseQuantity)).toEqual([
      0.25,
      2,
      0.5,
      268435456,
      2 ** 30,
      1e9,
      1000,
      undefined,
      undefined,
    ]);
  });
});
