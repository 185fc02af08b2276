import { describe, expect, it } from '@jest/globals';
import { availabilityChart, scoreChart } from './chart.js';

describe('drill charts', () => {
  it('draws the worst availability of each slot as a line', () => {
    const samples = [
      { atMs: -1000, ready: 0, desired: 2 },
      { atMs: 0, ready: 2, desired: 2 },
      { atMs: 1000, ready: 1, desired: 2 },
      { atMs: 2000, ready: 2, desired: 2 },
    ];
    expect(availabilityChart('api: "availability"', samples)).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "api: \'availability\'"',
        '  x-axis ["0s", "1s", "1s"]',
        '  y-axis "available (%)" 0 --> 100',
        '  line [100, 50, 100]',
        '```',
      ].join('\n'),
    );
    expect(availabilityChart('none', [{ atMs: -1, ready: 1, desired: 1 }])).toBe('');
  });

  it('draws scores as bars, with the median they were compared with as a line', () => {
    const scores = [
      { label: 'a', score: 83 },
      { label: 'b', score: 45 },
    ];
    const bars = [
      '```mermaid',
      'xychart-beta',
      '  title "scores"',
      '  x-axis ["a", "b"]',
      '  y-axis "health score" 0 --> 100',
      '  bar [83, 45]',
    ];
    expect(scoreChart('scores', scores)).toBe([...bars, '```'].join('\n'));
    expect(scoreChart('scores', scores, 82)).toBe([...bars, '  line [82, 82]', '```'].join('\n'));
  });
});
