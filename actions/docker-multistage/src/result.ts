/** What any builder reports back to the step, for the outputs and the summary. */
export interface BuildResult {
  builder: 'assemble' | 'buildah' | 'docker';
  /** The image index's digest. */
  digest: string;
  pushed: boolean;
  platforms: PlatformResult[];
  base?: { name: string; digest: string };
  sbom?: { file: string; digest: string; artifact?: string };
  /** Dockerfile lint findings, one line each. */
  lint?: string[];
}

export interface PlatformResult {
  platform: string;
  digest: string;
  /** Compressed bytes: config and layers. */
  size: number;
  baseSize: number;
  layers: number;
}
