import { describe, expect, it } from '@jest/globals';
import { rfc3339 } from '@gin-deploy/action/format';
import { buildTime, compactTimestamp } from './build-time.js';

describe('build time', () => {
  it('is the commit time by default, SOURCE_DATE_EPOCH when set, the clock for now; RFC 3339 UTC', () => {
    const sources = { commitTime: 1_700_000_000, nowMs: 1_800_000_000_500 };
    expect(buildTime('commit', sources)).toBe('2023-11-14T22:13:20Z');
    expect(buildTime('commit', { ...sources, sourceDateEpoch: 1_234_567_890 })).toBe('2009-02-13T23:31:30Z');
    expect(buildTime('now', { ...sources, sourceDateEpoch: 1_234_567_890 })).toBe('2027-01-15T08:00:00Z');
  });

  it('formats to the second and compacts for version identifiers', () => {
    expect(rfc3339(1.9)).toBe('1970-01-01T00:00:01Z');
    expect(compactTimestamp('2024-05-06T07:08:09Z')).toBe('20240506070809');
  });
});
