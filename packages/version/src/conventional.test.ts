import { describe, expect, it } from '@jest/globals';
import { bumpFromCommits, parseCommit } from './conventional.js';
import { releaseNotes } from './notes.js';
import { parseSemVer, type SemVer } from './semver.js';

const commit = (subject: string, body = '', sha = 'a'.repeat(40)) => parseCommit({ sha, subject, body });
const v = (text: string) => parseSemVer(text) as SemVer;

describe('conventional commits', () => {
  it('reads type, scope, breaking marker and description', () => {
    expect(commit('feat(api)!: drop v1 routes')).toMatchObject({
      type: 'feat',
      scope: 'api',
      breaking: true,
      description: 'drop v1 routes',
    });
    expect(commit('fix: handle nil')).toMatchObject({ type: 'fix', scope: undefined, breaking: false });
    expect(commit('Update README')).toEqual({
      sha: 'a'.repeat(40),
      subject: 'Update README',
      body: '',
      description: 'Update README',
      breaking: false,
    });
    expect(commit('feat: x', 'Some text.\n\nBREAKING CHANGE: config moved').breaking).toBe(true);
    expect(commit('feat: x', 'BREAKING-CHANGE: config moved').breaking).toBe(true);
    expect(commit('feat: x', 'breaking change: lower case is not the token').breaking).toBe(false);
  });

  it.each([
    [['chore: tidy', 'docs: typo'], '1.2.3', 'none'],
    [['fix: a', 'chore: b'], '1.2.3', 'patch'],
    [['perf: faster'], '1.2.3', 'patch'],
    [['fix: a', 'feat: b'], '1.2.3', 'minor'],
    [['feat!: b', 'fix: a'], '1.2.3', 'major'],
    [['feat!: b'], '0.4.1', 'minor'],
    [['feat: b'], '0.4.1', 'minor'],
    [['fix: b'], '0.4.1', 'patch'],
  ])('%j since %s → %s', (subjects, current, bump) => {
    expect(
      bumpFromCommits(
        subjects.map((s) => commit(s)),
        v(current),
      ),
    ).toBe(bump);
  });

  it('groups release notes by type, breaking changes first, each commit once', () => {
    const notes = releaseNotes([
      commit('feat(api): add /v2', '', '1111111aaaa'),
      commit('fix: nil map', '', '2222222bbbb'),
      commit('feat!: drop v1', '', '3333333cccc'),
      commit('chore: bump deps', '', '4444444dddd'),
      commit('perf: cache lookups', '', '5555555eeee'),
    ]);
    expect(notes).toBe(
      [
        '### ⚠ Breaking changes',
        '',
        '- drop v1 (3333333)',
        '',
        '### Features',
        '',
        '- **api:** add /v2 (1111111)',
        '',
        '### Bug fixes',
        '',
        '- nil map (2222222)',
        '',
        '### Performance',
        '',
        '- cache lookups (5555555)',
        '',
        '### Other changes',
        '',
        '- bump deps (4444444)',
      ].join('\n'),
    );
    expect(releaseNotes([])).toBe('No changes since the previous release.');
  });
});
