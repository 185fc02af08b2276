/** One Dockerfile build of several platforms into an OCI layout, as either builder takes it. */
export interface DockerfileBuild {
  dockerfile: string;
  context: string;
  platforms: readonly string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Scratch folder of the step (iid files, digest file, auth file, Docker config), removed by the caller. */
  temp: string;
  /** The OCI layout folder the image is written to. */
  layout: string;
}
