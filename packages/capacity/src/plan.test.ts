import { describe, expect, it } from '@jest/globals';
import { demandChart } from './chart.js';
import { DAY_S } from './forecast.js';
import type { CapacityHistory } from './history.js';
import { planCapacity, type CapacityPolicy } from './plan.js';

const now = 1_767_225_600; // 2026-01-01T00:00:00Z
const history = (overrides: Partial<CapacityHistory> = {}): CapacityHistory => ({
  dailyPeaks: Array.from({ length: 14 }, (_, index) => ({
    time: now - (13 - index) * DAY_S,
    peak: 100 + index,
  })),
  perReplica: 30,
  coveredMs: 14 * DAY_S * 1000,
  maxReplicas: 8,
  replicas: 4,
  requests: { cpuCores: 0.1, memoryBytes: 2 ** 27 },
  queries: [],
  ...overrides,
});
const policy: CapacityPolicy = {
  now,
  lookbackS: 14 * DAY_S,
  horizonS: 7 * DAY_S,
  minHistoryS: 7 * DAY_S,
  multiplier: 1,
  headroom: 0.2,
  redundancy: 1,
  onNoData: 'fail',
  declared: {},
};

describe('the capacity plan', () => {
  it('answers every question from a full history', () => {
    const plan = planCapacity(history(), policy);
    // 113 today, +1 a day: 120 in 7 days; ceil(120 × 1.2 / 30) + 1 = 6 of 8.
    expect(plan.demand.forecast?.peak).toBeCloseTo(120, 9);
    expect(plan).toMatchObject({
      decision: 'pass',
      requiredReplicas: 6,
      recommendation: { minReplicas: 2, maxReplicas: 6 },
      cost: { replicas: -2, cpuCores: -0.2, memoryBytes: -(2 ** 28), source: 'kube-state-metrics' },
      perReplica: { value: 30, source: 'history' },
    });
    expect(plan.headroom).toBeCloseTo((7 * 30) / 120 - 1, 9);
  });

  it('never passes on a missing number: on-no-data decides, and every gap is named', () => {
    const plan = planCapacity(history({ dailyPeaks: [], maxReplicas: null, perReplica: null }), {
      ...policy,
      onNoData: 'warn',
    });
    expect(plan.decision).toBe('warn');
    expect(plan.requiredReplicas).toBeNull();
    expect(plan.reasons).toEqual([
      'no forecast: 0 daily peak(s) of request rate over the lookback, at least 2 needed',
      '14d of request-rate and latency history, less than the 7d needed to measure per-replica capacity; declare it with replica-capacity',
      'no supply: no kube_horizontalpodautoscaler_spec_max_replicas series and no max-replicas given',
    ]);
  });

  it('draws bars for the past days and the trend into the horizon', () => {
    const chart = demandChart({
      title: 'api',
      peaks: [
        { time: now - DAY_S, peak: 10 },
        { time: now, peak: 12 },
      ],
      now,
      lookbackS: 2 * DAY_S,
      horizonS: DAY_S,
      fit: { slope: 2 / DAY_S, intercept: 12 - (2 / DAY_S) * now },
      multiplier: 2,
      capacity: 20,
    });
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "api"',
        '  x-axis ["12-30", "12-31", "01-01"]',
        '  y-axis "requests/s" 0 --> 31',
        '  bar [10, 12, 0]',
        '  line [10, 12, 28]',
        '  line [20, 20, 20]',
        '```',
      ].join('\n'),
    );
  });
});
