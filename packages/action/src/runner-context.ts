import os from 'node:os';
import path from 'node:path';

// What the runner tells a step about its ground, beyond the inputs: one reader for every action, so that
// relative paths start at the same folder everywhere and a value is checked the same way everywhere.

type Env = NodeJS.ProcessEnv;

/** An environment variable the runner (or the user) set to something a step cannot use. */
export class RunnerContextError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${variable} is '${value}'; expected ${expected}`);
    this.name = 'RunnerContextError';
  }
}

/** The checkout folder (GITHUB_WORKSPACE), absolute; the working directory outside a runner. */
export function workspaceDir(env: Env = process.env): string {
  return path.resolve(env.GITHUB_WORKSPACE || process.cwd());
}

/** The runner's scratch folder (RUNNER_TEMP), emptied after each job; the OS temp folder outside a runner. */
export function runnerTempDir(env: Env = process.env): string {
  return path.resolve(env.RUNNER_TEMP || os.tmpdir());
}

/**
 * gin-deploy's folder NAME in the runner's tool cache (RUNNER_TOOL_CACHE, kept between jobs on self-hosted
 * runners), else in the user's cache folder (XDG_CACHE_HOME, ~/.cache) outside a runner.
 */
export function toolCacheDir(name: string, env: Env = process.env): string {
  if (env.RUNNER_TOOL_CACHE) return path.join(env.RUNNER_TOOL_CACHE, 'gin-deploy', name);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir() || os.tmpdir(), '.cache');
  return path.join(base, 'gin-deploy', name);
}

/** 9999-12-31T23:59:59Z: the last second an RFC 3339 date (four-digit year) can name. */
export const MAX_EPOCH_SECONDS = 253_402_300_799;

export const EPOCH_EXPECTED = `whole seconds since 1970 from 0 to ${MAX_EPOCH_SECONDS} (reproducible-builds.org SOURCE_DATE_EPOCH)`;

/** Unix seconds from decimal digits, within what file times and RFC 3339 dates can hold; undefined otherwise. */
export function parseEpochSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,12}$/.test(trimmed)) return undefined;
  const seconds = Number(trimmed);
  return seconds <= MAX_EPOCH_SECONDS ? seconds : undefined;
}

/**
 * SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) in Unix seconds; undefined when
 * unset or empty. Throws RunnerContextError when it is not a number of seconds in range.
 */
export function sourceDateEpoch(env: Env = process.env): number | undefined {
  const value = env.SOURCE_DATE_EPOCH;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = parseEpochSeconds(value);
  if (seconds === undefined) throw new RunnerContextError('SOURCE_DATE_EPOCH', value, EPOCH_EXPECTED);
  return seconds;
}

/** `https://github.com/owner/name` from GITHUB_SERVER_URL and GITHUB_REPOSITORY; undefined unless both are set. */
export function repositoryUrl(env: Env = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository } = env;
  return server && repository ? `${server.replace(/\/$/, '')}/${repository}` : undefined;
}

/** The page of this workflow run (and attempt, when past the first); undefined off a runner. */
export function runUrl(env: Env = process.env): string | undefined {
  const repository = repositoryUrl(env);
  if (!repository || !env.GITHUB_RUN_ID) return undefined;
  const attempt =
    env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${repository}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
}

/**
 * The branch the run is for, from the runner's context: the pull request's head branch (GITHUB_HEAD_REF), else
 * the branch of GITHUB_REF; undefined for tags. It names the branch even on a detached HEAD (pull requests,
 * tag builds), where git cannot.
 */
export function refBranch(env: Env = process.env): string | undefined {
  if (env.GITHUB_HEAD_REF) return env.GITHUB_HEAD_REF;
  const ref = env.GITHUB_REF ?? '';
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

/** `owner/name` of the repository the run belongs to (GITHUB_REPOSITORY); undefined off a runner. */
export function githubRepository(env: Env = process.env): string | undefined {
  return env.GITHUB_REPOSITORY || undefined;
}

/** The GitHub REST API root: GITHUB_API_URL (GitHub Enterprise Server has its own), else github.com's. */
export function githubApiUrl(env: Env = process.env): string {
  return env.GITHUB_API_URL || 'https://api.github.com';
}
