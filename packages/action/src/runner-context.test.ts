import { describe, expect, it } from '@jest/globals';
import os from 'node:os';
import {
  githubApiUrl,
  githubRepository,
  MAX_EPOCH_SECONDS,
  parseEpochSeconds,
  refBranch,
  repositoryUrl,
  runnerTempDir,
  runUrl,
  sourceDateEpoch,
  workspaceDir,
} from './runner-context.js';

describe('the runner context', () => {
  it('reads the workspace and the temp folder, with the local fallbacks', () => {
    expect(workspaceDir({ GITHUB_WORKSPACE: '/w/repo/' })).toBe('/w/repo');
    expect(workspaceDir({})).toBe(process.cwd());
    expect(runnerTempDir({ RUNNER_TEMP: '/r/temp' })).toBe('/r/temp');
    expect(runnerTempDir({})).toBe(os.tmpdir());
  });

  it('takes SOURCE_DATE_EPOCH only as whole seconds up to 9999-12-31', () => {
    expect(sourceDateEpoch({})).toBeUndefined();
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '' })).toBeUndefined();
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1700000000' })).toBe(1_700_000_000);
    expect(parseEpochSeconds(String(MAX_EPOCH_SECONDS))).toBe(MAX_EPOCH_SECONDS);
    expect(new Date(MAX_EPOCH_SECONDS * 1000).toISOString()).toBe('9999-12-31T23:59:59.000Z');
    for (const bad of ['99999999999999999999', '253402300800', '1e9', '-1', '17.5', 'soon'])
      expect(parseEpochSeconds(bad)).toBeUndefined();
    expect(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: '99999999999999999999' })).toThrow(
      "SOURCE_DATE_EPOCH is '99999999999999999999'; expected whole seconds since 1970 from 0 to 253402300799",
    );
  });

  it('builds the repository and run URLs from the server, repository, run and attempt', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://ghe.example/',
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_RUN_ID: '42',
    };
    expect(repositoryUrl(env)).toBe('https://ghe.example/acme/api');
    expect(repositoryUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/api' })).toBe(
      'https://github.com/acme/api',
    );
    expect(repositoryUrl({ GITHUB_REPOSITORY: 'acme/api' })).toBeUndefined();
    expect(runUrl(env)).toBe('https://ghe.example/acme/api/actions/runs/42');
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '3' })).toBe(
      'https://ghe.example/acme/api/actions/runs/42/attempts/3',
    );
    expect(repositoryUrl({})).toBeUndefined();
    expect(runUrl({ GITHUB_REPOSITORY: 'acme/api' })).toBeUndefined();
  });

  it('names the branch of the run, the repository and the API root', () => {
    expect(refBranch({ GITHUB_REF: 'refs/heads/feature/x' })).toBe('feature/x');
    // A pull request's run is on refs/pull/N/merge; its branch is the head's.
    expect(refBranch({ GITHUB_REF: 'refs/pull/7/merge', GITHUB_HEAD_REF: 'fix/y' })).toBe('fix/y');
    expect(refBranch({ GITHUB_REF: 'refs/tags/v1.0.0' })).toBeUndefined();
    expect(refBranch({})).toBeUndefined();
    expect(githubRepository({ GITHUB_REPOSITORY: 'acme/api' })).toBe('acme/api');
    expect(githubRepository({ GITHUB_REPOSITORY: '' })).toBeUndefined();
    expect(githubApiUrl({})).toBe('https://api.github.com');
    expect(githubApiUrl({ GITHUB_API_URL: 'https://ghe.example.com/api/v3' })).toBe(
      'https://ghe.example.com/api/v3',
    );
  });
});
