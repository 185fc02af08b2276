// What the runner tells inject-version about the event, beyond its inputs; the workspace, SOURCE_DATE_EPOCH
// and the repository URL come from @gin-deploy/action's runner context.

/** On a detached HEAD (pull requests, tag builds) the runner's context still names the branch. */
export function branchFromEnvironment(): string | undefined {
  if (process.env.GITHUB_HEAD_REF) return process.env.GITHUB_HEAD_REF;
  const ref = process.env.GITHUB_REF ?? '';
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
