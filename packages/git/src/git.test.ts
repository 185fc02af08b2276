import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Git } from './git.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'git-lib-'));
const remote = mkdtempSync(path.join(os.tmpdir(), 'git-lib-remote-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(remote, { recursive: true, force: true });
});

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'a',
  GIT_AUTHOR_EMAIL: 'a@x',
  GIT_COMMITTER_NAME: 'c',
  GIT_COMMITTER_EMAIL: 'c@x',
};
const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

describe('Git against a real repository', () => {
  const git = new Git(dir);

  it('sees no commits in a new repository', async () => {
    sh(dir, 'init', '--quiet', '--initial-branch=trunk');
    expect(await git.isRepository()).toBe(true);
    expect(await git.head()).toBeUndefined();
  });

  it('reads log entries with multi-line bodies and odd characters', async () => {
    writeFileSync(path.join(dir, 'a'), '1');
    sh(dir, 'add', 'a');
    sh(
      dir,
      'commit',
      '--quiet',
      '-m',
      'feat: first | with "quotes"',
      '-m',
      'line one\n\nBREAKING CHANGE: two',
    );
    writeFileSync(path.join(dir, 'a'), '2');
    sh(dir, 'commit', '--quiet', '-am', 'fix: second');
    const log = await git.log('HEAD');
    expect(log.map(({ subject, body }) => ({ subject, body }))).toEqual([
      { subject: 'fix: second', body: '' },
      { subject: 'feat: first | with "quotes"', body: 'line one\n\nBREAKING CHANGE: two' },
    ]);
    expect(await git.countCommits('HEAD')).toBe(2);
    expect(await git.branch()).toBe('trunk');
    expect(await git.isShallow()).toBe(false);
  });

  it('makes annotated tags, pushes them and reads the peeled commit back from the remote', async () => {
    sh(remote, 'init', '--quiet', '--bare');
    sh(dir, 'remote', 'add', 'origin', remote);
    const head = (await git.head()) as string;
    await git.createAnnotatedTag('v1.0.0', head, 'Release v1.0.0');
    expect(await git.tagCommit('v1.0.0')).toBe(head);
    expect(await git.remoteTagCommit('origin', 'v1.0.0')).toBeUndefined();
    await git.pushTag('origin', 'v1.0.0');
    expect(await git.remoteTagCommit('origin', 'v1.0.0')).toBe(head);
    expect(sh(remote, 'cat-file', '-t', 'v1.0.0')).toBe('tag');
    expect(await git.tagsPointingAt('HEAD')).toEqual(['v1.0.0']);
    await git.deleteTag('v1.0.0');
    expect(await git.tagCommit('v1.0.0')).toBeUndefined();
  });

  it('counts only tracked changes as dirty', async () => {
    writeFileSync(path.join(dir, 'untracked'), 'x');
    expect(await git.isDirty()).toBe(false);
    writeFileSync(path.join(dir, 'a'), '3');
    expect(await git.isDirty()).toBe(true);
  });
});
