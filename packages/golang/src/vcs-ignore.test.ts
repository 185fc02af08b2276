import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findGitExclude, ignoreInGit } from './vcs-ignore.js';

let repo: string;
let outside: string;
beforeAll(() => {
  repo = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'golang-vcs-ignore-')));
  outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'golang-vcs-outside-')));
  execFileSync('git', ['init', '-q', repo]);
});
afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('findGitExclude', () => {
  it('answers for an output folder that does not exist yet, from its nearest existing parent', async () => {
    expect(await findGitExclude(path.join(repo, 'dist/bin'))).toEqual({
      top: repo,
      file: path.join(repo, '.git/info/exclude'),
    });
    expect(await findGitExclude(path.join(outside, 'dist'))).toBeUndefined();
  });
});

describe('ignoreInGit', () => {
  it('writes the files, anchored, into the exclude file git answered early', async () => {
    const dist = path.join(repo, 'dist');
    const where = findGitExclude(dist);
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'api'), '');
    const file = await ignoreInGit(dist, [path.join(dist, 'api')], where);
    expect(file).toBe(path.join(repo, '.git/info/exclude'));
    expect(readFileSync(file!, 'utf8').split('\n').slice(-3)).toEqual(['/dist/api', '/dist/api.tmp-*', '']);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('');
  });
});
