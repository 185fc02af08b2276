import { describe, expect, it } from '@jest/globals';
import { formatBytes, rfc3339, rfc3339Micro } from './format.js';

describe('formatBytes', () => {
  it('uses binary units with one decimal by default, trailing zeros dropped', () => {
    expect([0, 512, 1023, 1024, 1536, 22_334_669, 2 ** 30, 5 * 2 ** 40].map((n) => formatBytes(n))).toEqual([
      '0 B',
      '512 B',
      '1023 B',
      '1 KiB',
      '1.5 KiB',
      '21.3 MiB',
      '1 GiB',
      '5 TiB',
    ]);
  });

  it('keeps the sign of a change and takes more decimals when asked', () => {
    expect(formatBytes(-384 * 2 ** 20)).toBe('-384 MiB');
    expect(formatBytes(22_334_669, 2)).toBe('21.3 MiB');
    expect(formatBytes(22_345_000, 2)).toBe('21.31 MiB');
    // Past TiB the number grows rather than the unit.
    expect(formatBytes(2048 * 2 ** 40)).toBe('2048 TiB');
  });
});

describe('RFC 3339', () => {
  it('to the second in UTC, a fraction dropped', () => {
    expect(rfc3339(0)).toBe('1970-01-01T00:00:00Z');
    expect(rfc3339(1_714_979_289.999)).toBe('2024-05-06T07:08:09Z');
    expect(rfc3339(253_402_300_799)).toBe('9999-12-31T23:59:59Z');
  });

  it("Kubernetes' MicroTime with six decimals", () => {
    expect(rfc3339Micro(new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)))).toBe('2024-05-06T07:08:09.123000Z');
    expect(rfc3339Micro()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}000Z$/);
  });
});
