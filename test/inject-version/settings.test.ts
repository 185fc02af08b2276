// inject-version's settings reader in-process, driven by INPUT_* variables as the runner sets them (the bundle
// tests in inject-version.test.ts run the same reader through dist/). Every input and every runner variable
// the step uses is read here, once.
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSettings } from '../../actions/inject-version/src/settings.js';
import { clearInputs, setInput, setInputs, withEnvironment } from '../support/inputs.js';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'iv-settings-'));
const event = path.join(workspace, 'event.json');
let restore: () => void;

beforeEach(() => {
  clearInputs();
  restore = withEnvironment({
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: undefined,
    GITHUB_EVENT_PATH: undefined,
    GITHUB_REF: undefined,
    GITHUB_HEAD_REF: undefined,
    GITHUB_REPOSITORY: undefined,
    GITHUB_SERVER_URL: undefined,
    GITHUB_API_URL: undefined,
    SOURCE_DATE_EPOCH: undefined,
  });
});
afterEach(() => {
  clearInputs();
  restore();
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('inject-version readSettings', () => {
  it('gives the defaults of action.yml when no input is set, in the workspace', () => {
    expect(readSettings()).toEqual({
      dir: workspace,
      prefix: 'v',
      format: expect.any(String),
      bump: 'auto',
      release: false,
      token: undefined,
      remote: 'origin',
      buildTime: 'commit',
      goPackage: '.',
      variables: { version: 'main.Version', commit: 'main.GitCommit', buildTime: 'main.BuildTime' },
      extra: [],
      strict: false,
      image: undefined,
      latest: 'auto',
      event: expect.objectContaining({}),
      runner: {
        workspace,
        sourceDateEpoch: undefined,
        branch: undefined,
        repository: undefined,
        repositoryUrl: undefined,
        apiUrl: 'https://api.github.com',
      },
    });
  });

  it('reads every input as the runner passes it', () => {
    setInputs({
      'tag-prefix': 'api/v',
      'version-format': '{version}-rc.{distance}',
      bump: 'minor',
      release: 'true',
      remote: 'upstream',
      'build-time': 'now',
      'go-package': './cmd/api',
      'version-variable': 'example.com/api/build.Version',
      'commit-variable': 'main.Commit',
      'build-time-variable': 'main.Built',
      variables: 'main.Environment=production\nmain.Region=eu',
      strict: 'yes',
      image: 'GHCR.io/Acme/API',
      latest: 'false',
    });
    expect(readSettings()).toMatchObject({
      prefix: 'api/v',
      format: '{version}-rc.{distance}',
      bump: 'minor',
      release: true,
      remote: 'upstream',
      buildTime: 'now',
      goPackage: './cmd/api',
      variables: { version: 'example.com/api/build.Version', commit: 'main.Commit', buildTime: 'main.Built' },
      extra: [
        { symbol: 'main.Environment', value: 'production' },
        { symbol: 'main.Region', value: 'eu' },
      ],
      strict: true,
      image: 'ghcr.io/acme/api',
      latest: 'false',
    });
    setInput('tag-prefix', 'none');
    expect(readSettings().prefix).toBe('');
  });

  it('reads the runner context: branch, repository, API root, SOURCE_DATE_EPOCH and the event', () => {
    writeFileSync(
      event,
      JSON.stringify({ number: 7, pull_request: { number: 7, head: { sha: 'a'.repeat(40), ref: 'fix/x' } } }),
    );
    // The same variables as beforeEach's, so afterEach puts them back.
    withEnvironment({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_HEAD_REF: 'fix/x',
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
      SOURCE_DATE_EPOCH: '1700000000',
    });
    const settings = readSettings();
    expect(settings.runner).toEqual({
      workspace,
      sourceDateEpoch: 1_700_000_000,
      branch: 'fix/x',
      repository: 'acme/api',
      repositoryUrl: 'https://github.com/acme/api',
      apiUrl: 'https://ghe.example.com/api/v3',
    });
    expect(settings.event.pullRequest).toMatchObject({
      number: 7,
      headSha: 'a'.repeat(40),
      headRef: 'fix/x',
    });
  });

  it.each([
    [
      'working-directory',
      'no-such-dir',
      `input 'working-directory': '${path.join(workspace, 'no-such-dir')}' is not valid; expected an existing directory (the checked-out repository)`,
    ],
    ['bump', 'sideways', "input 'bump': 'sideways' is not one of auto, major, minor, patch, none"],
    ['release', 'maybe', "input 'release': 'maybe' is not valid; expected true or false"],
    [
      'tag-prefix',
      '../v',
      "input 'tag-prefix': '../v' is not valid; expected a tag prefix such as v or api/v ('none' for bare X.Y.Z tags)",
    ],
    [
      'version-variable',
      'Version',
      "input 'version-variable': 'Version' is not valid; expected a Go symbol such as main.Version or example.com/app/build.Version",
    ],
    [
      'variables',
      'Environment=production',
      "input 'variables': 'Environment=production' is not valid; expected lines of <package>.<Variable>=<value>, e.g. main.Environment=production",
    ],
    ['latest', 'sometimes', "input 'latest': 'sometimes' is not one of auto, true, false"],
    // The reference grammar's own reason (packages/oci), translated to the input here.
    [
      'image',
      'ghcr.io/acme/api:1.0',
      "input 'image': 'ghcr.io/acme/api:1.0' is not valid; expected an image name such as ghcr.io/acme/api, without a tag ('ghcr.io/acme/api:1.0' must be a repository name without a tag or digest)",
    ],
    [
      'image',
      'my_registry:5000/api',
      "input 'image': 'my_registry:5000/api' is not valid; expected an image name such as ghcr.io/acme/api, without a tag ('my_registry:5000' is not a registry host)",
    ],
  ])('names input %s in one line: %j', (name, value, message) => {
    setInput(name, value);
    expect(() => readSettings()).toThrow(new Error(message));
  });

  it('names a SOURCE_DATE_EPOCH the step cannot use', () => {
    process.env.SOURCE_DATE_EPOCH = 'yesterday';
    expect(() => readSettings()).toThrow(
      /^SOURCE_DATE_EPOCH is 'yesterday'; expected whole seconds since 1970/,
    );
  });
});
