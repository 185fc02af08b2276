import { UserError } from '@gin-deploy/action';

// What the runner tells a step about the run, beyond its inputs.

/** SOURCE_DATE_EPOCH (reproducible-builds.org), when set. */
export function sourceDateEpoch(): number | undefined {
  const value = process.env.SOURCE_DATE_EPOCH;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) {
    throw new UserError(
      `SOURCE_DATE_EPOCH is '${value}'; expected whole seconds since 1970 (reproducible-builds.org)`,
    );
  }
  return Number(value);
}

/** On a detached HEAD (pull requests, tag builds) the runner's context still names the branch. */
export function branchFromEnvironment(): string | undefined {
  if (process.env.GITHUB_HEAD_REF) return process.env.GITHUB_HEAD_REF;
  const ref = process.env.GITHUB_REF ?? '';
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

export function githubUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository } = process.env;
  return server && repository ? `${server.replace(/\/$/, '')}/${repository}` : undefined;
}
