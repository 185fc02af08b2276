import { describe, expect, it } from '@jest/globals';
import { compareSemVer, formatSemVer, increment, parseSemVer, semverTags, type SemVer } from './semver.js';

const v = (text: string): SemVer => parseSemVer(text) as SemVer;

describe('semantic versions', () => {
  it('parses and formats round-trip', () => {
    for (const text of ['0.0.0', '1.2.3', '1.2.3-rc.1', '1.2.3-dev.4+abc1234', '10.20.30-alpha-1.0a+b.c']) {
      expect(formatSemVer(v(text))).toBe(text);
    }
  });

  it.each(['1.2', 'v1.2.3', '01.2.3', '1.2.3-', '1.2.3-01', '1.2.3+', 'dev', '1.2.3 ', '1.2.3-a..b'])(
    'rejects %j',
    (text) => expect(parseSemVer(text)).toBeUndefined(),
  );

  it('orders by precedence as semver.org §11 lists it', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1-dev.2',
      '1.0.1-dev.10',
      '1.0.1',
      '2.0.0',
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.map(v).sort(compareSemVer).map(formatSemVer)).toEqual(ordered);
    expect(compareSemVer(v('1.0.0+a'), v('1.0.0+b'))).toBe(0);
  });

  it.each([
    ['1.2.3', 'patch', '1.2.4'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'major', '2.0.0'],
    ['1.2.3', 'none', '1.2.3'],
    ['1.2.0-rc.1', 'patch', '1.2.0'],
    ['1.2.0-rc.1', 'minor', '1.2.0'],
    ['1.2.1-rc.1', 'minor', '1.3.0'],
    ['2.0.0-rc.1', 'major', '2.0.0'],
    ['1.2.0-rc.1', 'major', '2.0.0'],
  ] as const)('increments %s by %s to %s', (from, bump, to) => {
    expect(formatSemVer(increment(v(from), bump))).toBe(to);
  });

  it('keeps only <prefix><semver> tags, highest first', () => {
    const tags = ['v1.2.3', 'v1.10.0', 'latest', 'v1', 'v1.2', 'api/v3.0.0', 'v2.0.0-rc.1', '1.9.9', 'vfoo'];
    expect(semverTags(tags, 'v').map((t) => t.tag)).toEqual(['v2.0.0-rc.1', 'v1.10.0', 'v1.2.3']);
    expect(semverTags(tags, 'api/v').map((t) => t.tag)).toEqual(['api/v3.0.0']);
    expect(semverTags(tags, '').map((t) => t.tag)).toEqual(['1.9.9']);
  });
});
