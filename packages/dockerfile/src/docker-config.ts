import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Docker CLI's configuration folder: DOCKER_CONFIG, else ~/.docker (docker/cli cliconfig). */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

// Kept from the user's configuration, so buildx (a CLI plugin, often installed per user by setup-buildx-action)
// and its builder instances are found through the temporary folder too.
const LINKED = ['cli-plugins', 'buildx', 'contexts'];

/**
 * Makes `dir` a Docker configuration folder for one step: the user's config.json without credential helpers
 * for `domain` (so `docker login` writes the login into this folder's config.json, not into a store that outlives
 * the step), and links to their plugins, builders and contexts. Point DOCKER_CONFIG at it, log in, build, then
 * delete it. `original` is the user's folder (dockerConfigDir()).
 */
export function prepareDockerConfig(dir: string, domain: string, original = dockerConfigDir()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let config: { credsStore?: string; credHelpers?: Record<string, string>; auths?: object } = {};
  try {
    config = JSON.parse(readFileSync(path.join(original, 'config.json'), 'utf8')) as typeof config;
  } catch {
    // No configuration yet.
  }
  delete config.credsStore;
  if (config.credHelpers) delete config.credHelpers[domain];
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  for (const name of LINKED) {
    const source = path.join(original, name);
    if (existsSync(source)) symlinkSync(source, path.join(dir, name));
  }
}

/** `docker login` with the password on stdin (`--password-stdin`), never in the argument list. */
export function dockerLoginArgs(domain: string, username: string): string[] {
  return ['login', '--username', username, '--password-stdin', domain];
}
