import { describe, expect, it } from '@jest/globals';
import { budgetConsumption, chartStepMs, consumptionChart } from './chart.js';

const DAY = 86_400_000;

describe('the budget chart', () => {
  it('steps through the window in about 30 whole steps', () => {
    expect(chartStepMs(28 * DAY)).toBe(DAY);
    expect(chartStepMs(30 * DAY)).toBe(DAY);
    expect(chartStepMs(7 * DAY)).toBe(6 * 3_600_000);
    expect(chartStepMs(3_600_000)).toBe(120_000);
  });

  it('accumulates bad events against what the objective allows over the whole window', () => {
    const points = [
      { time: 0, counts: { good: 995, total: 1000 } },
      { time: 86_400, counts: null },
      { time: 172_800, counts: { good: 1000, total: 1000 } },
      { time: 259_200, counts: { good: 990, total: 1000 } },
    ];
    // Allowed: 1% of 3000 = 30 bad events; 5 then 15 were spent.
    expect(budgetConsumption(points, 0.99).map((value) => Number(value.toFixed(12)))).toEqual(
      [1 / 6, 1 / 6, 1 / 6, 0.5].map((value) => Number(value.toFixed(12))),
    );
    expect(consumptionChart('api: budget', points, [0.1, 0.2, 0.3, 1.234])).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "api: budget"',
        '  x-axis ["01-01 00h", "01-02 00h", "01-03 00h", "01-04 00h"]',
        '  y-axis "budget consumed (%)" 0 --> 130',
        '  line [10, 20, 30, 123.4]',
        '  line [25, 50, 75, 100]',
        '```',
      ].join('\n'),
    );
  });
});
