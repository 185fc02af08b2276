export interface BuildxOptions {
  dockerfile: string;
  context: string;
  platforms: readonly string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The OCI layout folder the image is exported to; the caller pushes it (by digest, tags last). */
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
