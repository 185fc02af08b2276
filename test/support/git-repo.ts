import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Commits get fixed, increasing dates so build times are exact. */
export const FIRST_COMMIT_EPOCH = 1_700_000_000;

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
};

/** A real git repository in a temporary folder, driven with the git CLI. */
export class TempRepo {
  private commits = 0;

  constructor(readonly dir: string) {}

  static create(prefix = 'iv-repo-'): TempRepo {
    const repo = new TempRepo(mkdtempSync(path.join(os.tmpdir(), prefix)));
    repo.git('init', '--quiet', '--initial-branch=main');
    return repo;
  }

  /** A repository holding a copy of a folder (e.g. the sample Gin service). */
  static fromFolder(source: string): TempRepo {
    const repo = TempRepo.create();
    cpSync(source, repo.dir, { recursive: true });
    return repo;
  }

  git(...args: string[]): string {
    const date = `@${FIRST_COMMIT_EPOCH + this.commits * 60} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, ...IDENTITY, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  /** Commits everything (plus a change to a file of its own, so each commit differs); returns the hash. */
  commit(message: string, body = ''): string {
    this.commits++;
    writeFileSync(path.join(this.dir, 'CHANGES'), `${this.commits}\n`);
    this.git('add', '--all');
    this.git('commit', '--quiet', '-m', message, ...(body ? ['-m', body] : []));
    return this.head();
  }

  /** The time of the latest commit, as RFC 3339. */
  commitTime(): string {
    return new Date((FIRST_COMMIT_EPOCH + this.commits * 60) * 1000).toISOString().replace('.000Z', 'Z');
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  tag(name: string, rev = 'HEAD'): void {
    this.git('tag', name, rev);
  }

  write(file: string, text: string): void {
    mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
    writeFileSync(path.join(this.dir, file), text);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A bare repository on disk to push to, as a release's remote. */
export function bareRemote(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'iv-remote-'));
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  return dir;
}

export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
