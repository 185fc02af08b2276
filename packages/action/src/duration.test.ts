import { describe, expect, it } from '@jest/globals';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['28d', 2_419_200_000],
    ['1w', 604_800_000],
    ['1.5h', 5_400_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '10', '28x', 'm10', '1h 30m', '-5s'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it.each([
    [5_400_000, '1h30m'],
    [2_419_200_000, '28d'],
    [1500, '1s500ms'],
    [0, '0s'],
  ])('formats %d as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
