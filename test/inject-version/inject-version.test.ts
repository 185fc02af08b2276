import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeRun, repoRoot, runBundledAction } from '../support/action.js';
import { FIRST_COMMIT_EPOCH, TempRepo } from '../support/git-repo.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function repo(): TempRepo {
  const created = TempRepo.create();
  made.push(created.dir);
  return created;
}

function run(dir: string, inputs: Record<string, string> = {}, env: Record<string, string | undefined> = {}) {
  return runBundledAction('inject-version', {
    inputs: { 'working-directory': dir, ...inputs },
    env: { SOURCE_DATE_EPOCH: undefined, ...env },
    workspace: dir,
  });
}

async function ok(
  dir: string,
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
) {
  const result = await run(dir, inputs, env);
  if (result.exitCode !== 0) throw new Error(describeRun(result));
  return result;
}

async function failure(dir: string, inputs: Record<string, string> = {}) {
  const result = await run(dir, inputs);
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).not.toContain('\n');
  // No version is handed on: every output is written empty, and the summary says why.
  expect(result.outputs).toMatchObject({
    version: '',
    tag: '',
    ldflags: '',
    'docker-tags': '',
    released: 'false',
  });
  expect(result.summary).toContain(`### inject-version failed\n\n${result.errors[0]}`);
  return result.errors[0];
}

const GO_MOD = 'module example.com/tiny\n\ngo 1.22\n';

describe('inject-version on a tagged commit', () => {
  const r = repo();
  r.commit('feat: first');
  r.tag('v1.4.1');
  const head = r.commit('fix: second');
  r.tag('v1.4.2');

  it('is the release X.Y.Z with its tags, labels and ldflags', async () => {
    const result = await ok(r.dir, { image: 'GHCR.io/Acme/API' });
    const short = head.slice(0, 7);
    const time = new Date((FIRST_COMMIT_EPOCH + 120) * 1000).toISOString().replace('.000Z', 'Z');
    expect(result.outputs).toMatchObject({
      version: '1.4.2',
      tag: 'v1.4.2',
      'previous-tag': 'v1.4.1',
      commit: head,
      'short-commit': short,
      'build-time': time,
      'is-release': 'true',
      prerelease: 'false',
      dirty: 'false',
      branch: 'main',
      'commits-since-tag': '1',
      bump: 'none',
      'next-version': '',
      released: 'false',
      ldflags: `-X main.Version=1.4.2 -X main.GitCommit=${head} -X main.BuildTime=${time}`,
      'docker-tags': [
        'ghcr.io/acme/api:1.4.2',
        'ghcr.io/acme/api:1.4',
        'ghcr.io/acme/api:1',
        'ghcr.io/acme/api:latest',
        'ghcr.io/acme/api:main',
        `ghcr.io/acme/api:sha-${short}`,
      ].join('\n'),
      labels: [
        `org.opencontainers.image.title=${path.basename(r.dir)}`,
        'org.opencontainers.image.version=1.4.2',
        `org.opencontainers.image.revision=${head}`,
        `org.opencontainers.image.created=${time}`,
      ].join('\n'),
    });
    expect(JSON.parse(result.outputs.json)).toMatchObject({ version: '1.4.2', 'is-release': true });
    expect(result.summary).toContain('| `version` | 1.4.2 |');
    expect(result.summary).toContain('| `docker-tags` | ghcr.io/acme/api:1.4.2<br>');
    expect(result.summary).toContain('-buildvcs');
  });

  it('honours SOURCE_DATE_EPOCH, and build-time: now', async () => {
    const fixed = await ok(r.dir, {}, { SOURCE_DATE_EPOCH: '1234567890' });
    expect(fixed.outputs['build-time']).toBe('2009-02-13T23:31:30Z');
    const before = Date.now();
    const now = await ok(r.dir, { 'build-time': 'now' });
    expect(Date.parse(now.outputs['build-time'])).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(now.outputs['build-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('source, url and licenses come from the runner context and the LICENSE file', async () => {
    r.write(
      'LICENSE',
      'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n',
    );
    r.git('add', 'LICENSE');
    r.git('commit', '--quiet', '--amend', '--no-edit');
    r.git('tag', '--force', 'v1.4.2');
    const result = await ok(
      r.dir,
      {},
      { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/api' },
    );
    expect(result.outputs.labels).toContain('org.opencontainers.image.title=api\n');
    expect(result.outputs.labels).toContain('org.opencontainers.image.source=https://github.com/acme/api\n');
    expect(result.outputs.labels).toContain('org.opencontainers.image.url=https://github.com/acme/api\n');
    expect(result.outputs.labels).toContain('org.opencontainers.image.licenses=MIT');
  });
});

describe('inject-version between tags', () => {
  it('is a dev pre-release of the next version, from the commits since the tag', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.2.3');
    r.commit('fix: a');
    const head = r.commit('chore: b');
    const short = head.slice(0, 7);
    const patch = await ok(r.dir);
    expect(patch.outputs).toMatchObject({
      version: `1.2.4-dev.2+${short}`,
      tag: '',
      'previous-tag': 'v1.2.3',
      'is-release': 'false',
      prerelease: 'true',
      'commits-since-tag': '2',
      bump: 'patch',
      'next-version': '1.2.4',
      'docker-tags': `1.2.4-dev.2-${short}\nmain\nsha-${short}`,
    });
    r.commit('feat(api): c');
    const minor = await ok(r.dir);
    expect(minor.outputs.version).toMatch(/^1\.3\.0-dev\.3\+[0-9a-f]{7}$/);
    r.commit('refactor!: d');
    const major = await ok(r.dir);
    expect([major.outputs.version.split('+')[0], major.outputs.bump]).toEqual(['2.0.0-dev.4', 'major']);
    const none = await ok(r.dir, { bump: 'none' });
    expect([none.outputs.version.split('+')[0], none.outputs['next-version']]).toEqual(['1.2.4-dev.4', '']);
  });

  it('before 1.0.0 a breaking change bumps the minor version', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v0.4.1');
    r.commit('feat!: drop the old API');
    const result = await ok(r.dir);
    expect([result.outputs.version.split('+')[0], result.outputs.bump]).toEqual(['0.5.0-dev.1', 'minor']);
  });

  it('without any tag starts from 0.0.0 and counts every commit', async () => {
    const r = repo();
    r.commit('chore: one');
    const head = r.commit('docs: two');
    const result = await ok(r.dir);
    expect(result.outputs).toMatchObject({
      version: `0.0.1-dev.2+${head.slice(0, 7)}`,
      'previous-tag': '',
      'commits-since-tag': '2',
    });
  });

  it('after a pre-release tag the dev build extends it, so it sorts after it', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v2.0.0-rc.1');
    const head = r.commit('fix: after rc');
    expect((await ok(r.dir)).outputs.version).toBe(`2.0.0-rc.1.dev.1+${head.slice(0, 7)}`);
  });

  it('follows a custom version-format and rejects one that is not a pre-release', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    const head = r.commit('fix: x');
    const custom = await ok(r.dir, {
      'version-format': '{next}-snapshot.{timestamp}.{distance}+git.{short}',
    });
    const stamp = new Date((FIRST_COMMIT_EPOCH + 120) * 1000)
      .toISOString()
      .replace(/[^0-9]/g, '')
      .slice(0, 14);
    expect(custom.outputs.version).toBe(`1.0.1-snapshot.${stamp}.1+git.${head.slice(0, 7)}`);
    expect(await failure(r.dir, { 'version-format': '{next}+{short}' })).toMatch(
      /^input 'version-format': '\{next\}\+\{short\}' gives '1\.0\.1\+[0-9a-f]{7}', which is not a pre-release/,
    );
    expect(await failure(r.dir, { 'version-format': 'dev' })).toBe(
      "input 'version-format': 'dev' gives 'dev', which is not a semantic version",
    );
  });
});

describe('inject-version edge cases', () => {
  it('two tags on one commit: the highest wins', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('feat: second');
    r.tag('v1.1.0');
    r.tag('v1.2.0');
    const result = await ok(r.dir);
    expect(result.outputs).toMatchObject({ version: '1.2.0', tag: 'v1.2.0', 'previous-tag': 'v1.0.0' });
  });

  it('ignores tags that are not <prefix><semver>', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    const head = r.commit('fix: second');
    for (const tag of ['latest', 'v1', 'v1.1', 'release-2.0.0', 'v9.9.9.9', 'vnext', 'V3.0.0']) r.tag(tag);
    const result = await ok(r.dir);
    expect(result.outputs).toMatchObject({
      version: `1.0.1-dev.1+${head.slice(0, 7)}`,
      'previous-tag': 'v1.0.0',
      'is-release': 'false',
    });
  });

  it('a monorepo tag prefix such as api/v sees only its own tags', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('api/v1.2.3');
    r.tag('web/v7.0.0');
    r.tag('v9.0.0');
    const onTag = await ok(r.dir, { 'tag-prefix': 'api/v' });
    expect(onTag.outputs).toMatchObject({ version: '1.2.3', tag: 'api/v1.2.3', 'is-release': 'true' });
    const head = r.commit('feat(api): more');
    const after = await ok(r.dir, { 'tag-prefix': 'api/v' });
    expect(after.outputs).toMatchObject({
      version: `1.3.0-dev.1+${head.slice(0, 7)}`,
      'previous-tag': 'api/v1.2.3',
    });
    expect(await failure(r.dir, { 'tag-prefix': 'api v' })).toBe(
      "input 'tag-prefix': 'api v' is not valid; expected a tag prefix such as v or api/v ('none' for bare X.Y.Z tags)",
    );
  });

  it('a shallow clone warns about fetch-depth: 0 and still gives a sane version', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v3.1.0');
    r.commit('fix: second');
    const head = r.commit('fix: third');
    const clone = mkdtempSync(path.join(os.tmpdir(), 'iv-shallow-'));
    made.push(clone);
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${r.dir}`, clone]);
    const result = await ok(clone);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("'fetch-depth: 0'");
    expect(result.warnings[0]).toContain('shallow clone');
    expect(result.outputs).toMatchObject({ version: `0.0.1-dev.1+${head.slice(0, 7)}`, commit: head });
    expect(result.summary).toContain('fetch-depth: 0');
  });

  it('a repository without commits is a clear error', async () => {
    const r = repo();
    expect(await failure(r.dir)).toBe(
      `the repository at ${r.dir} has no commits yet; commit something before versioning it`,
    );
  });

  it('a folder that is not a repository is a clear error', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'iv-plain-'));
    made.push(dir);
    expect(await failure(dir)).toBe(
      `input 'working-directory': ${dir} is not inside a git repository; check the code out first (actions/checkout)`,
    );
  });

  it('a detached HEAD takes the branch or pull request from the runner context', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    const middle = r.commit('fix: second');
    r.commit('fix: third');
    r.git('checkout', '--quiet', '--detach', middle);
    const bare = await ok(r.dir);
    const short = middle.slice(0, 7);
    expect(bare.outputs).toMatchObject({
      version: `1.0.1-dev.1+${short}`,
      commit: middle,
      branch: '',
      'docker-tags': `1.0.1-dev.1-${short}\nsha-${short}`,
    });
    const pushed = await ok(r.dir, {}, { GITHUB_REF: 'refs/heads/feature/Login', GITHUB_EVENT_NAME: 'push' });
    expect(pushed.outputs.branch).toBe('feature/Login');
    expect(pushed.outputs['docker-tags']).toBe(`1.0.1-dev.1-${short}\nfeature-Login\nsha-${short}`);
    const pr = await ok(
      r.dir,
      { image: 'localhost:5000/api' },
      { GITHUB_REF: 'refs/pull/42/merge', GITHUB_HEAD_REF: 'feature/x', GITHUB_EVENT_NAME: 'pull_request' },
    );
    expect(pr.outputs['docker-tags']).toBe(
      `localhost:5000/api:1.0.1-dev.1-${short}\nlocalhost:5000/api:pr-42\nlocalhost:5000/api:sha-${short}`,
    );
  });

  it('pull_request_target: pr-N and the head branch from the payload, never the base branch tag', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    const base = r.commit('fix: on main');
    const short = base.slice(0, 7);
    const headSha = 'c'.repeat(40);
    const payload = path.join(r.dir, '..', `${path.basename(r.dir)}-event.json`);
    made.push(payload);
    writeFileSync(
      payload,
      JSON.stringify({
        action: 'synchronize',
        number: 17,
        pull_request: {
          number: 17,
          head: { sha: headSha, ref: 'feature/x' },
          base: { sha: base, ref: 'main' },
        },
      }),
    );
    // On pull_request_target the runner's ref and the checkout are the base branch's (main).
    const result = await ok(
      r.dir,
      { image: 'localhost:5000/api' },
      {
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: base,
        GITHUB_HEAD_REF: 'feature/x',
        GITHUB_EVENT_PATH: payload,
      },
    );
    expect(result.outputs['docker-tags'].split('\n')).toEqual([
      `localhost:5000/api:1.0.1-dev.1-${short}`,
      'localhost:5000/api:pr-17',
      `localhost:5000/api:sha-${short}`,
    ]);
    expect(result.outputs).toMatchObject({
      branch: 'feature/x',
      'pull-request': '17',
      'pull-request-sha': headSha,
    });
    expect(result.warnings).toEqual([expect.stringContaining('built from the base branch')]);
  });

  it('a release event versions the commit as the payload release tag, even if the checkout lacks the tag', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    const head = r.commit('feat: second');
    const payload = path.join(r.dir, '..', `${path.basename(r.dir)}-event.json`);
    made.push(payload);
    writeFileSync(payload, JSON.stringify({ action: 'published', release: { tag_name: 'v1.1.0' } }));
    const result = await ok(
      r.dir,
      {},
      {
        GITHUB_EVENT_NAME: 'release',
        GITHUB_REF: 'refs/tags/v1.1.0',
        GITHUB_SHA: head,
        GITHUB_EVENT_PATH: payload,
      },
    );
    expect(result.outputs).toMatchObject({
      version: '1.1.0',
      tag: 'v1.1.0',
      'is-release': 'true',
      'pull-request': '',
    });
    expect(result.outputs['docker-tags'].split('\n')).toEqual([
      '1.1.0',
      '1.1',
      '1',
      'latest',
      'main',
      `sha-${head.slice(0, 7)}`,
    ]);
  });

  it('a dirty tree marks the version and is not a release, even on a tag', async () => {
    const r = repo();
    r.write('file.txt', 'one\n');
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.write('file.txt', 'changed\n');
    r.write('untracked.txt', 'ignored, as git describe --dirty does\n');
    const onTag = await ok(r.dir);
    expect(onTag.outputs).toMatchObject({
      version: '1.0.0+dirty',
      dirty: 'true',
      'is-release': 'false',
      tag: '',
    });
    expect(onTag.outputs['docker-tags'].split('\n')).toEqual([
      '1.0.0-dirty',
      'main',
      `sha-${r.head().slice(0, 7)}`,
    ]);
    r.git('stash', '--quiet');
    const head = r.commit('fix: next');
    r.git('stash', 'pop', '--quiet');
    const after = await ok(r.dir);
    expect(after.outputs.version).toBe(`1.0.1-dev.1+${head.slice(0, 7)}.dirty`);
  });

  it('an invalid bump is a one-line error listing the valid values', async () => {
    const r = repo();
    r.commit('feat: first');
    expect(await failure(r.dir, { bump: 'sideways' })).toBe(
      "input 'bump': 'sideways' is not one of auto, major, minor, patch, none",
    );
  });

  it.each([
    ['latest', 'sometimes', "input 'latest': 'sometimes' is not one of auto, true, false"],
    ['build-time', 'yesterday', "input 'build-time': 'yesterday' is not one of commit, now"],
    [
      'image',
      'ghcr.io/acme/api:1.0',
      "input 'image': 'ghcr.io/acme/api:1.0' is not valid; expected an image name",
    ],
    ['version-variable', 'Version', "input 'version-variable': 'Version' is not valid; expected a Go symbol"],
    [
      'variables',
      `main.Motto=it's "x"`,
      'input \'variables\': "main.Motto=it\'s \\"x\\"" holds both \' and "',
    ],
  ])('rejects %s: %j', async (name, value, message) => {
    const r = repo();
    r.commit('feat: first');
    expect(await failure(r.dir, { [name]: value })).toContain(message);
  });
});

describe('inject-version checks the -X variables in the Go sources', () => {
  const r = repo();
  r.write('go.mod', GO_MOD);
  r.write(
    'main.go',
    'package main\n\nimport "fmt"\n\nvar Version = "dev"\n\nvar GitCommit int\n\nvar BuildTime = fmt.Sprint("x")\n\nfunc main() { fmt.Println(Version, GitCommit, BuildTime) }\n',
  );
  r.write(
    'cmd/tool/main.go',
    'package main\n\nvar (\n\tVersion   string\n\tGitCommit string\n\tBuildTime = "unknown"\n)\n\nfunc main() {}\n',
  );
  r.write('internal/build/build.go', 'package build\n\nvar Note string\n');
  r.commit('feat: first');

  it('warns about each variable -X cannot set', async () => {
    const result = await ok(r.dir, { 'version-variable': 'main.AppVersion' });
    expect(result.warnings).toEqual([
      'main.AppVersion is not declared in the package; Go ignores -X for it',
      'main.GitCommit has type int (main.go:7); -X needs a variable of type string',
      'main.BuildTime is initialised with a non-constant expression (main.go:9), which overwrites the -X value at start-up',
    ]);
    // On the declaration's file and line (workspace-relative), where GitHub shows them in the diff.
    expect(result.stdout).toContain('::warning file=main.go,line=7::main.GitCommit has type int');
    expect(result.stdout).toContain('::warning file=main.go,line=9::main.BuildTime is initialised');
    expect(result.stdout).toMatch(/^::warning::main\.AppVersion is not declared/m);
    expect(result.summary).toContain('| `main.AppVersion` | ⚠️ main.AppVersion is not declared');
    expect(result.summary).toContain('⚠️ main.GitCommit has type int');
  });

  it('fails instead with strict: true', async () => {
    const message = await failure(r.dir, { strict: 'true' });
    expect(message).toMatch(/^strict: main\.GitCommit has type int .*; main\.BuildTime is initialised/);
  });

  it('checks another main package and variables of other packages by import path', async () => {
    const result = await ok(r.dir, {
      'go-package': './cmd/tool',
      variables: 'example.com/tiny/internal/build.Note=ci build\nexample.com/tiny/internal/build.Missing=x',
    });
    expect(result.warnings).toEqual([
      'example.com/tiny/internal/build.Missing is not declared in the package; Go ignores -X for it',
    ]);
    expect(result.outputs.ldflags).toContain(" -X 'example.com/tiny/internal/build.Note=ci build' -X ");
  });

  it('a package of an -X variable that does not exist is a clear error', async () => {
    const message = await failure(r.dir, { variables: 'example.com/elsewhere/build.Note=x' });
    expect(message).toMatch(
      /^the package of an -X variable: 'example\.com\/elsewhere\/build' is not a Go package in \S+ \(go list: no required module provides package example\.com\/elsewhere\/build\)$/,
    );
  });

  it('a Go package path that does not exist is a clear error', async () => {
    const message = await failure(r.dir, { 'go-package': './cmd/nope' });
    expect(message).toMatch(
      /^input 'go-package': '\.\/cmd\/nope' is not a Go package in \S+ \(go list: .*cmd\/nope.*\)$/,
    );
  });
});

describe('inject-version start-up', () => {
  it('reports bad input quickly', async () => {
    const result = await runBundledAction('inject-version', { inputs: { bump: 'x' }, workspace: repoRoot });
    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(3000);
  });
});
