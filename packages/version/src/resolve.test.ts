import { describe, expect, it } from '@jest/globals';
import { parseCommit } from './conventional.js';
import { isHighestRelease, locateTags, resolveVersion, type ResolveInput } from './resolve.js';
import { formatSemVer, parseSemVer, type SemVer } from './semver.js';

const v = (text: string) => parseSemVer(text) as SemVer;
const input = (overrides: Partial<ResolveInput>): ResolveInput => ({
  location: {},
  commits: [],
  distance: 3,
  bump: 'auto',
  format: '{next}-dev.{distance}+{short}',
  commit: 'abc1234def',
  short: 'abc1234',
  timestamp: '20240101000000',
  dirty: false,
  ...overrides,
});

describe('resolving the version', () => {
  it('two tags on HEAD: the highest wins, the baseline is the highest below it', () => {
    const location = locateTags(
      'v',
      ['v1.3.0', 'v1.2.9', 'nightly'],
      ['v1.3.0', 'v1.2.9', 'v1.2.0', 'nightly'],
    );
    expect([location.current?.tag, location.baseline?.tag]).toEqual(['v1.3.0', 'v1.2.0']);
    const resolution = resolveVersion(input({ location }));
    expect(resolution).toMatchObject({ tag: 'v1.3.0', previousTag: 'v1.2.0', isRelease: true });
    expect(formatSemVer(resolution.version)).toBe('1.3.0');
  });

  it('a dirty tagged commit is not the release', () => {
    const location = locateTags('v', ['v1.3.0'], ['v1.3.0']);
    const resolution = resolveVersion(input({ location, dirty: true }));
    expect([formatSemVer(resolution.version), resolution.isRelease, resolution.tag]).toEqual([
      '1.3.0+dirty',
      false,
      undefined,
    ]);
  });

  it('after a tag: the next release from the commits, or a patch when none asks for one', () => {
    const location = locateTags('v', [], ['v1.3.0']);
    const feat = resolveVersion(
      input({ location, commits: [parseCommit({ sha: 'a', subject: 'feat: x', body: '' })] }),
    );
    expect([formatSemVer(feat.version), feat.bump, formatSemVer(feat.next as SemVer)]).toEqual([
      '1.4.0-dev.3+abc1234',
      'minor',
      '1.4.0',
    ]);
    const chore = resolveVersion(
      input({ location, commits: [parseCommit({ sha: 'a', subject: 'chore: x', body: '' })] }),
    );
    expect([formatSemVer(chore.version), chore.bump, chore.next]).toEqual([
      '1.3.1-dev.3+abc1234',
      'none',
      undefined,
    ]);
    expect(formatSemVer(resolveVersion(input({ location, bump: 'major' })).version)).toBe(
      '2.0.0-dev.3+abc1234',
    );
  });

  it('latest names only the highest stable release', () => {
    const tags = ['v1.2.0', 'v2.0.0', 'v2.1.0-rc.1'];
    expect(isHighestRelease(v('2.0.0'), 'v', tags)).toBe(true);
    expect(isHighestRelease(v('1.2.1'), 'v', tags)).toBe(false);
    expect(isHighestRelease(v('2.1.0-rc.1'), 'v', tags)).toBe(false);
  });
});
