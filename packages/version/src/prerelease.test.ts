import { describe, expect, it } from '@jest/globals';
import { DEFAULT_DEV_FORMAT, devVersion, type DevContext } from './prerelease.js';
import { formatSemVer, parseSemVer, type SemVer } from './semver.js';

const v = (text: string) => parseSemVer(text) as SemVer;
const base: DevContext = {
  last: v('1.2.3'),
  next: v('1.2.4'),
  distance: 5,
  commit: 'abc1234def5678',
  short: 'abc1234',
  branch: 'feature/Login_v2',
  timestamp: '20240506070809',
  dirty: false,
};
const render = (format: string, context: Partial<DevContext> = {}) =>
  formatSemVer(devVersion(format, { ...base, ...context }));

describe('development versions', () => {
  it('default: the next release, dev.N and the commit as build metadata', () => {
    expect(render(DEFAULT_DEV_FORMAT)).toBe('1.2.4-dev.5+abc1234');
    expect(render(DEFAULT_DEV_FORMAT, { dirty: true })).toBe('1.2.4-dev.5+abc1234.dirty');
    expect(render(DEFAULT_DEV_FORMAT, { last: undefined, next: v('0.0.1') })).toBe('0.0.1-dev.5+abc1234');
  });

  it('fills every placeholder, with the branch made a valid identifier', () => {
    expect(render('{major}.{minor}.{patch}-{branch}.{timestamp}+{commit}')).toBe(
      '1.2.4-feature-Login-v2.20240506070809+abc1234def5678',
    );
  });

  it('appends to a pre-release tag so the build sorts after it', () => {
    expect(render(DEFAULT_DEV_FORMAT, { last: v('2.0.0-rc.1'), next: v('2.0.0') })).toBe(
      '2.0.0-rc.1.dev.5+abc1234',
    );
  });

  it.each([
    ['{next}+{short}', 'not a pre-release'],
    ['dev', 'not a semantic version'],
    ['{next}-{nope}', 'unknown placeholder {nope}'],
    ['1.0.0-dev.{distance}', 'does not sort after the last release 1.2.3'],
  ])('rejects %j: %s', (format, message) => {
    expect(() => render(format)).toThrow(message);
  });
});
