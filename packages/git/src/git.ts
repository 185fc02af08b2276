import { exec, type ExecResult } from '@gin-deploy/action';

export interface LogEntry {
  sha: string;
  subject: string;
  body: string;
}

export interface Identity {
  name: string;
  email: string;
}

/** The identity GitHub shows for the Actions bot, used when the job has not configured one. */
export const ACTIONS_BOT: Identity = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

const FIELD = '\x1f';
const RECORD = '\x1e';
const NETWORK_TIMEOUT_MS = 120_000;

/** The real `git` in one working tree, always run with an argument array. */
export class Git {
  constructor(readonly dir: string) {}

  async run(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
    return (await this.exec(args, options)).stdout.replace(/\n$/, '');
  }

  /** Runs git and returns undefined instead of throwing when it exits non-zero. */
  async tryRun(args: readonly string[]): Promise<string | undefined> {
    const result = await this.exec(args, { allowFailure: true });
    return result.exitCode === 0 ? result.stdout.replace(/\n$/, '') : undefined;
  }

  private exec(
    args: readonly string[],
    options: { timeoutMs?: number; allowFailure?: boolean; cleanup?: boolean },
  ): Promise<ExecResult> {
    return exec('git', args, {
      cwd: this.dir,
      // Never wait for a password prompt in CI, and read git's messages in one language.
      env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      timeoutMs: options.timeoutMs ?? 60_000,
      allowFailure: options.allowFailure,
      cleanup: options.cleanup,
      missingHint: 'install git (the action reads the repository with it)',
    });
  }

  async isRepository(): Promise<boolean> {
    return (await this.tryRun(['rev-parse', '--is-inside-work-tree'])) === 'true';
  }

  async topLevel(): Promise<string> {
    return this.run(['rev-parse', '--show-toplevel']);
  }

  /** The commit HEAD points at, or undefined in a repository without commits. */
  async head(): Promise<string | undefined> {
    return this.tryRun(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  }

  async isShallow(): Promise<boolean> {
    return (await this.run(['rev-parse', '--is-shallow-repository'])) === 'true';
  }

  /** The checked-out branch, or undefined on a detached HEAD. */
  async branch(): Promise<string | undefined> {
    return this.tryRun(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  }

  async tagsPointingAt(rev: string): Promise<string[]> {
    return lines(await this.run(['tag', '--points-at', rev]));
  }

  /** Tags whose commits are ancestors of rev (or rev itself). */
  async tagsMergedInto(rev: string): Promise<string[]> {
    return lines(await this.run(['tag', '--merged', rev]));
  }

  async allTags(): Promise<string[]> {
    return lines(await this.run(['tag', '--list']));
  }

  /** The commit a tag (lightweight or annotated) points at, or undefined when there is no such tag. */
  async tagCommit(tag: string): Promise<string | undefined> {
    return this.tryRun(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]);
  }

  /** Commits reachable from `to` and not from `from` (all of them when from is undefined). */
  async countCommits(to: string, from?: string): Promise<number> {
    return Number(await this.run(['rev-list', '--count', from ? `${from}..${to}` : to]));
  }

  async log(to: string, from?: string): Promise<LogEntry[]> {
    const out = await this.run([
      'log',
      '--no-merges',
      `--format=%H${FIELD}%s${FIELD}%b${RECORD}`,
      from ? `${from}..${to}` : to,
    ]);
    return out
      .split(RECORD)
      .map((record) => record.replace(/^\n/, ''))
      .filter((record) => record !== '')
      .map((record) => {
        const [sha, subject, body] = record.split(FIELD);
        return { sha, subject, body: body.trim() };
      });
  }

  /** Committer time as Unix seconds: what GoReleaser calls CommitDate, stable across rebuilds of a commit. */
  async commitTime(rev: string): Promise<number> {
    return Number(await this.run(['log', '-1', '--format=%ct', rev]));
  }

  /** Uncommitted changes to tracked files (untracked files are left out, as `git describe --dirty` does). */
  async isDirty(): Promise<boolean> {
    return (await this.run(['status', '--porcelain', '--untracked-files=no'])) !== '';
  }

  async remoteUrl(remote: string): Promise<string | undefined> {
    return this.tryRun(['remote', 'get-url', remote]);
  }

  /** The commit the remote's tag points at (peeled), or undefined when the remote has no such tag. */
  async remoteTagCommit(remote: string, tag: string): Promise<string | undefined> {
    const out = await this.run(['ls-remote', '--tags', remote, `refs/tags/${tag}`, `refs/tags/${tag}^{}`], {
      timeoutMs: NETWORK_TIMEOUT_MS,
    });
    const refs = new Map(
      lines(out).map((line) => {
        const [sha, ref] = line.split('\t');
        return [ref, sha] as const;
      }),
    );
    return refs.get(`refs/tags/${tag}^{}`) ?? refs.get(`refs/tags/${tag}`);
  }

  async createAnnotatedTag(
    tag: string,
    rev: string,
    message: string,
    fallback: Identity = ACTIONS_BOT,
  ): Promise<void> {
    const configured = await this.tryRun(['config', '--get', 'user.email']);
    const identity = configured
      ? []
      : ['-c', `user.name=${fallback.name}`, '-c', `user.email=${fallback.email}`];
    await this.run([...identity, 'tag', '--annotate', '--message', message, tag, rev]);
  }

  /** Runs even after the job was cancelled: it undoes a tag a cancelled push left local only. */
  async deleteTag(tag: string): Promise<void> {
    await this.exec(['tag', '--delete', tag], { cleanup: true });
  }

  async pushTag(remote: string, tag: string): Promise<void> {
    await this.run(['push', '--quiet', remote, `refs/tags/${tag}:refs/tags/${tag}`], {
      timeoutMs: NETWORK_TIMEOUT_MS,
    });
  }
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
