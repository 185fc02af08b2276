import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_DOMAIN } from './reference.js';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages: `registry-username`, `GITHUB_TOKEN`, `~/.docker/config.json`. */
  source: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (quoted or token values). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pair = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*,?/g;
  for (const [, key, quoted, token] of match[2].matchAll(pair)) {
    params[key.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : token;
  }
  return { scheme: match[1].toLowerCase(), params };
}

export interface CredentialSources {
  username?: string;
  password?: string;
  env?: NodeJS.ProcessEnv;
  /** A docker config.json; by default $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  dockerConfig?: string;
}

/** Credentials for a registry: explicit ones, GITHUB_TOKEN for ghcr.io, then the docker config. */
export function findCredentials(domain: string, sources: CredentialSources): Credentials | undefined {
  const env = sources.env ?? process.env;
  if (sources.password !== undefined) {
    return { username: sources.username ?? '', password: sources.password, source: 'registry-password' };
  }
  if (domain === 'ghcr.io' && env.GITHUB_TOKEN) {
    return {
      username: env.GITHUB_ACTOR || 'x-access-token',
      password: env.GITHUB_TOKEN,
      source: 'GITHUB_TOKEN',
    };
  }
  return fromDockerConfig(domain, sources.dockerConfig ?? defaultDockerConfig(env));
}

function defaultDockerConfig(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG
    ? path.join(env.DOCKER_CONFIG, 'config.json')
    : path.join(env.HOME || os.homedir(), '.docker', 'config.json');
}

interface DockerConfigAuth {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

function fromDockerConfig(domain: string, file: string): Credentials | undefined {
  if (!existsSync(file)) return undefined;
  let auths: Record<string, DockerConfigAuth>;
  try {
    auths =
      (JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, DockerConfigAuth> }).auths ?? {};
  } catch {
    return undefined;
  }
  const keys =
    domain === DEFAULT_DOMAIN ? ['https://index.docker.io/v1/', 'index.docker.io', domain] : [domain];
  for (const [key, entry] of Object.entries(auths)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (!keys.includes(key) && !keys.includes(host)) continue;
    const source = file.replace(os.homedir(), '~');
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
    }
    if (entry.username && entry.password)
      return { username: entry.username, password: entry.password, source };
  }
  return undefined;
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
