import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeRun, runBundledAction } from '../support/action.js';
import { FakeGitHubApi } from '../support/github-api.js';
import { bareRemote, gitIn, TempRepo } from '../support/git-repo.js';
import { cancelStep } from '../support/processes.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'ghs_fakeReleaseToken0123456789';
const made: string[] = [];
let api: FakeGitHubApi;

beforeAll(async () => {
  api = await FakeGitHubApi.start();
});
afterAll(async () => {
  await api.stop();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A repository released as v1.2.3, with new commits on top, pushed to a bare remote. */
function releasedRepo(subjects: string[]): { repo: TempRepo; remote: string } {
  const repo = TempRepo.create();
  const remote = bareRemote();
  made.push(repo.dir, remote);
  repo.commit('feat: first');
  repo.tag('v1.2.3');
  repo.git('remote', 'add', 'origin', remote);
  repo.git('push', '--quiet', 'origin', 'main', 'v1.2.3');
  for (const subject of subjects) repo.commit(subject);
  repo.git('push', '--quiet', 'origin', 'main');
  return { repo, remote };
}

function release(dir: string, inputs: Record<string, string> = {}, onStart?: (step: ChildProcess) => void) {
  return runBundledAction('inject-version', {
    onStart,
    inputs: { 'working-directory': dir, release: 'true', ...inputs },
    env: {
      GITHUB_API_URL: api.url,
      GITHUB_REPOSITORY: 'acme/api',
      // No git identity configured, as on a fresh runner: the tag is made by the Actions bot.
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    },
    workspace: dir,
  });
}

describe('inject-version release: true', () => {
  const { repo, remote } = releasedRepo([
    'feat(api): add /v2 routes',
    'fix: nil pointer on an empty body',
    'chore: tidy the Makefile',
    'perf: cache route lookups',
  ]);
  const head = repo.head();
  const short = (sha: string) => sha.slice(0, 7);
  const shas = repo.git('log', '--format=%H', 'v1.2.3..HEAD').split('\n');

  it('tags the next release, pushes it and creates the GitHub release with grouped notes', async () => {
    const run = await release(repo.dir, { token: TOKEN });
    if (run.exitCode !== 0) throw new Error(describeRun(run));
    expect(run.outputs).toMatchObject({
      version: '1.3.0',
      tag: 'v1.3.0',
      'previous-tag': 'v1.2.3',
      'is-release': 'true',
      prerelease: 'false',
      released: 'true',
      bump: 'minor',
      'next-version': '1.3.0',
      'release-url': 'https://github.com/acme/api/releases/tag/v1.3.0',
    });
    expect(run.outputs.ldflags).toContain('-X main.Version=1.3.0 ');
    expect(run.outputs['docker-tags'].split('\n')).toEqual([
      '1.3.0',
      '1.3',
      '1',
      'latest',
      'main',
      `sha-${short(head)}`,
    ]);

    expect(gitIn(remote, 'rev-parse', 'v1.3.0^{commit}')).toBe(head);
    expect(gitIn(remote, 'cat-file', '-t', 'v1.3.0')).toBe('tag');
    expect(gitIn(remote, 'for-each-ref', '--format=%(taggername) %(taggeremail)', 'refs/tags/v1.3.0')).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>',
    );

    const notes = [
      '### Features',
      '',
      `- **api:** add /v2 routes (${short(shas[3])})`,
      '',
      '### Bug fixes',
      '',
      `- nil pointer on an empty body (${short(shas[2])})`,
      '',
      '### Performance',
      '',
      `- cache route lookups (${short(shas[0])})`,
      '',
      '### Other changes',
      '',
      `- tidy the Makefile (${short(shas[1])})`,
    ].join('\n');
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/api/releases/tags/v1.3.0',
      'POST /repos/acme/api/releases',
    ]);
    expect(api.requests[1].body).toEqual({
      tag_name: 'v1.3.0',
      name: 'v1.3.0',
      body: notes,
      draft: false,
      prerelease: false,
      make_latest: 'true',
    });
    expect(api.requests[1].headers.authorization).toBe(`token ${TOKEN}`);
    expect(run.summary).toContain('<details><summary>Release notes</summary>');

    // The runner hides ::add-mask:: lines; everything else must not show the token.
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
    const logs = run.stdout.replace(/^::add-mask::.*$/gm, '') + run.stderr + run.summary;
    expect(logs).not.toContain(TOKEN);
    expect(JSON.stringify(run.outputs)).not.toContain(TOKEN);
  });

  it('is idempotent: a re-run on the released commit makes no second tag and no error', async () => {
    const before = api.requests.length;
    const run = await release(repo.dir, { token: TOKEN });
    if (run.exitCode !== 0) throw new Error(describeRun(run));
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({
      version: '1.3.0',
      tag: 'v1.3.0',
      'is-release': 'true',
      released: 'false',
    });
    expect(gitIn(remote, 'tag', '--list').split('\n')).toEqual(['v1.2.3', 'v1.3.0']);
    expect(repo.git('tag', '--list').split('\n')).toEqual(['v1.2.3', 'v1.3.0']);
    expect(api.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/api/releases/tags/v1.3.0',
    ]);
    expect(run.outputs['release-url']).toBe('https://github.com/acme/api/releases/tag/v1.3.0');
  });

  it('a fresh full clone of the released commit is idempotent too', async () => {
    const clone = mkdtempSync(path.join(os.tmpdir(), 'iv-clone-'));
    made.push(clone);
    execFileSync('git', ['clone', '--quiet', remote, clone]);
    const run = await release(clone);
    if (run.exitCode !== 0) throw new Error(describeRun(run));
    expect(run.outputs).toMatchObject({ version: '1.3.0', released: 'false', 'previous-tag': 'v1.2.3' });
    expect(gitIn(remote, 'tag', '--list').split('\n')).toEqual(['v1.2.3', 'v1.3.0']);
  });
});

describe('inject-version release: true without a release to make', () => {
  it('only chores since the tag: a notice and no tag', async () => {
    const { repo, remote } = releasedRepo(['chore: tidy', 'docs: typo']);
    const run = await release(repo.dir);
    if (run.exitCode !== 0) throw new Error(describeRun(run));
    expect(run.stdout).toContain('::notice::nothing to release');
    expect(run.outputs).toMatchObject({ released: 'false', 'is-release': 'false', tag: '' });
    expect(gitIn(remote, 'tag', '--list')).toBe('v1.2.3');
  });

  it('a push that fails leaves no tag behind', async () => {
    const { repo } = releasedRepo(['fix: a']);
    repo.git('remote', 'set-url', 'origin', path.join(os.tmpdir(), 'iv-no-such-remote'));
    const run = await release(repo.dir);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("'git ls-remote --tags origin refs/tags/v1.2.4");
    expect(repo.git('tag', '--list')).toBe('v1.2.3');
  });

  it('a release tag that the remote has on another commit is never moved: one input error, nothing left behind', async () => {
    const { repo, remote } = releasedRepo(['fix: a']);
    // Someone else released v1.2.4 from another commit and pushed it.
    const other = TempRepo.create();
    made.push(other.dir);
    other.git('fetch', '--quiet', remote, 'main');
    other.git('checkout', '--quiet', '-B', 'main', 'FETCH_HEAD~1');
    other.write('THEIRS', 'their change\n');
    const theirs = other.commit('fix: theirs');
    other.tag('v1.2.4');
    other.git('push', '--quiet', remote, 'v1.2.4');
    const run = await release(repo.dir);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `input 'release': tag v1.2.4 already exists in origin on ${theirs.slice(0, 7)}, not on this commit ${repo.head().slice(0, 7)}; it is left as it is; expected the release tag free or on this commit (a tag is never moved)`,
    ]);
    expect(repo.git('tag', '--list').split('\n')).toEqual(['v1.2.3']);
    expect(gitIn(remote, 'rev-parse', 'v1.2.4^{commit}')).toBe(theirs);
  });

  it('an unknown remote is an input error before anything is tagged', async () => {
    const { repo } = releasedRepo(['fix: a']);
    const run = await release(repo.dir, { remote: 'upstream' });
    expect(run.errors).toEqual([
      "input 'remote': 'upstream' is not valid; expected a remote of the repository to push the release tag to (git remote -v)",
    ]);
    expect(repo.git('tag', '--list')).toBe('v1.2.3');
  });

  it('a shallow clone refuses to release', async () => {
    const { remote } = releasedRepo(['fix: a']);
    const clone = mkdtempSync(path.join(os.tmpdir(), 'iv-shallow-'));
    made.push(clone);
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${remote}`, clone]);
    const run = await release(clone);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^input 'release': the repository is a shallow clone.*'fetch-depth: 0'$/);
    expect(gitIn(remote, 'tag', '--list')).toBe('v1.2.3');
  });
});

describe('inject-version release: true when the job is cancelled', () => {
  it('during the tag push: deletes the tag it made, writes the failure outputs, and a re-run releases', async () => {
    const { repo, remote } = releasedRepo(['fix: retry the flaky upstream']);
    // The remote is slow to take the tag: its pre-receive hook says it started, then waits.
    const marker = path.join(remote, 'push-started');
    const hook = path.join(remote, 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\nsleep 30\n`, { mode: 0o755 });
    let step: ChildProcess | undefined;
    const running = release(repo.dir, {}, (child) => (step = child));
    await waitFor('the tag push to reach the remote', 60_000, async () =>
      existsSync(marker) ? true : undefined,
    );
    const run = await cancelStep(step!, running);
    expect(run.errors).toEqual(["the job was cancelled (SIGINT): 'git push' was stopped"]);
    expect(run.outputs).toMatchObject({ version: '', tag: '', released: 'false', ldflags: '' });
    expect(run.summary).toContain('### inject-version failed');
    // Neither here nor on the remote: the next run tags afresh, and says it released.
    expect(repo.git('tag', '--list', 'v1.2.4')).toBe('');
    expect(gitIn(remote, 'tag', '--list', 'v1.2.4')).toBe('');

    rmSync(hook);
    const again = await release(repo.dir);
    if (again.exitCode !== 0) throw new Error(describeRun(again));
    expect(again.outputs).toMatchObject({ version: '1.2.4', tag: 'v1.2.4', released: 'true' });
    expect(gitIn(remote, 'tag', '--list', 'v1.2.4')).toBe('v1.2.4');
  }, 120_000);
});
