import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exec, info } from '@gin-deploy/action';
import type { DockerfileBuild } from './build.js';
import { dockerLoginArgs, prepareDockerConfig } from './docker-config.js';

/** A build of buildx: the image is exported to the OCI layout folder `outputDir`; the caller pushes it. */
export interface BuildxOptions extends Omit<DockerfileBuild, 'temp' | 'layout'> {
  outputDir: string;
  metadataFile: string;
  /** GitHub Actions cache (type=gha) when the runner exposes it (ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL). */
  ghaCache: boolean;
}

/** The argument array of `docker buildx build` (never a shell string). */
export function buildxArgs(options: BuildxOptions): string[] {
  const args = ['buildx', 'build', '--platform', options.platforms.join(','), '--file', options.dockerfile];
  for (const [key, value] of Object.entries(options.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.annotations))
    args.push('--annotation', `index,manifest:${key}=${value}`);
  args.push('--output', `type=oci,dest=${options.outputDir},tar=false`);
  args.push('--metadata-file', options.metadataFile, '--provenance=false');
  if (options.ghaCache) args.push('--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max');
  args.push(options.context);
  return args;
}

export function ghaCacheAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean((env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL) && env.ACTIONS_RUNTIME_TOKEN);
}

/** A login for this build only: the registry's domain and the credentials the user gave the step. */
export interface DockerLogin {
  domain: string;
  username: string;
  password: string;
}

const BUILDX_MISSING =
  'docker buildx is needed for builder: docker; use builder: assemble or buildah without a daemon';

/**
 * Builds with `docker buildx build`, exporting the image as an OCI layout folder (no push, no daemon image
 * store); with a login, through a Docker configuration folder inside the build's temp folder. Returns the digest.
 */
export async function buildWithBuildx(build: DockerfileBuild, login?: DockerLogin): Promise<string> {
  const metadataFile = path.join(build.temp, 'metadata.json');
  const args = buildxArgs({
    dockerfile: build.dockerfile,
    context: build.context,
    platforms: build.platforms,
    buildArgs: build.buildArgs,
    labels: build.labels,
    annotations: build.annotations,
    outputDir: build.layout,
    metadataFile,
    ghaCache: ghaCacheAvailable(process.env),
  });
  const env = login ? await dockerLogin(build.temp, login) : undefined;
  await exec('docker', args, {
    env,
    missingHint: BUILDX_MISSING,
    onStdout: (chunk) => process.stdout.write(chunk),
    onStderr: (chunk) => process.stdout.write(chunk),
  });
  const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = metadata['containerimage.digest'];
  if (typeof digest !== 'string')
    throw new Error(`docker buildx wrote no containerimage.digest to ${metadataFile}`);
  return digest;
}

/**
 * Logs in through a Docker configuration folder inside `temp` (removed with it), the password on stdin; returns
 * the environment that selects it.
 */
async function dockerLogin(temp: string, { domain, username, password }: DockerLogin) {
  const dir = path.join(temp, 'docker-config');
  prepareDockerConfig(dir, domain);
  const env = { DOCKER_CONFIG: dir };
  await exec('docker', dockerLoginArgs(domain, username), {
    env,
    input: password,
    missingHint: BUILDX_MISSING,
  });
  info(`logged in to ${domain} as ${username} for this step only`);
  return env;
}
